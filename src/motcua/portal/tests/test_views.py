"""The citizen portal through Django's test client: search, submission, supplements, look-up, rating."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.throttling import ScopedRateThrottle

from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD, PDF, counter_dossier, logged_in, online_dossier

ID = "066195012345"


def pdf(name: str = "giay.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_search_ignores_diacritics_and_filters_by_field_and_agency(world: Any) -> None:
    page = Client().get("/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page and "thành lập công ty" not in page
    assert (
        "thành lập công ty"
        in Client().get("/", {"field": "Thành lập và hoạt động doanh nghiệp"}).content.decode()
    )
    by_agency = Client().get("/", {"agency": "H15.105"}).content.decode()
    assert "Đăng ký khai sinh" in by_agency and "thành lập công ty" not in by_agency


def test_procedure_sheet(world: Any) -> None:
    page = Client().get("/thu-tuc/1.000956/").content.decode()
    for text in (
        "Đối tượng thực hiện",
        "Thành phần hồ sơ",
        "Bản chính",
        "50.000 đ",
        "Sở Tài chính tỉnh Đắk Lắk",
    ):
        assert text in page
    assert "/thu-tuc/1.000956/nop-truc-tuyen/" in page
    assert Client().get("/thu-tuc/9.999999/").status_code == 404


def test_pages_keep_to_the_content_security_policy(world: Any) -> None:
    """No inline style, no <style>, no inline script: the CSP would block them."""
    dossier = online_dossier(world)
    citizen = logged_in(world.citizen)
    pages = [
        Client().get("/"),
        Client().get("/thu-tuc/1.000956/"),
        Client().get("/tra-cuu/"),
        Client().get("/dang-nhap/"),
        citizen.get("/ho-so/"),
        citizen.get(f"/ho-so/{dossier.pk}/"),
        citizen.get("/thu-tuc/1.000956/nop-truc-tuyen/"),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        assert not re.search(r"\sstyle=", html)
        assert "<style" not in html
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
        assert '<html lang="vi">' in html


# --- logging in -------------------------------------------------------------------------------------


def test_login_lands_each_role_where_its_work_is(world: Any, clean_throttle: None) -> None:
    citizen = Client()
    response = citizen.post("/dang-nhap/", {"username": "cd", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/ho-so/"
    staff = Client()
    response = staff.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    wrong = Client().post("/dang-nhap/", {"username": "cd", "password": "sai"})
    assert wrong.status_code == 200 and "mc-alert-error" in wrong.content.decode()


def test_pages_for_citizens_need_a_citizen(world: Any) -> None:
    response = Client().get("/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")
    assert logged_in(world.receiver).get("/ho-so/").status_code == 403


# --- online submission ------------------------------------------------------------------------------


def applicant_fields(**changes: str) -> dict[str, str]:
    data = {"kind": "individual", "full_name": "H'Hen Niê", "id_number": ID, "phone": "0905123456"}
    data.update(changes)
    return data


def test_online_submission_prefills_keeps_accepted_files_and_submits(world: Any) -> None:
    client = logged_in(world.citizen)
    form = client.get("/thu-tuc/1.000956/nop-truc-tuyen/").content.decode()
    assert 'value="H&#x27;Hen Niê"' in form and f'value="{ID}"' in form

    # One good file, one missing, a bad ID: errors by their fields, the good file is kept.
    response = client.post(
        "/thu-tuc/1.000956/nop-truc-tuyen/", {**applicant_fields(id_number="123"), "doc_0": pdf()}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "đúng 12 chữ số" in page or "12" in page
    assert "Hãy đính kèm giấy tờ này: đây là giấy tờ bắt buộc." in page
    assert "Đã đính kèm: giay.pdf" in page

    response = client.post(
        "/thu-tuc/1.000956/nop-truc-tuyen/", {**applicant_fields(), "doc_1": pdf("dieu-le.pdf")}
    )
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/1.000956/nop-truc-tuyen/xem-lai/"
    review = client.get(response["Location"]).content.decode()
    assert "giay.pdf" in review and "dieu-le.pdf" in review
    response = client.post("/thu-tuc/1.000956/nop-truc-tuyen/xem-lai/")
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/ho-so/{dossier.pk}/da-nop/"
    assert dossier.channel == "online" and dossier.status == "submitted"
    assert dossier.applicant_user == world.citizen and dossier.applicant_phone == "0905123456"
    assert dossier.documents.filter(file__isnull=False).count() == 2
    assert "Hồ sơ của bạn đã được nộp" in client.get(response["Location"]).content.decode()
    # The draft is gone; a second confirmation cannot create a second dossier.
    assert client.post("/thu-tuc/1.000956/nop-truc-tuyen/xem-lai/").status_code == 302
    assert Dossier.objects.count() == 1


def test_the_citizen_chooses_the_commune_preselected_from_the_address(world: Any) -> None:
    """Defect 6: a procedure every commune settles asks where to file, preselected from the address."""
    client = logged_in(world.citizen)
    url = "/thu-tuc/1.001193/nop-truc-tuyen/"
    form = client.get(url).content.decode()
    assert "Nơi giải quyết hồ sơ" in form and 'data-places="H15.100=buon ma thuot|H15.105=hoa phu"' in form
    assert "motcua/place.js" in form
    # A procedure only one agency settles asks nothing.
    assert "Nơi giải quyết hồ sơ" not in client.get("/thu-tuc/1.000956/nop-truc-tuyen/").content.decode()
    address = {"address": "12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk"}
    response = client.post(url, applicant_fields(**address))
    assert response.status_code == 400  # the form is missing
    assert 'value="H15.100" selected' in response.content.decode()  # offered again from the address typed
    response = client.post(
        url, {**applicant_fields(**address), "resolving_agency_code": "H15.100", "doc_0": pdf("to-khai.pdf")}
    )
    assert response.status_code == 302
    assert "Ủy ban nhân dân phường Buôn Ma Thuột" in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    dossier = Dossier.objects.get()
    assert (dossier.resolving_agency.code, dossier.receiving_agency.code) == ("H15.100", "H15.100.TTPV")


def test_an_address_names_the_place_it_is_in() -> None:
    from types import SimpleNamespace

    from motcua.portal.forms import place_from_address

    def agency(code: str, name: str) -> Any:
        return SimpleNamespace(code=code, name=name, admin_unit_id=None, admin_unit=None)

    bmt = agency("H15.100", "Ủy ban nhân dân phường Buôn Ma Thuột")
    hoa_phu = agency("H15.105", "Ủy ban nhân dân xã Hòa Phú")
    hoa_phu_dong = agency("H15.106", "Ủy ban nhân dân xã Hòa Phú Đông")
    places = [bmt, hoa_phu, hoa_phu_dong]
    assert place_from_address("Số 3, P. Buon Ma Thuot, Dak Lak", places) is bmt
    assert place_from_address("thôn 2, xã Hòa Phú Đông", places) is hoa_phu_dong  # the longer name wins
    assert place_from_address("xã Hòa Phú, tỉnh Đắk Lắk", places) is hoa_phu
    assert place_from_address("Hà Nội", places) is None


def test_a_file_that_is_not_a_document_is_refused_with_a_clear_message(world: Any) -> None:
    client = logged_in(world.citizen)
    bad = SimpleUploadedFile("ghi-chu.txt", b"just text", content_type="text/plain")
    response = client.post(
        "/thu-tuc/1.000956/nop-truc-tuyen/", {**applicant_fields(), "doc_0": bad, "doc_1": pdf()}
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, JPEG, PNG, DOCX và XLSX." in response.content.decode()


# --- my dossiers, supplements -------------------------------------------------------------------------


def test_a_citizen_sees_only_their_own_dossiers(world: Any) -> None:
    mine = online_dossier(world)
    assert "Đăng ký thành lập công ty" in logged_in(world.citizen).get("/ho-so/").content.decode()
    other = logged_in(world.other_citizen)
    assert "Đăng ký thành lập công ty" not in other.get("/ho-so/").content.decode()
    assert other.get(f"/ho-so/{mine.pk}/").status_code == 404
    assert other.get(f"/ho-so/{mine.pk}/bo-sung/").status_code == 404


def test_the_supplement_page_asks_only_for_the_missing_items(world: Any) -> None:
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    services.act(
        actor=world.specialist,
        dossier_id=dossier.pk,
        command=commands.RequestSupplement(items=["Điều lệ công ty"], reason="Thiếu chữ ký."),
    )
    client = logged_in(world.citizen)
    detail = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Cần bổ sung giấy tờ" in detail and "Thiếu chữ ký." in detail
    page = client.get(f"/ho-so/{dossier.pk}/bo-sung/").content.decode()
    assert page.count('type="file"') == 1 and "Giấy tờ đã nộp — được giữ nguyên" in page
    assert client.post(f"/ho-so/{dossier.pk}/bo-sung/", {}).status_code == 400
    response = client.post(f"/ho-so/{dossier.pk}/bo-sung/", {"item_0": pdf("dieu-le-moi.pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    added = dossier.documents.get(supplement__isnull=False)
    assert (added.code, added.name) == ("DL", "Điều lệ công ty")
    assert dossier.documents.count() == 3


def test_withdraw(world: Any) -> None:
    dossier = online_dossier(world)
    client = logged_in(world.citizen)
    assert client.post(f"/ho-so/{dossier.pk}/rut/", {"reason": ""}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    client.post(f"/ho-so/{dossier.pk}/rut/", {"reason": "Nộp nhầm thủ tục."})
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert client.get(f"/ho-so/{dossier.pk}/rut/").status_code == 405


# --- look-up and rating -----------------------------------------------------------------------------


def test_lookup_prefills_the_code_from_the_qr_code_and_asks_for_the_id_in_the_body(
    world: Any, clean_throttle: None
) -> None:
    dossier = counter_dossier(world)
    page = Client().get(f"/tra-cuu/?ma={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in page and ID not in page
    response = Client().post("/tra-cuu/", {"code": dossier.code, "id_number": ID})
    assert response.status_code == 200
    assert "Được tiếp nhận" in response.content.decode()
    assert "Location" not in response.headers


def test_a_wrong_pair_reads_exactly_like_an_unknown_code(world: Any, clean_throttle: None) -> None:
    dossier = counter_dossier(world)

    def alert(code: str, id_number: str) -> str:
        html = Client().post("/tra-cuu/", {"code": code, "id_number": id_number}).content.decode()
        found = re.search(r'role="alert">(.*?)</div>', html, re.S)
        assert found, html
        return found.group(1).strip()

    wrong_id = alert(dossier.code or "", "079200000001")
    unknown = alert("H15.TTPV-000000-9999", ID)
    assert wrong_id == unknown and "Không tìm thấy hồ sơ" in wrong_id


def test_lookup_and_rating_are_rate_limited_like_the_api(
    world: Any, clean_throttle: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"lookup": "2/min", "login": "10/min"})
    client = Client()
    for _ in range(2):
        assert client.post("/tra-cuu/", {"code": "X", "id_number": ID}).status_code == 200
    limited = client.post("/tra-cuu/", {"code": "X", "id_number": ID})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert client.post("/danh-gia/", {"code": "X", "id_number": ID, "satisfied": "yes"}).status_code == 429


def test_rating_once_the_result_is_returned(world: Any, clean_throttle: None) -> None:
    dossier = counter_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    body = {"code": dossier.code, "id_number": ID, "satisfied": "yes", "comment": "Tốt"}
    early = Client().post("/danh-gia/", body).content.decode()
    assert "mc-alert-error" in early
    services.act(actor=world.specialist, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    services.act(actor=world.leader, dossier_id=dossier.pk, command=commands.Resolve(outcome="approved"))
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.ReturnResult(method="counter"))
    wrong = Client().post("/danh-gia/", {**body, "id_number": "079200000001"}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong
    thanks = Client().post("/danh-gia/", body)
    assert thanks.status_code == 200 and "Cảm ơn bạn đã đánh giá" in thanks.content.decode()
    again = Client().post("/danh-gia/", body).content.decode()
    assert "mc-alert-error" in again
    dossier.refresh_from_db()
    assert dossier.rating.satisfied is True


def test_forms_need_the_csrf_token(world: Any, clean_throttle: None) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/tra-cuu/", {"code": "X", "id_number": ID}).status_code == 403
    assert strict.post("/danh-gia/", {"code": "X", "id_number": ID, "satisfied": "yes"}).status_code == 403
    strict.force_login(world.citizen)
    assert strict.post("/thu-tuc/1.000956/nop-truc-tuyen/", applicant_fields()).status_code == 403


@pytest.mark.parametrize("path", ["/tra-cuu/", "/danh-gia/", "/dang-nhap/"])
def test_no_id_number_in_a_redirect(world: Any, clean_throttle: None, path: str) -> None:
    response = Client().post(path, {"code": "X", "id_number": ID, "username": ID, "password": "x"})
    assert ID not in response.get("Location", "")


def test_a_result_returned_online_can_be_downloaded_from_the_portal(world: Any, clean_throttle: None) -> None:
    """Defect 2: the citizen's page linked no result and the timeline said it was collected at the
    centre. Online return: the page and the look-up (code + ID in the body) give the PDF."""
    from motcua.files.services import store_upload

    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    result = store_upload(actor=world.leader, name="kq.pdf", stream=pdf("kq.pdf"), size=len(PDF))
    services.act(
        actor=world.leader,
        dossier_id=dossier.pk,
        command=commands.Resolve(outcome="approved", result_file_id=str(result.id)),
    )
    client = logged_in(world.citizen)
    assert "/ket-qua/" not in client.get(f"/ho-so/{dossier.pk}/").content.decode()  # not handed over yet
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.ReturnResult(method="online"))
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Kết quả đã sẵn sàng để tải về" in page
    assert "Kết quả đã được trả trực tuyến: tải về ngay trên trang này" in page
    assert f"/ho-so/{dossier.pk}/ket-qua/" in page and "Đã trả kết quả tại" not in page
    download = client.get(f"/ho-so/{dossier.pk}/ket-qua/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert logged_in(world.other_citizen).get(f"/ho-so/{dossier.pk}/ket-qua/").status_code == 404
    dossier.refresh_from_db()
    public = Client()
    found = public.post("/tra-cuu/", {"code": dossier.code, "id_number": ID}).content.decode()
    assert "Tải kết quả (PDF)" in found and "Các bước đã qua" in found and "Phê duyệt" in found
    by_pair = public.post("/tra-cuu/ket-qua/", {"code": dossier.code, "id_number": ID})
    assert by_pair.status_code == 200 and b"".join(by_pair.streaming_content) == PDF
    wrong = public.post("/tra-cuu/ket-qua/", {"code": dossier.code, "id_number": "079200000001"})
    assert wrong.status_code == 404 and "Không tải được kết quả điện tử" in wrong.content.decode()
    assert public.get("/tra-cuu/ket-qua/").status_code == 405  # never by URL: the ID stays in the body
