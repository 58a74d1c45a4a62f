"""Every SMS template fits one GSM segment with the longest parameters MotCua can give it."""

from __future__ import annotations

import pytest

from motcua.notifications import templates
from motcua.notifications.templates import TEMPLATES

# The longest values: an agency code of 35 characters (its field's limit) + "-YYMMDD-NNNN", a date,
# an amount of a thousand billion đồng.
WORST = {"code": "H" * 35 + "-261231-9999", "due_date": "31/12/2026", "amount": "999.999.999.999"}

EVENTS = (
    "received",
    "supplement_requested",
    "payment_requested",
    "extended",
    "refused",
    "stopped",
    "result_ready",
)


def test_one_template_per_event_and_the_dossier_actions_that_raise_them() -> None:
    assert set(TEMPLATES) == set(EVENTS)
    assert set(templates.EVENT_OF_ACTION.values()) == set(EVENTS)


@pytest.mark.parametrize("event", EVENTS)
def test_sms_is_ascii_in_one_segment_with_worst_case_parameters(event: str) -> None:
    template = TEMPLATES[event]
    text = template.sms_text(WORST)
    assert text.isascii()
    assert templates.fits_one_segment(text), (len(text), text)
    assert "#" not in text  # every placeholder filled
    assert WORST["code"] in text


@pytest.mark.parametrize("event", EVENTS)
def test_zalo_and_sms_take_the_same_parameters(event: str) -> None:
    template = TEMPLATES[event]
    assert template.params[0] == "code"
    assert len(template.sms_params(WORST)) == len(template.zalo_data(WORST)) == len(template.params)


def test_received_says_the_code_and_the_appointment_and_the_extension_apologises() -> None:
    assert TEMPLATES["received"].params == ("code", "due_date")
    assert TEMPLATES["extended"].params == ("code", "due_date")
    assert TEMPLATES["extended"].sms_text(WORST).startswith("Xin loi")
    assert TEMPLATES["payment_requested"].params == ("code", "amount")


def test_vietnamese_loses_its_diacritics_and_nothing_outside_gsm_passes() -> None:
    assert templates.ascii_text("Đắk Lắk, Huế") == "Dak Lak, Hue"
    assert templates.ascii_text("a{b}€") == "a?b??"
    assert not templates.fits_one_segment("x" * 161)
    assert not templates.fits_one_segment("a[b]")  # GSM extension characters cost two
