"""Issue 11's "done when", in a real browser through the stand-ins: a citizen logs in with VNeID and
submits a dossier whose applicant data came from the claims and the population database and one of
whose documents came from her warehouse; a desk officer looks a walk-in citizen up; and the 766 index
counts what happened, with no client setting a flag."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.portal.tests.browser import PHONE, Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_citizen_logs_in_with_vneid_and_submits(
    browser: Any, live_server: Any, world: Any, standins: Any, tmp_path: Path, clean_throttle: None
) -> None:
    pdf = tmp_path / "giay.pdf"
    pdf.write_bytes(PDF)
    citizen = Session(browser, live_server.url)
    page = citizen.page
    page.goto("/thu-tuc/1.000956/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(lambda url: "/dang-nhap/?next=" in url)
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    # The stand-in's own page, labelled as one; the citizen picks herself.
    page.wait_for_url(lambda url: url.startswith(standins.url))
    expect(page.get_by_text("Máy chủ giả lập (stand-in)")).to_be_visible()
    citizen.shot("vneid-01-standin-desktop")
    page.get_by_role("button", name=re.compile("H'Hen Niê — 066195012345")).click()

    # Back on the submission form, logged in as the account createuser made, the name already there.
    page.wait_for_url("**/nop-truc-tuyen/")
    assert page.get_by_label(re.compile("^Họ và tên")).input_value() == "H'Hen Niê"
    assert page.get_by_label(re.compile("^Số định danh")).input_value() == "066195012345"
    citizen.shot("vneid-02-form-desktop")
    page.get_by_label(re.compile("^Số điện thoại")).fill("0905123456")
    page.get_by_label(re.compile("^Giấy đề nghị")).set_input_files(str(pdf))
    page.get_by_label(re.compile("^Điều lệ công ty")).set_input_files(str(pdf))
    page.get_by_role("button", name="Tiếp tục để xem lại").click()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Hồ sơ của bạn đã được nộp")).to_be_visible()

    dossier = Dossier.objects.get()
    assert dossier.applicant_user == world.citizen
    assert dossier.vneid_verified is True
    assert citizen.problems == []


def test_the_vneid_pages_fit_a_phone(browser: Any, live_server: Any, db: Any, standins: Any) -> None:
    phone = Session(browser, live_server.url, viewport=PHONE)
    phone.page.goto("/dang-nhap/")
    expect(phone.page.get_by_role("link", name="Đăng nhập bằng VNeID")).to_be_visible()
    assert phone.fits()
    phone.shot("vneid-03-login-phone")
    phone.page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    phone.page.wait_for_url(lambda url: url.startswith(standins.url))
    assert phone.fits()
    phone.shot("vneid-04-standin-phone")
    phone.page.get_by_role("button", name="Hủy đăng nhập").click()
    phone.page.wait_for_url(lambda url: "/dang-nhap/" in url and url.startswith(live_server.url))
    expect(phone.page.get_by_text("Bạn đã hủy đăng nhập VNeID.")).to_be_visible()
    expect(phone.page.get_by_label("Tên đăng nhập")).to_be_visible()  # still logged out
    assert phone.page.get_by_role("button", name="Đăng xuất").count() == 0


def _index(supervisor: Any, period_end: str) -> dict[str, Any]:
    """The province's 766 indicators, numerator over denominator, as the supervisor's API gives them."""
    from rest_framework.test import APIClient

    from motcua.monitoring import rollup

    rollup.ensure_current()
    client = APIClient()
    client.force_authenticate(supervisor)
    body = client.get(
        "/api/v1/metrics/service-index", {"agency": "H15", "from": "2026-01-01", "to": period_end}
    ).json()
    return {i["code"]: (i["numerator"], i["denominator"]) for g in body["groups"] for i in g["indicators"]}


def test_done_when_vneid_population_and_warehouse_are_counted_by_the_index(
    browser: Any, live_server: Any, world: Any, standins: Any, tmp_path: Path, clean_throttle: None
) -> None:
    from django.utils import timezone

    from motcua.dossiers import commands, services
    from motcua.dossiers.tests.conftest import counter_dossier
    from motcua.standins.citizens import by_id_number
    from motcua.warehouse.tests.factories import fill

    # H'Hen Niê's warehouse holds her company charter (DL) from an earlier dossier.
    earlier = counter_dossier(world)
    charter = next(w for w in fill(world.citizen.id_number, earlier, 2) if w.code == "DL")
    pdf = tmp_path / "giay-de-nghi.pdf"
    pdf.write_bytes(PDF)
    citizen = Session(browser, live_server.url)
    page = citizen.page
    page.goto("/dang-nhap/?next=/thu-tuc/1.000956/nop-truc-tuyen/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.wait_for_url(lambda url: url.startswith(standins.url))
    page.get_by_role("button", name=re.compile("H'Hen Niê — 066195012345")).click()
    page.wait_for_url("**/nop-truc-tuyen/")

    # Her name and ID come from the claims, her address from the population database.
    person = by_id_number()["066195012345"]
    assert page.get_by_label(re.compile("^Họ và tên")).input_value() == "H'Hen Niê"
    assert page.get_by_label(re.compile("^Địa chỉ")).input_value() == person.current.text
    page.get_by_label(re.compile("^Số điện thoại")).fill("0905123456")
    page.get_by_label(re.compile("^Giấy đề nghị")).set_input_files(str(pdf))
    page.locator(f"input[name='use_1'][value='{charter.pk}']").check()  # the charter: from the warehouse
    citizen.shot("vneid-05-prefilled-warehouse-desktop")
    page.get_by_role("button", name="Tiếp tục để xem lại").click()
    expect(page.get_by_text("Lấy từ kho dữ liệu của bạn").first).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Hồ sơ của bạn đã được nộp")).to_be_visible()
    assert citizen.problems == []

    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    assert (dossier.vneid_verified, dossier.population_data_used) == (True, True)
    docs = {d.code: d for d in dossier.documents.all()}
    assert docs["DL"].from_warehouse and docs["DL"].reused and docs["DL"].file_id == charter.file_id
    assert docs["GDN"].digitized and not docs["GDN"].from_warehouse

    # The desk receives it; the index counts it from what happened.
    before = _index(world.supervisor, timezone.localdate().isoformat())
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
    after = _index(world.supervisor, timezone.localdate().isoformat())
    for indicator in ("population_data_dossiers", "reused_data", "warehouse_shared"):
        assert after[indicator][0] == before[indicator][0] + 1, indicator
        assert after[indicator][1] == before[indicator][1] + 1, indicator


def test_done_when_the_desk_looks_a_walk_in_citizen_up(
    browser: Any, live_server: Any, world: Any, standins: Any, clean_throttle: None
) -> None:
    from motcua.dossiers.tests.conftest import PASSWORD
    from motcua.standins.citizens import by_id_number

    walk_in = by_id_number()["066090001234"]  # Nguyễn Văn An, in the README
    desk = Session(browser, live_server.url)
    desk.login("tiepnhan", PASSWORD, staff=True)
    page = desk.page
    page.goto("/can-bo/tiep-nhan/1.000956/")
    page.locator("input[name='documents'][value='GDN']").check()
    page.locator("[name='pop-id_number']").fill(walk_in.id_number)
    page.locator("[name='pop-full_name']").fill("nguyen van an")  # as typed in a hurry, no diacritics
    page.locator("[name='pop-birth']").fill(f"{walk_in.birth_date:%d/%m/%Y}")
    page.get_by_role("button", name="Tra cứu và điền thông tin").click()
    expect(page.get_by_text("Đã tìm thấy trong CSDL quốc gia về dân cư")).to_be_visible()
    assert page.locator("[name='applicant-full_name']").input_value() == "Nguyễn Văn An"
    assert page.locator("[name='applicant-address']").input_value() == walk_in.current.text
    assert page.locator("input[name='documents'][value='GDN']").is_checked()  # kept through the look-up
    desk.shot("vneid-06-desk-population-desktop")
    page.get_by_role("button", name="Tiếp nhận và in phiếu").last.click()
    page.wait_for_url("**/da-tiep-nhan/")
    dossier = Dossier.objects.get()
    assert dossier.population_data_used and dossier.applicant_id_number == walk_in.id_number
    assert desk.problems == []
