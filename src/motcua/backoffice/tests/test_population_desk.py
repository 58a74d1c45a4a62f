"""The counter's look-up in the National Population Database: fill the applicant from it, keep what
was typed, say plainly when it finds nobody, is down, or is not connected."""

from __future__ import annotations

import html
import re
from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import logged_in
from motcua.integrations.models import PopulationLookup
from motcua.standins.citizens import all_citizens

URL = "/can-bo/tiep-nhan/1.000956/"
PERSON = all_citizens()[5]


def typed(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "counter",
        "documents": ["GDN"],
        "applicant-kind": "individual",
        "applicant-full_name": "",
        "applicant-id_number": "",
        "applicant-phone": "0905123456",
        "applicant-email": "",
        "applicant-address": "",
        "pop-id_number": PERSON.id_number,
        "pop-full_name": PERSON.full_name.lower(),
        "pop-birth": f"{PERSON.birth_date:%d/%m/%Y}",
        "population_lookup_id": "",
    }
    data.update(changes)
    return data


def value_of(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', page
    )
    return html.unescape(found.group(1)) if found else ""


def test_the_lookup_fills_the_applicant_and_the_dossier_says_so(world: Any, standins: Any) -> None:
    desk = logged_in(world.receiver)
    form = desk.get(URL).content.decode()
    assert "Tra cứu CSDL quốc gia về dân cư" in form and 'name="population_lookup"' in form
    # Enter in a field presses the form's first submit button: it must receive, not look up.
    first = re.search(r"<button[^>]*type=\"submit\"[^>]*>", form)
    assert first is not None and "population_lookup" not in first.group(0)

    response = desk.post(URL, {**typed(), "population_lookup": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    assert "Đã tìm thấy trong CSDL quốc gia về dân cư" in page
    assert value_of(page, "applicant-full_name") == PERSON.full_name
    assert value_of(page, "applicant-id_number") == PERSON.id_number
    assert value_of(page, "applicant-address") == PERSON.current.text
    assert value_of(page, "applicant-phone") == "0905123456"  # what was typed stays
    assert value_of(page, "pop-birth") == f"{PERSON.birth_date:%d/%m/%Y}"
    assert re.search(r'value="GDN"[^>]*checked', page) and not re.search(r'value="DL"[^>]*checked', page)
    row = PopulationLookup.objects.get()
    assert value_of(page, "population_lookup_id") == str(row.lookup_id) and row.officer == world.receiver

    received = desk.post(
        URL,
        typed(
            **{
                "applicant-full_name": value_of(page, "applicant-full_name"),
                "applicant-id_number": value_of(page, "applicant-id_number"),
                "applicant-address": value_of(page, "applicant-address"),
                "population_lookup_id": str(row.lookup_id),
            }
        ),
    )
    dossier = Dossier.objects.get()
    assert received["Location"] == f"/can-bo/ho-so/{dossier.pk}/da-tiep-nhan/"
    assert dossier.population_data_used and dossier.applicant_name == PERSON.full_name
    row.refresh_from_db()
    assert row.dossier == dossier


def test_typed_applicant_fields_are_not_overwritten(world: Any, standins: Any) -> None:
    page = (
        logged_in(world.receiver)
        .post(URL, {**typed(**{"applicant-address": "Nhà trọ số 3"}), "population_lookup": "1"})
        .content.decode()
    )
    assert value_of(page, "applicant-address") == "Nhà trọ số 3"
    assert value_of(page, "applicant-full_name") == PERSON.full_name


def test_no_match_or_down_says_so_and_the_officer_types_by_hand(
    world: Any, standins: Any, settings: Any
) -> None:
    desk = logged_in(world.receiver)
    missed = desk.post(URL, {**typed(**{"pop-birth": "1901"}), "population_lookup": "1"})
    page = missed.content.decode()
    assert missed.status_code == 200
    assert "CSDL quốc gia về dân cư không có công dân nào" in page
    assert "Bạn có thể tự nhập thông tin người nộp hồ sơ" in page
    assert value_of(page, "population_lookup_id") == "" and value_of(page, "applicant-phone") == "0905123456"

    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    standins.fault("population", "error")
    page = desk.post(URL, {**typed(), "population_lookup": "1"}).content.decode()
    assert "Hiện không kết nối được CSDL quốc gia về dân cư" in page
    assert [r.outcome for r in PopulationLookup.objects.order_by("at")] == ["not_found", "unavailable"]
    # By hand, without a look-up: received, and the flag stays false.
    desk.post(URL, typed(**{"applicant-full_name": "Nguyễn Văn An", "applicant-id_number": "066195012345"}))
    assert Dossier.objects.get().population_data_used is False


def test_a_bad_lookup_shows_its_errors_and_calls_nothing(world: Any, standins: Any) -> None:
    response = logged_in(world.receiver).post(
        URL, {**typed(**{"pop-id_number": "123", "pop-birth": "31/02/1990"}), "population_lookup": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "12 chữ số" in page and "dd/mm/yyyy" in page
    assert PopulationLookup.objects.count() == 0


def test_someone_elses_lookup_is_refused_on_the_form(world: Any, standins: Any) -> None:
    other = logged_in(world.commune_receiver)
    other.post("/can-bo/tiep-nhan/1.001193/", {**typed(), "population_lookup": "1"})
    theirs = PopulationLookup.objects.get()
    response = logged_in(world.receiver).post(
        URL,
        typed(
            **{
                "applicant-full_name": PERSON.full_name,
                "applicant-id_number": PERSON.id_number,
                "population_lookup_id": str(theirs.lookup_id),
            }
        ),
    )
    assert response.status_code == 400 and Dossier.objects.count() == 0
    assert "Đây không phải lượt tra cứu của bạn" in response.content.decode()


def test_switched_off_the_block_says_so(world: Any, settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    settings.MOTCUA_INTEGRATIONS = {"population": {"url": ""}}
    page = logged_in(world.receiver).get(URL).content.decode()
    assert "Chưa kết nối CSDL quốc gia về dân cư" in page and 'name="population_lookup"' not in page
