"""What only a browser shows: the submit button within the phone's first screen, the upload limit
checked before anything is sent, and the agency pickers' search. Screenshots go to
test-artifacts/screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers import commands, services
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
    page.wait_for_load_state("networkidle")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url}"))
    field = page.get_by_label(re.compile("^Giấy đề nghị"))
    field.set_input_files(str(big))
    message = page.locator(f"#{field.get_attribute('id')}_limit")
    expect(message).to_have_text("Tệp lớn hơn 20 MB.")
    expect(message).to_be_visible()
    assert field.evaluate("input => input.files.length") == 0
    assert field.get_attribute("aria-invalid") == "true"
    assert [r for r in sent if "/static/" not in r] == []  # (the browser may still fetch the icon)
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


def test_the_forward_form_finds_an_agency_without_diacritics(
    browser: Any, live_server: Any, world: Any
) -> None:
    dossier, _new = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name="Nguyễn Văn An", id_number="066195012345"),
    )
    desk = Session(browser, live_server.url)
    desk.login("tiepnhan", PASSWORD, staff=True)
    desk.page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    form = desk.page.locator("form[action$='/xu-ly/forward/']")
    details = desk.page.locator("details:has(form[action$='/xu-ly/forward/'])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    select = form.locator("select[name='forward-agency_code']")
    assert len(_options(select)) == 8  # the default and the seven agencies
    search = form.get_by_role("searchbox", name="Tìm cơ quan")
    search.fill("buon ma")
    assert _options(select) == [
        "Ủy ban nhân dân phường Buôn Ma Thuột",
        "Trung tâm Phục vụ hành chính công phường Buôn Ma Thuột",
    ]
    assert select.input_value() == "H15.100"
    expect(form.get_by_text("Số cơ quan phù hợp: 2")).to_be_visible()
    desk.shot("42-forward-search-desktop")
    search.press("Enter")  # does not send the form
    assert desk.page.url.endswith(f"/can-bo/ho-so/{dossier.pk}/")
    search.fill("khong co dau nao")
    expect(form.get_by_text("Không có cơ quan nào phù hợp.")).to_be_visible()
    assert len(_options(select)) == 8  # nothing hidden when nothing matches
    search.fill("")
    assert len(_options(select)) == 8
    search.fill("hoa phu")
    form.get_by_role("button", name="Chuyển xử lý").click()
    expect(desk.page.get_by_text("Đã chuyển hồ sơ.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.current_agency.code == "H15.105"
    desk.close()


def test_the_dashboard_picker_finds_an_agency_at_both_widths(
    browser: Any, live_server: Any, world: Any
) -> None:
    for viewport, name in (({"width": 1280, "height": 900}, "desktop"), (PHONE_390, "phone-390")):
        leader = Session(browser, live_server.url, viewport=viewport)
        leader.login("gs", PASSWORD, staff=True)
        leader.page.goto("/dieu-hanh/")
        leader.page.get_by_role("searchbox", name="Tìm cơ quan").fill("HOA PHU")
        select = leader.page.locator("select[name='agency']")
        assert _options(select) == ["Ủy ban nhân dân xã Hòa Phú"]
        assert leader.fits()
        leader.shot(f"43-dashboard-search-{name}")
        leader.page.get_by_role("button", name="Xem").click()
        expect(leader.page.get_by_role("heading", name="Ủy ban nhân dân xã Hòa Phú", level=1)).to_be_visible()
        leader.close()


def test_the_warehouse_choice_at_390_px_under_the_csp(browser: Any, live_server: Any, world: Any) -> None:
    """A returning citizen picks a document the warehouse holds: the upload beside it steps aside, the
    long labels wrap inside the phone's width, and the page's script runs under the strict CSP."""
    from motcua.dossiers.tests.conftest import counter_dossier
    from motcua.warehouse.models import WarehouseDocument
    from motcua.warehouse.tests.factories import fill

    kept = fill(world.citizen.id_number, counter_dossier(world), 6)
    WarehouseDocument.objects.filter(pk__in=[k.pk for k in kept]).update(
        name="Giấy đề nghị đăng ký doanh nghiệp công ty trách nhiệm hữu hạn một thành viên (bản chính)"
    )
    phone = Session(browser, live_server.url, viewport=PHONE_390)
    phone.login(world.citizen.username, PASSWORD)
    page = phone.page
    page.goto("/thu-tuc/1.000956/nop-truc-tuyen/")
    expect(page.get_by_text("Dùng giấy tờ đã có").first).to_be_visible()
    upload = page.locator("#id_doc_0")
    expect(upload).to_be_visible()
    page.locator("input[name='use_0']").nth(1).check()
    expect(upload).to_be_hidden()
    assert phone.fits()
    phone.shot("42-warehouse-choice-phone-390")
    page.get_by_label("Không, tôi đính kèm tệp").first.check()
    expect(upload).to_be_visible()
    phone.close()
