"""The sync record and progress entries as integrations.md §3.3–3.5 give them."""

from __future__ import annotations

from datetime import UTC, datetime

from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.ports import DossierSnapshot, ProgressEntry, SyncedDocument

AT = datetime(2026, 11, 23, 8, 5, 9, tzinfo=UTC)  # 15:05:09 in Hà Nội


def snapshot(**changes: object) -> DossierSnapshot:
    base: dict[str, object] = {
        "code": "H15.100-261123-0007",
        "unit_code": "H15.100",
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "field_name": "Hộ tịch",
        "channel": "online",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "066090001234",
        "applicant_kind": "individual",
        "applicant_phone": "0912000000",
        "applicant_email": "",
        "summary": "Đăng ký khai sinh",
        "submitted_at": AT,
        "received_at": AT,
        "due_at": None,
        "status_code": 2,
        "resolved_at": None,
        "returned_at": None,
        "refused_at": None,
        "return_method": "",
        "resolving_agency_name": "UBND xã A",
        "vneid_verified": True,
        "population_data_used": True,
        "payment_channel": "national_portal",
        "documents": (SyncedDocument("1", "to_khai.pdf", "TK01", "https://x/f/1", True, False, False),),
    }
    return DossierSnapshot(**(base | changes))  # type: ignore[arg-type]


def test_times_are_24_hour_in_vietnam() -> None:
    assert wire.when(AT) == "20261123150509"  # not 030509: TD's 12-hour "hh" is the bug to avoid
    assert wire.when(None) == ""


def test_every_value_of_the_record_is_a_string_and_the_codes_follow_the_brief() -> None:
    rec = wire.record(snapshot())

    def strings(value: object) -> bool:
        if isinstance(value, dict):
            return all(strings(v) for v in value.values())
        if isinstance(value, list):
            return all(strings(v) for v in value)
        return isinstance(value, str)

    assert strings(rec)
    assert (rec["KenhThucHien"], rec["LoaiDoiTuong"], rec["TrangThaiHoSo"]) == ("2", "1", "2")
    assert (
        rec["TaiKhoanDuocXacThucVoiVNeID"],
        rec["DuocThanhToanTrucTuyen"],
        rec["HoSoCoThanhPhanSoHoa"],
    ) == ("1", "1", "1")
    assert rec["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "066090001234"}]
    assert rec["DSKetNoiCSDL"] == [{"MaCSDL": "1"}]
    assert rec["TaiLieuNop"][0]["DuocSoHoa"] == "1" and rec["NgayHenTra"] == ""
    counter = wire.record(
        snapshot(channel="counter", payment_channel="counter", applicant_kind="organization")
    )
    assert (counter["KenhThucHien"], counter["DuocThanhToanTrucTuyen"], counter["LoaiDoiTuong"]) == (
        "1",
        "0",
        "2",
    )
    assert counter["DinhDanhCHS"] == []


def test_progress_goes_in_chunks_of_ten_and_cuts_the_officers_name() -> None:
    entries = [ProgressEntry("C", "x" * 80, "Được tiếp nhận", AT, "Xã A", "", 2) for _ in range(23)]
    sizes = [len(c) for c in wire.chunks(entries)]
    assert sizes == [10, 10, 3]
    first = next(wire.chunks(entries))[0]
    assert (
        len(first["NguoiXuLy"]) == 50
        and first["TrangThai"] == "2"
        and first["ThoiDiemXuLy"] == "20261123150509"
    )


def test_success_codes_and_the_already_exists_signal() -> None:
    assert all(wire.succeeded(c) for c in ("0", "00")) and not wire.succeeded("3")
    assert wire.reply({"error_code": 0, "message": "ok"})[0] == "0"  # a number is read as its text
    assert wire.already_exists("3", "Hồ sơ đã tồn tại") and wire.already_exists("-3", "HỒ SƠ ĐÃ TỒN TẠI")
    assert not wire.already_exists("1", "Hồ sơ đã tồn tại")
