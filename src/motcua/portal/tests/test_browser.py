"""The whole journey in a real browser, citizen and officers side by side, plus the phone width,
the public look-up, and an officer of another agency. Screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD
from motcua.portal.tests.browser import PHONE, Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, data in {
        "giay-de-nghi.pdf": PDF,
        "dieu-le.pdf": PDF,
        "dieu-le-sua.pdf": PDF,
        "ghi-chu.txt": b"just text, not a document",
    }.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    return out


def open_action(page: Any, action: str) -> Any:
    """The action's form, its <details> opened if it was folded."""
    details = page.locator(f"details:has(form[action$='/xu-ly/{action}/'])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def _received_dossier(world: Any) -> Dossier:
    dossier, _created = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name="Nguyễn Văn An", id_number="066195012345"),
        documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp")],
    )
    return dossier


def test_online_dossier_from_submission_to_rating(
    browser: Any, live_server: Any, world: Any, files: dict[str, Path], clean_throttle: None
) -> None:
    citizen = Session(browser, live_server.url)
    receiver = Session(browser, live_server.url)
    specialist = Session(browser, live_server.url)
    leader = Session(browser, live_server.url)
    page = citizen.page

    # The citizen finds the procedure without diacritics and submits it online.
    page.goto("/")
    citizen.shot("01-home-desktop")
    page.get_by_label("Tên thủ tục").fill("dang ky thanh lap cong ty")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    page.get_by_role("link", name=re.compile("Đăng ký thành lập công ty")).click()
    expect(page.get_by_role("heading", name=re.compile("Đăng ký thành lập công ty"))).to_be_visible()
    citizen.shot("02-procedure-desktop")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(lambda url: "/dang-nhap/?next=" in url)
    citizen.shot("03-login-desktop")
    page.get_by_label("Tên đăng nhập").fill(world.citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url("**/nop-truc-tuyen/")
    assert page.get_by_label(re.compile("^Họ và tên")).input_value() == "H'Hen Niê"
    assert page.get_by_label(re.compile("^Số định danh")).input_value() == world.citizen.id_number

    # A text file and a missing document: clear errors, and nothing else is lost.
    page.get_by_label(re.compile("^Số điện thoại")).fill("0905123456")
    page.get_by_label(re.compile("^Giấy đề nghị")).set_input_files(str(files["ghi-chu.txt"]))
    page.get_by_role("button", name="Tiếp tục để xem lại").click()
    expect(page.get_by_text("Chỉ nhận tệp PDF, JPEG, PNG, DOCX và XLSX.")).to_be_visible()
    expect(page.get_by_text("Hãy đính kèm giấy tờ này: đây là giấy tờ bắt buộc.")).to_be_visible()
    citizen.shot("04-submit-errors-desktop")
    page.get_by_label(re.compile("^Giấy đề nghị")).set_input_files(str(files["giay-de-nghi.pdf"]))
    page.get_by_label(re.compile("^Điều lệ công ty")).set_input_files(str(files["dieu-le.pdf"]))
    page.get_by_role("button", name="Tiếp tục để xem lại").click()
    expect(page.get_by_role("heading", name="Xem lại hồ sơ")).to_be_visible()
    expect(page.get_by_text("dieu-le.pdf")).to_be_visible()
    citizen.shot("05-review-desktop")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Hồ sơ của bạn đã được nộp")).to_be_visible()
    expect(page.get_by_text("Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk").first).to_be_visible()
    citizen.shot("06-submitted-desktop")
    dossier = Dossier.objects.get()

    # The receiver checks the online submission, receives it, prints the receipt, hands it over.
    receiver.login("tiepnhan", PASSWORD, staff=True)
    assert receiver.page.url.endswith("/can-bo/")
    receiver.shot("10-queue-receiver-desktop")
    receiver.page.get_by_role("link", name=f"Trực tuyến #{dossier.pk}").click()
    receiver.shot("11-dossier-submitted-desktop")
    receiver.page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(receiver.page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.code
    expect(receiver.page.get_by_text(dossier.code).first).to_be_visible()
    receipt = receiver.page.get_by_role("link", name="In phiếu tiếp nhận (mẫu 01)")
    assert receipt.get_attribute("target") == "_blank"
    assert receipt.get_attribute("href") == f"/api/v1/dossiers/{dossier.pk}/forms/receipt"
    receiver.shot("12-received-desktop")
    pdf = receiver.page.request.get(f"/api/v1/dossiers/{dossier.pk}/forms/receipt")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    receiver.page.get_by_role("button", name="Chuyển xử lý").click()
    expect(receiver.page.get_by_text("Đã chuyển hồ sơ.")).to_be_visible()

    # The specialist asks for one document again.
    specialist.login("cv", PASSWORD, staff=True)
    specialist.page.get_by_role("link", name=dossier.code).click()
    form = open_action(specialist.page, "request_supplement")
    form.get_by_label("Điều lệ công ty").check()
    form.get_by_label(re.compile("^Lý do")).fill("Điều lệ chưa có chữ ký của chủ sở hữu.")
    specialist.shot("13-dossier-specialist-desktop")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(specialist.page.get_by_text("Yêu cầu bổ sung giấy tờ").first).to_be_visible()

    # The citizen is asked for just that one document; everything else is kept.
    page.goto("/ho-so/")
    expect(page.get_by_text("Cần bổ sung giấy tờ").first).to_be_visible()
    citizen.shot("07-my-dossiers-desktop")
    page.get_by_role("link", name=re.compile("Đăng ký thành lập công ty")).click()
    citizen.shot("08-my-dossier-supplement-desktop")
    page.get_by_role("link", name="Bổ sung giấy tờ còn thiếu").click()
    assert page.locator("input[type=file]").count() == 1
    expect(page.get_by_text("Giấy đề nghị đăng ký doanh nghiệp")).to_be_visible()  # kept, listed
    citizen.shot("09-supplement-desktop")
    page.get_by_label(re.compile("^Điều lệ công ty")).set_input_files(str(files["dieu-le-sua.pdf"]))
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_text("Cảm ơn bạn. Giấy tờ đã được gửi")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.documents.count() == 3

    # The specialist hands it to the leaders' step; the leader approves with the signed result as PDF;
    # the desk returns it online (defects 2 and 5).
    specialist.page.reload()
    form = open_action(specialist.page, "forward")
    form.locator("select[name='forward-step']").select_option("Phê duyệt")
    form.locator("button[type=submit]").click()
    expect(specialist.page.get_by_text("Đã chuyển hồ sơ.")).to_be_visible()
    assert specialist.page.locator("form[action$='/xu-ly/resolve/']").count() == 0  # the leader's to do
    leader.login("ld", PASSWORD, staff=True)
    leader.page.goto("/can-bo/?hang=approval")
    leader.page.get_by_role("link", name=dossier.code).click()
    form = open_action(leader.page, "resolve")
    form.locator("input[name='resolve-result_file']").set_input_files(str(files["giay-de-nghi.pdf"]))
    leader.shot("13b-dossier-leader-desktop")
    form.locator("button[type=submit]").click()
    expect(leader.page.get_by_text("Đã xử lý xong").first).to_be_visible()
    receiver.page.goto("/can-bo/?hang=results")
    receiver.page.get_by_role("link", name=dossier.code).click()
    form = open_action(receiver.page, "return_result")
    form.locator("input[name='return_result-method'][value='online']").check()
    form.locator("button[type=submit]").click()
    expect(receiver.page.get_by_text("Đã trả kết quả").first).to_be_visible()
    receiver.shot("14-dossier-returned-desktop")

    # The citizen downloads the result, and rates it.
    page.goto(f"/ho-so/{dossier.pk}/")
    expect(page.get_by_text("Kết quả đã sẵn sàng để tải về")).to_be_visible()
    expect(page.get_by_text("Kết quả đã được trả trực tuyến: tải về ngay trên trang này")).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("link", name="Tải kết quả (PDF)").first.click()
    assert Path(got.value.path()).read_bytes() == PDF
    citizen.shot("15-my-dossier-returned-desktop")
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label(re.compile("^Góp ý")).fill("Nhanh, cán bộ hướng dẫn tận tình.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã đánh giá")).to_be_visible()
    citizen.shot("16-rated-desktop")
    assert dossier.__class__.objects.get(pk=dossier.pk).rating.satisfied is True

    for session in (citizen, receiver, specialist, leader):
        session.close()


def test_counter_intake_then_public_lookup_from_the_qr_code(
    browser: Any, live_server: Any, world: Any, clean_throttle: None
) -> None:
    desk = Session(browser, live_server.url)
    desk.login("tiepnhan", PASSWORD, staff=True)
    desk.page.get_by_role("link", name="Tiếp nhận tại quầy").click()
    desk.page.get_by_label("Tên hoặc mã thủ tục").fill("thanh lap")
    desk.page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    desk.page.get_by_role("link", name=re.compile("Đăng ký thành lập công ty")).first.click()
    desk.page.get_by_label(re.compile("^Họ và tên")).fill("Nguyễn Văn An")
    desk.page.get_by_label(re.compile("^Số định danh")).fill("066195012345")
    desk.shot("20-intake-desktop")
    desk.page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
    expect(desk.page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    assert dossier.channel == "counter" and dossier.documents.count() == 2
    desk.close()

    visitor = Session(browser, live_server.url)
    visitor.page.goto(f"/tra-cuu/?ma={dossier.code}")  # what the receipt's QR code opens
    assert visitor.page.get_by_label("Mã hồ sơ").input_value() == dossier.code
    visitor.page.get_by_label("Số định danh cá nhân của người nộp").fill("066195012345")
    visitor.page.get_by_role("button", name="Tra cứu", exact=True).click()
    expect(visitor.page.get_by_text("Được tiếp nhận").first).to_be_visible()
    assert "066195012345" not in visitor.page.url
    visitor.shot("21-lookup-found-desktop")

    # A wrong pair reads exactly like an unknown code.
    messages = []
    for code, id_number in ((dossier.code, "079200000001"), ("H15.TTPV-000000-9999", "066195012345")):
        visitor.page.goto("/tra-cuu/")
        visitor.page.get_by_label("Mã hồ sơ").fill(code)
        visitor.page.get_by_label("Số định danh cá nhân của người nộp").fill(id_number)
        visitor.page.get_by_role("button", name="Tra cứu", exact=True).click()
        messages.append(visitor.page.get_by_role("alert").inner_text())
    assert messages[0] == messages[1] and "Không tìm thấy hồ sơ" in messages[0]
    visitor.shot("22-lookup-wrong-desktop")
    visitor.close()


def test_an_officer_of_another_agency_cannot_open_the_dossier(
    browser: Any, live_server: Any, world: Any
) -> None:
    dossier = _received_dossier(world)
    other = Session(browser, live_server.url)
    other.login("cv.sxd", PASSWORD, staff=True)
    assert not other.page.get_by_text(dossier.code or "-").count()
    response = other.page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    assert response.status == 404
    expect(other.page.get_by_role("heading", name="Không tìm thấy trang", exact=True)).to_be_visible()
    other.shot("23-other-agency-404-desktop")
    # Nor does a search by the applicant's ID number find it (sent in the body).
    other.page.goto("/can-bo/tim-kiem/")
    other.page.get_by_label("Mã hồ sơ, tên người nộp hoặc số định danh").fill("066195012345")
    other.page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    expect(other.page.get_by_text("Không có hồ sơ phù hợp.")).to_be_visible()
    assert "066195012345" not in other.page.url
    other.close()

    desk = Session(browser, live_server.url)
    desk.login("tiepnhan", PASSWORD, staff=True)
    desk.page.get_by_label("Mã hồ sơ, tên người nộp hoặc số định danh").fill("066195012345")
    desk.page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    expect(desk.page.get_by_role("link", name=dossier.code or "-")).to_be_visible()
    desk.shot("24-search-desktop")
    desk.close()

    # Agencies and the catalog are managed in the Django admin, in Vietnamese.
    admin = Session(browser, live_server.url)
    admin.login("qt", PASSWORD, staff=True)
    admin.page.get_by_role("link", name="Cơ quan và danh mục").click()
    admin.page.wait_for_url("**/admin/")
    admin.shot("25-admin-desktop")
    expect(admin.page.get_by_role("link", name="Trang cán bộ")).to_be_visible()
    admin.context.close()  # the admin's own pages are not ours to police for CSP


def test_phone_width(browser: Any, live_server: Any, world: Any, clean_throttle: None) -> None:
    dossier = _received_dossier(world)
    phone = Session(browser, live_server.url, viewport=PHONE)
    for url, name in (
        ("/", "30-home-phone"),
        ("/?q=dang+ky", "31-search-phone"),
        ("/thu-tuc/1.000956/", "32-procedure-phone"),
        (f"/tra-cuu/?ma={dossier.code}", "33-lookup-phone"),
        ("/dang-nhap/", "34-login-phone"),
    ):
        phone.page.goto(url)
        assert phone.fits(), url
        phone.shot(name)
    # The on-screen tap targets are big enough (44 px high).
    height = phone.page.get_by_role("button", name="Đăng nhập", exact=True).bounding_box()["height"]
    assert height >= 44
    phone.login(world.citizen.username, PASSWORD)
    phone.page.goto("/thu-tuc/1.000956/nop-truc-tuyen/")
    assert phone.fits()
    phone.shot("35-submit-phone")
    phone.page.goto("/ho-so/")
    phone.shot("36-my-dossiers-phone")
    phone.close()

    officer = Session(browser, live_server.url, viewport=PHONE)
    officer.login("tiepnhan", PASSWORD, staff=True)
    officer.page.goto("/can-bo/?hang=to_forward")
    assert officer.fits()
    officer.shot("37-queue-phone")
    officer.page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    assert officer.fits()
    officer.shot("38-dossier-phone")
    officer.close()
