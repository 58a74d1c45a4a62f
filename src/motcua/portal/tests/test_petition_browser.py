"""A petition in a real browser: the citizen files it from their dossier's page at phone width
(390 px), the Department of Finance accepts, answers and publishes it, and the citizen rates the
published answer. No CSP violation, nothing sticking out sideways. Screenshots in
test-artifacts/screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers.tests.conftest import PASSWORD, counter_dossier
from motcua.petitions.models import Evaluation, Petition
from motcua.portal.tests.browser import Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PHONE_390 = {"width": 390, "height": 844}


def test_a_petition_from_the_dossier_page_to_its_rating(
    browser: Any, live_server: Any, world: Any, tmp_path: Path, clean_throttle: None
) -> None:
    dossier = counter_dossier(world)
    dossier.applicant_user = world.citizen
    dossier.save()
    attachment = tmp_path / "bien-nhan.pdf"
    attachment.write_bytes(PDF)
    citizen = Session(browser, live_server.url, viewport=PHONE_390)
    leader = Session(browser, live_server.url)
    page = citizen.page

    citizen.login(world.citizen.username, PASSWORD)
    page.goto(f"/ho-so/{dossier.pk}/")
    page.get_by_role("link", name="Phản ánh về hồ sơ này").click()
    page.wait_for_url("**/phan-anh/gui/?ho-so=*")
    assert page.locator("[name=dossier_code]").input_value() == dossier.code
    assert citizen.fits()
    page.locator("[name=title]").fill("Hẹn trả kết quả nhưng chưa có")
    page.locator("[name=content]").fill("Đã quá hẹn <b>hai ngày</b> mà chưa nhận được kết quả.")
    page.locator("[name=full_name]").fill("H'Hen Niê")
    page.locator("[name=phone]").fill("0905123456")
    page.locator("[name=file_0]").set_input_files(str(attachment))
    page.locator("[name=publish_consent]").check()
    citizen.shot("40-petition-form-390")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", name="Phản ánh, kiến nghị của bạn đã được tiếp nhận")).to_be_visible()
    petition = Petition.objects.get()
    expect(page.get_by_text(petition.code)).to_be_visible()
    assert citizen.fits()
    citizen.shot("41-petition-sent-390")

    # The Department of Finance (the dossier's agency) forwards it to the competent department.
    from motcua.accounts.services import create_user

    create_user(username="ld.sxd", password=PASSWORD, role="leader", agency_code="H15.16")
    finance = Session(browser, live_server.url)
    finance.login("ld", PASSWORD, staff=True)
    finance.page.goto("/can-bo/phan-anh/")
    finance.page.get_by_role("link", name=petition.code).click()
    expect(finance.page.get_by_text("Đã quá hẹn <b>hai ngày</b>")).to_be_visible()  # shown as text
    forward = finance.page.locator("details:has(form[action$='/xu-ly/forward/'])")
    if forward.get_attribute("open") is None:
        forward.locator("summary").click()
    forward.locator("[name=agency_code]").select_option("H15.16")
    forward.locator("[name=reason]").fill("Nội dung thuộc thẩm quyền của Sở Xây dựng.")
    forward.locator("button").click()
    expect(finance.page.get_by_text("Đã chuyển cơ quan có thẩm quyền").first).to_be_visible()
    petition.refresh_from_db()
    assert petition.agency.code == "H15.16" and petition.status == "forwarded"

    leader.login("ld.sxd", PASSWORD, staff=True)
    leader.page.goto("/can-bo/phan-anh/")
    leader.page.get_by_role("link", name=petition.code).click()
    leader.page.locator("form[action$='/xu-ly/accept/'] button").click()
    expect(leader.page.get_by_text("Đã tiếp nhận xử lý")).to_be_visible()
    answer = leader.page.locator("details:has(form[action$='/xu-ly/answer/'])")
    if answer.get_attribute("open") is None:
        answer.locator("summary").click()
    answer.locator("[name=answer]").fill("Sở đã trả kết quả và xin lỗi ông/bà về sự chậm trễ.")
    answer.locator("button").click()
    expect(leader.page.get_by_text("Nội dung trả lời đã được phê duyệt.")).to_be_visible()
    publish = leader.page.locator("details:has(form[action$='/xu-ly/publish/'])")
    if publish.get_attribute("open") is None:
        publish.locator("summary").click()
    publish.locator("button").click()
    expect(leader.page.get_by_text("Đã công khai nội dung trả lời.")).to_be_visible()
    leader.shot("42-petition-published-desktop")

    page.goto("/phan-anh/?q=hen tra ket qua")
    page.get_by_role("link", name="Hẹn trả kết quả nhưng chưa có").click()
    expect(page.get_by_text("Sở đã trả kết quả")).to_be_visible()
    assert "0905123456" not in page.content()
    page.locator("[name=proof]").fill("0905123456")
    page.locator("input[name=satisfied][value=yes]").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn: đánh giá đã được ghi nhận.")).to_be_visible()
    assert citizen.fits()
    citizen.shot("43-petition-rated-390")
    assert Evaluation.objects.get().satisfied is True
    assert citizen.problems == [] and leader.problems == [] and finance.problems == []

    # The index counts this petition: answered within its deadline, rated satisfied; a numeric total.
    from rest_framework.test import APIClient

    supervisor = APIClient()
    supervisor.force_authenticate(world.supervisor)
    today = petition.received_at.date().isoformat()
    body = supervisor.get(
        "/api/v1/metrics/service-index", {"agency": "H15", "from": "2026-01-01", "to": today}
    ).json()
    got = {i["code"]: (i["numerator"], i["denominator"]) for g in body["groups"] for i in g["indicators"]}
    assert got["petition_on_time"] == (1, 1) and got["petition_satisfaction"] == (1, 1)
    assert isinstance(body["total"], float) and body["band"] is not None
