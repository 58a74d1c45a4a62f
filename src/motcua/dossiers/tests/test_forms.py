"""The printed forms 01–06 (Circular 03/2025/TT-VPCP) through the API, read back from the PDF."""

from __future__ import annotations

import io
import threading
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import segno
import time_machine
from pypdf import PageObject, PdfReader

from motcua.catalog import services as catalog
from motcua.conftest import error_of
from motcua.dossiers.tests.conftest import World, applicant, spec

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên"
THU_HA = {"full_name": "Nguyễn Thị Thu Hà", "id_number": "079200000001", "email": "thuha@example.vn"}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def act(client: Any, dossier_id: int, action: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/dossiers/{dossier_id}/actions", {"action": action, **body}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pages_of(response: Any) -> list[PageObject]:
    assert response.status_code == 200, response.content[:500]
    return list(PdfReader(io.BytesIO(response.content)).pages)


def qr_code_on(page: PageObject) -> list[list[bool]]:
    """The QR code printed on the page, read back as its dark and light modules.

    No QR decoder is among the dependencies: the image is sampled at the centre of each module, and
    tests compare the result with the modules of the code they expect (``modules``).
    """
    from motcua.dossiers.forms.render import QR_SCALE

    (image,) = page.images
    pixels = image.image.convert("L")
    width, height = pixels.size
    size = round(width / QR_SCALE)
    return [
        [
            pixels.getpixel((int((x + 0.5) * width / size), int((y + 0.5) * height / size))) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def modules(content: str) -> list[list[bool]]:
    from motcua.dossiers.forms.render import QR_BORDER, QR_ERROR

    code = segno.make(content, error=QR_ERROR, micro=False)
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QR_BORDER)]


def fonts_of(response: Any) -> set[str]:
    reader = PdfReader(io.BytesIO(response.content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def form(client: Any, dossier_id: int, name: str, **headers: str) -> Any:
    return client.get(f"/api/v1/dossiers/{dossier_id}/forms/{name}", **headers)


@pytest.fixture
def no_public_url(settings: Any) -> None:
    """MOTCUA_PUBLIC_URL unset, as by default: links take the address the request came in on."""
    settings.MOTCUA_PUBLIC_URL = ""


@pytest.fixture
def named(world: World) -> World:
    """Officers have names on paper."""
    for user, name in (
        (world.receiver, "Trần Văn Đức"),
        (world.specialist, "Lê Thị Hồng Nhung"),
        (world.leader, "Phạm Quốc Việt"),
    ):
        user.full_name = name
        user.save(update_fields=["full_name"])
    return world


def online_received(world: World) -> int:
    """H'Hen Niê submits online on Fri 20/11/2026 at 9:00; the desk receives it at 14:30."""
    citizen = world.client(world.citizen)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        created = citizen.post(
            "/api/v1/dossiers",
            {
                "procedure_code": "1.000956",
                "channel": "online",
                "applicant": applicant(),
                "documents": [
                    {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp"},
                    {"code": "DL", "name": "Điều lệ công ty"},
                ],
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    dossier_id: int = created.json()["id"]
    with time_machine.travel(at(2026, 11, 20, 14, 30), tick=False):
        act(world.client(world.receiver), dossier_id, "receive")
    return dossier_id


def counter_received(world: World, when: datetime, **changes: Any) -> dict[str, Any]:
    with time_machine.travel(when, tick=False):
        created = world.client(world.receiver).post(
            "/api/v1/dossiers",
            {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant(**changes)},
            format="json",
        )
    assert created.status_code == 201, created.json()
    body: dict[str, Any] = created.json()
    return body


@pytest.mark.django_db
def test_receipt_is_a_pdf_with_the_appointment_and_a_lookup_link(named: World, no_public_url: None) -> None:
    dossier_id = online_received(named)
    response = form(named.client(named.citizen), dossier_id, "receipt")
    text = pdf_text(response)
    assert response["Content-Disposition"] == 'inline; filename="mau-01-H15.TTPV-261120-0001.pdf"'
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH ĐẮK LẮK",
        "Đắk Lắk, ngày 20 tháng 11 năm 2026",
        "Mã hồ sơ: H15.TTPV-261120-0001",
        "Tiếp nhận hồ sơ của: H'Hen Niê",
        "066195012345",
        PROCEDURE,
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Điều lệ công ty",
        "Số lượng hồ sơ: 01 (bộ)",
        "Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
        "Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 20/11/2026",
        # 3 working days from Fri 14:30, over the weekend and the 24/11 holiday.
        "Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 30 phút, ngày 26/11/2026",
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk",
        "50.000 đồng",
        "Quyển số: 261120, Số thứ tự: 0001",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Đức",
        "http://testserver/tra-cuu/?ma=H15.TTPV-261120-0001",
    ):
        assert expected in text, expected
    # The vendored font, embedded, with nothing falling back to another face.
    assert fonts_of(response) and all("Be-Vietnam-Pro" in f for f in fonts_of(response)), fonts_of(response)


@pytest.mark.django_db
def test_receipt_for_a_counter_dossier_and_the_public_url_setting(named: World, settings: Any) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.daklak.gov.vn"
    settings.ALLOWED_HOSTS = ["testserver", "10.0.0.5"]
    d = counter_received(named, at(2026, 11, 20, 15, 30), **THU_HA)
    desk = named.client(named.receiver)
    response = form(desk, d["id"], "receipt", HTTP_ACCEPT="application/pdf", HTTP_HOST="10.0.0.5:8000")
    text = pdf_text(response)
    assert "Tiếp nhận hồ sơ của: Nguyễn Thị Thu Hà" in text
    assert "Không có giấy tờ kèm theo" in text
    # After the 15:00 cut-off: counted from Mon 23 08:00 → Thu 26/11 17:00.
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 26/11/2026" in text
    # The configured address wins over the one the desk reached the server at.
    link = "https://dichvucong.daklak.gov.vn/tra-cuu/?ma=H15.TTPV-261120-0001"
    assert link in text
    assert "10.0.0.5" not in text
    assert qr_code_on(pages_of(response)[0]) == modules(link)


@pytest.mark.django_db
def test_links_and_the_qr_code_use_the_address_the_request_came_in_on(
    named: World, settings: Any, no_public_url: None
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "motcua.daklak.gov.vn"]
    dossier_id = online_received(named)
    citizen = named.client(named.citizen)
    response = form(citizen, dossier_id, "receipt", HTTP_HOST="motcua.daklak.gov.vn")
    link = "http://motcua.daklak.gov.vn/tra-cuu/?ma=H15.TTPV-261120-0001"
    assert link in pdf_text(response)
    assert qr_code_on(pages_of(response)[0]) == modules(link)
    # Through the TLS proxy (gunicorn marks the request secure): an https link.
    secure = form(citizen, dossier_id, "receipt", HTTP_HOST="motcua.daklak.gov.vn", secure=True)
    assert qr_code_on(pages_of(secure)[0]) == modules(link.replace("http:", "https:"))
    # The other forms' links too.
    act(citizen, dossier_id, "withdraw", reason="Tôi muốn nộp lại hồ sơ khác")
    assert link in pdf_text(form(citizen, dossier_id, "stop", HTTP_HOST="motcua.daklak.gov.vn"))
    # A Host header outside ALLOWED_HOSTS is refused: it never ends up on paper.
    assert form(citizen, dossier_id, "stop", HTTP_HOST="lua-dao.example.com").status_code == 400


LAND = "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu cho hộ gia đình, cá nhân"
LAND_DOCUMENTS = [
    (
        "DK",
        "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK) có xác nhận của Ủy ban nhân dân cấp xã",
        "original",
        1,
    ),
    ("GT", "Giấy tờ về quyền sử dụng đất theo quy định tại Điều 137 Luật Đất đai năm 2024", "copy", 1),
    ("TS", "Giấy tờ về quyền sở hữu nhà ở, công trình xây dựng gắn liền với đất", "copy", 1),
    (
        "SD",
        "Sơ đồ nhà ở, công trình xây dựng (trừ trường hợp giấy tờ đã có sơ đồ phù hợp với hiện trạng)",
        "original",
        1,
    ),
    (
        "TC",
        "Chứng từ thực hiện nghĩa vụ tài chính; giấy tờ về miễn, giảm nghĩa vụ tài chính (nếu có)",
        "copy",
        1,
    ),
    ("TD", "Trích lục bản đồ địa chính hoặc trích đo bản đồ địa chính thửa đất", "original", 2),
    ("UQ", "Văn bản ủy quyền nộp hồ sơ hoặc nhận Giấy chứng nhận (nếu có)", "original", 1),
    ("CC", "Bản sao Căn cước của người sử dụng đất", "copy", 2),
]
LONG_ADDRESS = (
    "Số nhà 27, đường Y Wang, tổ dân phố 5 (trước đây là thôn 3, xã Hòa Phú, thành phố Buôn Ma Thuột), "
    "phường Buôn Ma Thuột, tỉnh Đắk Lắk"
)


@pytest.mark.django_db
def test_receipt_with_eight_documents_is_one_page_with_its_qr_code(named: World, no_public_url: None) -> None:
    catalog.create_procedure(
        spec=spec(
            code="1.012790",
            name=LAND,
            field="Đất đai",
            processing_time={"value": 20, "unit": "working_days"},
            required_documents=[
                {"code": code, "name": name, "required": True, "form": kind, "count": count}
                for code, name, kind, count in LAND_DOCUMENTS
            ],
        )
    )
    citizen = named.client(named.citizen)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        created = citizen.post(
            "/api/v1/dossiers",
            {
                "procedure_code": "1.012790",
                "channel": "online",
                "applicant": applicant(address=LONG_ADDRESS),
                "documents": [{"code": code, "name": name} for code, name, _kind, _count in LAND_DOCUMENTS],
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    dossier_id = created.json()["id"]
    with time_machine.travel(at(2026, 11, 20, 14, 30), tick=False):
        act(named.client(named.receiver), dossier_id, "receive")
    response = form(citizen, dossier_id, "receipt")
    (page,) = pages_of(response)
    assert qr_code_on(page) == modules("http://testserver/tra-cuu/?ma=H15.TTPV-261120-0001")
    text = pdf_text(response)
    # Compared without spaces: a cell may wrap a name after "04/", where the extracted text has a space.
    for expected in (LAND, LONG_ADDRESS, *(name for _code, name, _kind, _count in LAND_DOCUMENTS)):
        assert expected.replace(" ", "") in text.replace(" ", ""), expected
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Trần Văn Đức" in text
    assert "http://testserver/tra-cuu/?ma=H15.TTPV-261120-0001" in text


@pytest.mark.django_db
def test_threads_share_the_fonts_loaded_once_per_process(
    named: World, no_public_url: None, monkeypatch: Any
) -> None:
    from weasyprint.text import fonts

    from motcua.dossiers.forms import render
    from motcua.dossiers.selectors import dossier_for_forms

    dossier_id = online_received(named)
    html = render.render_html(
        "receipt", dossier_for_forms(named.citizen, dossier_id), base_url="http://testserver"
    )
    loaded = []
    original = fonts.FontConfiguration.__init__

    def counting(self: Any) -> None:
        loaded.append(threading.get_ident())
        original(self)

    monkeypatch.setattr(fonts.FontConfiguration, "__init__", counting)
    start = threading.Barrier(4)
    pdfs: list[bytes] = []

    def print_one() -> None:
        start.wait()
        pdfs.append(render.html_to_pdf(html))

    threads = [threading.Thread(target=print_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(pdfs) == 4 and all(len(PdfReader(io.BytesIO(pdf)).pages) == 1 for pdf in pdfs)
    assert len(loaded) <= 1, f"fonts loaded {len(loaded)} times"  # none if an earlier test printed


def test_a_server_worker_loads_the_fonts_before_its_first_form(monkeypatch: Any) -> None:
    from weasyprint.text import fonts

    from motcua.conf import gunicorn
    from motcua.dossiers.forms import render

    monkeypatch.setattr(render, "_printer", render._Printer())  # a worker that has printed nothing yet
    loaded = []
    original = fonts.FontConfiguration.__init__

    def counting(self: Any) -> None:
        loaded.append(self)
        original(self)

    monkeypatch.setattr(fonts.FontConfiguration, "__init__", counting)
    gunicorn.on_starting(None)
    gunicorn.post_worker_init(None)
    assert len(loaded) == 1
    pdf = render.html_to_pdf("<p>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</p>")
    assert pdf.startswith(b"%PDF") and len(loaded) == 1


@pytest.mark.django_db
def test_supplement_request_prints_the_latest_request_in_full(named: World) -> None:
    dossier_id = online_received(named)
    desk, specialist = named.client(named.receiver), named.client(named.specialist)
    error = error_of(form(desk, dossier_id, "supplement"))
    assert error["code"] == "form_not_available"
    with time_machine.travel(at(2026, 11, 23, 8, 0), tick=False):
        act(desk, dossier_id, "forward", step="Thẩm định hồ sơ")
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        act(
            specialist,
            dossier_id,
            "request_supplement",
            items=["Điều lệ công ty có chữ ký của các thành viên", "Bản sao giấy tờ pháp lý của chủ sở hữu"],
            reason="Điều lệ nộp kèm chưa có chữ ký; thiếu giấy tờ pháp lý của cá nhân.",
        )
    text = pdf_text(form(desk, dossier_id, "supplement"))
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "SỞ TÀI CHÍNH TỈNH ĐẮK LẮK",  # the department that asked
        "Kính gửi: H'Hen Niê",
        "H15.TTPV-261120-0001",
        PROCEDURE,
        "1. Điều lệ công ty có chữ ký của các thành viên",
        "2. Bản sao giấy tờ pháp lý của chủ sở hữu",
        "Điều lệ nộp kèm chưa có chữ ký; thiếu giấy tờ pháp lý của cá nhân.",
        "hướng dẫn một lần, đầy đủ",
        "NGƯỜI HƯỚNG DẪN",
        "Lê Thị Hồng Nhung",
        "Đắk Lắk, ngày 23 tháng 11 năm 2026",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_refusal_states_the_reason(named: World) -> None:
    d = counter_received(named, at(2026, 11, 20, 10, 0), **THU_HA)
    desk = named.client(named.receiver)
    assert error_of(form(desk, d["id"], "refusal"))["code"] == "form_not_available"
    act(desk, d["id"], "refuse", reason="Thủ tục không thuộc thẩm quyền giải quyết của tỉnh.")
    response = form(desk, d["id"], "refusal")
    text = pdf_text(response)
    assert response["Content-Disposition"] == 'inline; filename="mau-03-H15.TTPV-261120-0001.pdf"'
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Thu Hà",
        PROCEDURE,
        "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "Thủ tục không thuộc thẩm quyền giải quyết của tỉnh.",
        "Trần Văn Đức",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_apology_after_an_extension(named: World) -> None:
    d = counter_received(named, at(2026, 11, 25, 9, 0))
    desk = named.client(named.receiver)
    assert error_of(form(desk, d["id"], "apology"))["code"] == "form_not_available"
    with time_machine.travel(at(2026, 11, 27, 9, 0), tick=False):
        act(
            desk,
            d["id"],
            "extend",
            new_due_at="2026-12-10T17:00:00+07:00",
            reason="Cần xác minh tại thực địa",
        )
    text = pdf_text(form(desk, d["id"], "apology"))
    for expected in (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "SỞ TÀI CHÍNH TỈNH ĐẮK LẮK",
        "Kính gửi: H'Hen Niê",
        "H15.TTPV-261125-0001",
        PROCEDURE,
        "09 giờ 00 phút, ngày 30/11/2026",  # the first appointment
        "Cần xác minh tại thực địa",
        "17 giờ 00 phút, ngày 10/12/2026",  # the new one
        "xin lỗi",
        "Nơi nhận:",
        "- Như trên; - Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk; - Lưu: VT.",
        "THỦ TRƯỞNG CƠ QUAN",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Đắk Lắk, ngày 27 tháng 11 năm 2026",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_stop_notice_for_a_stopped_and_a_withdrawn_dossier(named: World) -> None:
    d = counter_received(named, at(2026, 11, 20, 10, 0), **THU_HA)
    desk = named.client(named.receiver)
    act(desk, d["id"], "forward", step="Thẩm định hồ sơ")
    assert error_of(form(desk, d["id"], "stop"))["code"] == "form_not_available"
    act(
        named.client(named.specialist),
        d["id"],
        "stop",
        reason="Có văn bản của cơ quan có thẩm quyền tạm dừng.",
    )
    text = pdf_text(form(desk, d["id"], "stop"))
    for expected in (
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Thị Thu Hà",
        "H15.TTPV-261120-0001",
        PROCEDURE,
        "Đang xử lý — Thẩm định hồ sơ",  # the stage it was stopped at
        "Có văn bản của cơ quan có thẩm quyền tạm dừng.",
    ):
        assert expected in text, expected

    mine = online_received(named)
    act(named.client(named.citizen), mine, "withdraw", reason="Tôi muốn nộp lại hồ sơ khác")
    text = pdf_text(form(named.client(named.citizen), mine, "stop"))
    assert "Theo đề nghị rút hồ sơ của ông (bà)" in text
    assert "Tôi muốn nộp lại hồ sơ khác" in text
    assert "Kính gửi: H'Hen Niê" in text


@pytest.mark.django_db
def test_control_sheet_lists_every_hand_over(named: World) -> None:
    dossier_id = online_received(named)
    desk, specialist, leader = (named.client(u) for u in (named.receiver, named.specialist, named.leader))
    with time_machine.travel(at(2026, 11, 23, 8, 0), tick=False):
        act(desk, dossier_id, "forward", step="Thẩm định hồ sơ")
    with time_machine.travel(at(2026, 11, 23, 11, 0), tick=False):
        act(specialist, dossier_id, "forward", step="Phê duyệt")
    with time_machine.travel(at(2026, 11, 23, 15, 0), tick=False):
        act(leader, dossier_id, "resolve", outcome="approved", note="Cấp giấy chứng nhận")
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        act(desk, dossier_id, "return_result", method="counter")
    response = form(named.client(named.supervisor), dossier_id, "control-sheet")
    text = pdf_text(response)
    assert response["Content-Disposition"] == 'inline; filename="mau-06-H15.TTPV-261120-0001.pdf"'
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: H15.TTPV-261120-0001",
        "Chủ hồ sơ ông (bà): H'Hen Niê",
        PROCEDURE,
        "Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 20/11/2026",
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "GHI CHÚ",
        "Người giao",
        "Người nhận",
        "Tiếp nhận hồ sơ",  # the first row: the one-stop desk's receipt
        "08 giờ 00 phút, ngày 23/11/2026",
        "11 giờ 00 phút, ngày 23/11/2026",
        "15 giờ 00 phút, ngày 23/11/2026",
        "09 giờ 00 phút, ngày 25/11/2026",
        "Thẩm định hồ sơ",
        "Phê duyệt",
        "Trần Văn Đức",
        "Lê Thị Hồng Nhung",
        "Phạm Quốc Việt",
        "Trước hạn",
        "Trả kết quả",
    ):
        assert expected in text, expected
    # Receipt, three hand-overs and the return: five numbered rows.
    for n in range(1, 6):
        assert f"{n}. Giao:" in text, n
    assert "6. Giao:" not in text


@pytest.mark.django_db
def test_forms_that_do_not_apply_yet_are_409(named: World) -> None:
    citizen = named.client(named.citizen)
    created = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    for name in ("receipt", "supplement", "refusal", "apology", "stop", "control-sheet"):
        response = form(citizen, created["id"], name, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 409, name
        assert response["Content-Type"] == "application/json"
        assert error_of(response)["code"] == "form_not_available"


@pytest.mark.django_db
def test_who_cannot_see_the_dossier_gets_404_and_so_does_an_unknown_form(named: World) -> None:
    dossier_id = online_received(named)
    for user in (named.other_citizen, named.other_specialist):
        response = form(named.client(user), dossier_id, "receipt")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert form(named.client(named.citizen), dossier_id + 1000, "receipt").status_code == 404
    unknown = form(named.client(named.citizen), dossier_id, "mau-07")
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"
    anonymous = named.client(named.citizen)
    anonymous.force_authenticate(None)
    assert form(anonymous, dossier_id, "receipt").status_code == 401


def test_dates_places_and_units_are_written_the_vietnamese_way() -> None:
    from motcua.agencies.models import Agency
    from motcua.dossiers.forms.render import clock, long_date, money, place_of

    assert long_date(at(2026, 1, 5, 9, 0)) == "ngày 05 tháng 01 năm 2026"  # Decree 30/2020: leading zeros
    assert long_date(at(2026, 11, 20, 9, 0)) == "ngày 20 tháng 11 năm 2026"
    assert clock(datetime(2026, 11, 20, 7, 30, tzinfo=ZoneInfo("UTC"))) == "14 giờ 30 phút, ngày 20/11/2026"
    assert money(1250000) == "1.250.000 đồng"
    province = Agency(pk=1, code="H01", name="Ủy ban nhân dân thành phố Hà Nội", kind="province")
    department = Agency(pk=2, code="H01.01", name="Sở Tư pháp", kind="department", parent=province)
    assert place_of(department) == "Hà Nội"
    assert place_of(Agency(code="G01", name="Bộ Tài chính", kind="ministry")) == "Bộ Tài chính"


def test_forms_read_nothing_but_their_fonts_and_data_uris(tmp_path: Any) -> None:
    from motcua.dossiers.forms.render import local_fetcher

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "a.woff2").write_bytes(b"font")
    (tmp_path / "secret.txt").write_text("no")
    fetcher = local_fetcher([fonts])
    assert fetcher.fetch((fonts / "a.woff2").as_uri()) is not None
    assert fetcher.fetch("data:text/plain,ok") is not None
    for url in (
        (tmp_path / "secret.txt").as_uri(),
        (fonts / ".." / "secret.txt").as_uri(),
        "http://example.vn/x",
    ):
        with pytest.raises(ValueError, match="Forms may not"):
            fetcher.fetch(url)
