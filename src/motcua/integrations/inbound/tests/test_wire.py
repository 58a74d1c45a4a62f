"""The national channels' wire formats (integrations.md §5), plain Python: what each channel sends,
what it is answered, and the statuses sent back."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from motcua.integrations.inbound import wire
from motcua.integrations.inbound.ports import StatusReport, Unreadable

PDF = b"%PDF-1.4\n%%EOF\n"
B64 = base64.b64encode(PDF).decode()


def notice(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "MaHoSo": "G22.99-260101-0001",
        "MaTTHC": "2.000150",
        "NgayNopHoSo": "20260315143005",
        "TenThuongNhan": "Công ty TNHH Cà phê",
        "DiaChiDoanhNghiep": {"MaTinh": "66", "MaXa": "24121", "DiaChiChiTiet": "12 Lê Duẩn"},
        "DienThoai": "02623812345",
        "Email": "a@example.vn",
        "MaSoThue": "6000123456",
        "TenChuongTrinh": "Tuần lễ cà phê",
        "TenTepDonDangKy": "don.pdf",
        "TepDonDangKy": B64,
        "TaiLieuNop": [{"TenTepDinhKem": "the-le.pdf", "Base64": B64}],
    }
    body.update(changes)
    return body


def test_a_business_notice_is_a_dossier_of_the_trader_with_its_files_and_form() -> None:
    d = wire.business_notice(notice())
    assert (d.source, d.external_code, d.procedure_code, d.agency_code) == (
        "dvcqg",
        "G22.99-260101-0001",
        "2.000150",
        "",
    )
    assert (d.applicant.kind, d.applicant.id_number, d.applicant.address) == (
        "organization",
        "6000123456",
        "12 Lê Duẩn",
    )
    assert [(f.name, f.code, f.content) for f in d.files] == [
        ("don.pdf", "DON", PDF),
        ("the-le.pdf", "", PDF),
    ]
    assert d.form == {"TenChuongTrinh": "Tuần lễ cà phê"}
    # 14:30:05 in Hà Nội is 07:30:05 UTC.
    assert d.submitted_at == datetime(2026, 3, 15, 7, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"MaHoSo": ""}, "MaHoSo"),
        ({"MaTTHC": None}, "MaTTHC"),
        ({"MaSoThue": " "}, "MaSoThue"),
        ({"TepDonDangKy": "không phải base64!"}, "TepDonDangKy"),
        ({"TaiLieuNop": "x"}, "TaiLieuNop"),
        ({"TaiLieuNop": [{"TenTepDinhKem": "a", "Base64": ""}]}, "TaiLieuNop.0.Base64"),
    ],
)
def test_what_is_missing_or_broken_is_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(wire.WireError) as caught:
        wire.business_notice(notice(**changes))
    assert caught.value.field == field


def test_a_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(wire.WireError):
        wire.business_notice(["MaHoSo"])
    with pytest.raises(wire.WireError):
        wire.lltp_form({"data": "x"})


def test_the_lltp_form_is_the_person_it_is_about_and_the_procedure_defaults() -> None:
    d = wire.lltp_form(
        {
            "data": {
                "HoVaTen": "H'Hen Niê",
                "SoGiayTo": "066195012345",
                "NoiThuongTru": {"maDiaBan": "24121", "tenDiaBan": "Phường Buôn Ma Thuột"},
                "nycSoDienThoai": "0905123456",
                "MucDichCapPhieu": "Xin việc",
            },
            "metadata": {"maHoSo": "VNEID-1"},
        }
    )
    assert (d.source, d.external_code, d.procedure_code) == ("vneid", "VNEID-1", wire.LLTP_PROCEDURE)
    assert (d.applicant.kind, d.applicant.id_number, d.applicant.phone, d.applicant.address) == (
        "individual",
        "066195012345",
        "0905123456",
        "Phường Buôn Ma Thuột",
    )
    assert d.form["MucDichCapPhieu"] == "Xin việc" and d.files == ()
    with pytest.raises(wire.WireError) as caught:
        wire.lltp_form({"data": {"HoVaTen": "A", "SoGiayTo": "1"}, "metadata": {}})
    assert caught.value.field == "metadata.maHoSo"


def test_the_pull_list_keeps_ids_as_strings_and_sets_aside_what_it_cannot_read() -> None:
    good = {
        "id": 7,
        "maDonVi": 100,
        "maTTHC": "1.001193",
        "module": "KhaiSinh",
        "maHoSo": "000123",
        "ngayTiepNhan": "2026-03-15T14:30:05",
        "chuHoSo": {"hoTen": "A", "soDinhDanh": "066195012345"},
        "tepDinhKem": [{"tenTep": "tk.pdf", "base64": B64}],
    }
    found = wire.listed({"data": [good, {"maHoSo": "x"}]})
    first, second = found
    assert not isinstance(first, Unreadable)
    assert (first.source, first.external_code, first.agency_code) == ("lienthong", "000123", "100")
    assert first.submitted_at == datetime(2026, 3, 15, 7, 30, 5, tzinfo=UTC)
    assert first.files[0].content == PDF
    assert isinstance(second, Unreadable) and second.field == "maTTHC"
    with pytest.raises(wire.WireError):
        wire.listed({"data": None})


def test_answers_in_each_channels_shape() -> None:
    assert wire.dvcqg_answer(True, "ok") == {"error_code": 0, "message": "ok"}
    assert wire.dvcqg_answer(False, "không") == {"error_code": -1, "message": "không"}
    assert wire.vneid_answer(400, None, "sai") == {"statusCode": 400, "data": None, "errorDetail": "sai"}
    assert wire.acknowledged('{"message": "Cập nhật thành công"}') and not wire.acknowledged("Lỗi")


def test_times_read_both_ways_and_blank_or_garbage_is_none() -> None:
    assert wire.parse_time("20260101000000") == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert wire.parse_time("2026-01-01T00:00:00Z") == datetime(2026, 1, 1, tzinfo=UTC)
    assert wire.parse_time("") is None and wire.parse_time("31/12/2026") is None


REPORT = StatusReport(
    source="lienthong",
    external_code="000123",
    procedure_code="1.001193",
    local_code="H15.100.TTPV-260315-0001",
    status_code=2,
    at=datetime(2026, 3, 15, 8, 0, tzinfo=UTC),
    note="Tiếp nhận hồ sơ",
    officer="Nguyễn Thị Tiếp Nhận",
    unit="Trung tâm Phục vụ hành chính công phường Buôn Ma Thuột",
    unit_code="100",
)


def test_send_status_carries_integers_where_the_channel_wants_them() -> None:
    body = wire.send_status_body(REPORT)
    assert (body["maHoSo"], body["soHoSoLT"], body["trangThai"], body["coQuanXuLy"]) == (
        "000123",
        "H15.100.TTPV-260315-0001",
        2,
        100,
    )
    assert body["thoiGianThucHien"] == "20260315150000" and body["ngayKetThucTheoQuyDinh"] == ""


def test_the_portal_and_vneid_status_bodies() -> None:
    b = wire.dvcqg_status_body(REPORT)
    assert (b["service"], b["type"], b["data"]["TrangThai"], b["data"]["MaHoSoDonVi"]) == (
        "DongBoTrangThaiHoSo",
        "2",
        "2",
        "H15.100.TTPV-260315-0001",
    )
    assert b["data"]["NgayXuLy"] == "20260315150000"
    d = wire.vneid_status_body(REPORT)
    assert (d["maHoSo"], d["trangThai"]) == ("000123", 2)
