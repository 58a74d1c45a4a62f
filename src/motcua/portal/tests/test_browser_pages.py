"""What only a browser shows: the submit button within the phone's first screen, the upload limit
checked before anything is sent, and the agency pickers' search. Screenshots go to
test-artifacts/screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers.tests.conftest import PASSWORD
from motcua.portal.tests.browser import Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}
FIRST_SCREEN = 800


def test_the_phone_sees_the_submit_button_near_the_top(browser: Any, live_server: Any, world: Any) -> None:
    phone = Session(browser, live_server.url, viewport=PHONE_390)
    phone.page.goto("/thu-tuc/1.000956/")
    button = phone.page.get_by_role("link", name="Nộp hồ sơ trực tuyến")
    box = button.bounding_box()
    assert box is not None and box["y"] < FIRST_SCREEN, box
    # The whole sheet is still there, below it.
    expect(phone.page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    assert phone.fits()
    phone.shot("40-procedure-phone-390")
    phone.close()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    browser: Any, live_server: Any, world: Any, tmp_path: Path
) -> None:
    big = tmp_path / "quet-21mb.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    citizen = Session(browser, live_server.url)
    citizen.login(world.citizen.username, PASSWORD)
    page = citizen.page
    page.goto("/thu-tuc/1.000956/nop-truc-tuyen/")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    field = page.get_by_label(re.compile("^Giấy đề nghị"))
    field.set_input_files(str(big))
    message = page.locator(f"#{field.get_attribute('id')}_limit")
    expect(message).to_have_text("Tệp lớn hơn 20 MB.")
    expect(message).to_be_visible()
    assert field.evaluate("input => input.files.length") == 0
    assert field.get_attribute("aria-invalid") == "true"
    assert sent == []
    citizen.shot("41-upload-too-large-desktop")
    # A file within the limit takes the message away.
    small = tmp_path / "giay.pdf"
    small.write_bytes(b"%PDF-1.4\n%%EOF\n")
    field.set_input_files(str(small))
    expect(message).to_have_count(0)
    assert field.get_attribute("aria-invalid") is None
    citizen.close()


def _options(select: Any) -> list[str]:
    return [text.strip() for text in select.locator("option").all_inner_texts()]
