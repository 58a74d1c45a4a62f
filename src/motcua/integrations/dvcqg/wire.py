"""The national portal's sync wire format (integrations.md §3.3–3.5), plain Python: every value a
string, times ``yyyyMMddHHmmss`` (24-hour) in Asia/Ho_Chi_Minh, at most 10 progress entries a call.
Success is ``error_code`` 0, "0" or "00" (versions differ); an add refused with "đã tồn tại" is
resent as an update."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.dvcqg.ports import DossierSnapshot, ProgressEntry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROGRESS_CHUNK = 10
CHANNEL = {"counter": "1", "online": "2", "post": "3"}  # KenhThucHien
SUBJECT = {"individual": "1", "organization": "2"}  # LoaiDoiTuong
RETURN_METHOD = {"counter": "0", "post": "1", "online": "2"}  # HinhThuc; 2 is ours for online [U]
PAID_ONLINE = {"national_portal": "1", "local_gateway": "2"}  # DuocThanhToanTrucTuyen; else 0
SUCCESS = ("0", "00")


class WireError(ValueError):
    """The body is not the portal's wire format."""


def when(value: datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam's time (never the 12-hour ``hh`` some systems send), or ""."""
    return value.astimezone(VN).strftime("%Y%m%d%H%M%S") if value is not None else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def record(d: DossierSnapshot) -> dict[str, Any]:
    """One ``DongBoHoSoMC.data[]`` item."""
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "MaLinhVuc": "",
        "TenLinhVuc": d.field_name,
        "KenhThucHien": CHANNEL[d.channel],
        "ChuHoSo": d.applicant_name,
        "SoGiayToChuHoSo": d.applicant_id_number,
        "LoaiDoiTuong": SUBJECT.get(d.applicant_kind, "4"),
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": d.applicant_email,
        "Fax": "",
        "SoDienThoai": d.applicant_phone,
        "TrichYeuHoSo": d.summary[:1000],
        "NgayNopHoSo": when(d.submitted_at),
        "NgayTiepNhan": when(d.received_at),
        "NgayHenTra": when(d.due_at),
        "TrangThaiHoSo": str(d.status_code),
        "NgayTra": when(d.returned_at),
        "ThongTinTra": "",
        "HinhThuc": RETURN_METHOD.get(d.return_method, ""),
        "NgayKetThucXuLy": when(d.resolved_at),
        "NgayTuChoi": when(d.refused_at),
        "DonViXuLy": d.resolving_agency_name,
        "GhiChu": "",
        "TaiLieuNop": [
            {
                "TepDinhKemId": doc.id,
                "TenTepDinhKem": doc.name,
                "IsDeleted": "0",
                "MaThanhPhanHoSo": doc.code,
                "DuongDanTaiTepTin": doc.url,
                "DuocSoHoa": _flag(doc.digitized),
                "DuocTaiSuDung": _flag(doc.reused),
                "DuocLayTuKhoDMQG": _flag(doc.from_warehouse),
                "MaKetQuaThayThe": "",
            }
            for doc in d.documents
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": str(i),
                "HinhThucThu": "1",
                "Gia": str(f.amount_vnd),
                "LoaiPhiLePhi": "1",
            }
            for i, f in enumerate(d.fees, start=1)
        ],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [
            {
                "HoSoBoSungId": s.id,
                "NguoiYeuCauBoSung": s.requested_by,
                "NoiDungBoSung": s.reason,
                "NgayBoSung": when(s.requested_at),
                "NguoiTiepNhanBoSung": "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": when(s.completed_at),
                "TrangThaiBoSung": "1" if s.completed_at else "0",
                "DanhSachGiayToBoSung": [],
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": "",
                "NgayHenTraMoi": "",
            }
            for s in d.supplements
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": r.name,
                "MaThanhPhanHoSo": "",
                "GiayToId": r.code,
                "DuongDanTepTinKetQua": r.url,
                "MaGiayToKetQua": r.code,
            }
            for r in d.results
        ],
        "NoiNopHoSo": "2",
        "HoSoCoThanhPhanSoHoa": _flag(any(doc.digitized for doc in d.documents)),
        "TaiKhoanDuocXacThucVoiVNeID": _flag(d.vneid_verified),
        "DuocThanhToanTrucTuyen": PAID_ONLINE.get(d.payment_channel or "", "0"),
        "DinhDanhCHS": [_identifier(d.applicant_id_number)] if d.applicant_kind == "individual" else [],
        "DSKetNoiCSDL": [{"MaCSDL": "1"}] if d.population_data_used else [],
    }


def _identifier(number: str) -> dict[str, str]:
    return {"LoaiDinhDanh": "1" if len(number) == 12 else "2", "SoDinhDanh": number}


def progress(entry: ProgressEntry) -> dict[str, str]:
    """One ``CapNhatTienDoHoSoMC.data[]`` item; the officer's name is cut at 50 characters."""
    return {
        "MaHoSo": entry.dossier_code,
        "NguoiXuLy": entry.officer[:50],
        "ChucDanh": "",
        "ThoiDiemXuLy": when(entry.at),
        "PhongBanXuLy": entry.unit,
        "NoiDungXuLy": entry.title + (f": {entry.note}" if entry.note else ""),
        "TrangThai": str(entry.status_code),
        "NgayBatDau": when(entry.started_at),
        "NgayKetThucTheoQuyDinh": when(entry.due_at),
    }


def chunks(entries: Sequence[ProgressEntry]) -> Iterator[list[dict[str, str]]]:
    for start in range(0, len(entries), PROGRESS_CHUNK):
        yield [progress(e) for e in entries[start : start + PROGRESS_CHUNK]]


def upsert_body(
    session: str, unit_code: str, records: Sequence[DossierSnapshot], *, update: bool
) -> dict[str, Any]:
    return {
        "session": session,
        "madonvi": unit_code,
        "service": "DongBoHoSoMC",
        "isUpdating": "True" if update else "False",
        "data": [record(d) for d in records],
    }


def progress_body(session: str, unit_code: str, items: list[dict[str, str]]) -> dict[str, Any]:
    return {"session": session, "madonvi": unit_code, "service": "CapNhatTienDoHoSoMC", "data": items}


def lookup_body(session: str, unit_code: str, dossier_code: str) -> dict[str, Any]:
    return {"session": session, "madonvi": unit_code, "service": "TraCuuHoSo", "mahoso": dossier_code}


def reply(body: Any) -> tuple[str, str, list[Any]]:
    """(error_code as a string, message, result) of a reply."""
    if not isinstance(body, Mapping) or "error_code" not in body:
        raise WireError("no error_code")
    result = body.get("result") or []
    return (
        str(body["error_code"]),
        str(body.get("message") or ""),
        list(result) if isinstance(result, list) else [],
    )


def succeeded(code: str) -> bool:
    return code in SUCCESS


def already_exists(code: str, message: str) -> bool:
    """The add was refused because the record is there: resend it as an update."""
    return code in ("3", "-3") and "đã tồn tại" in message.lower()


def session_expired(code: str, message: str) -> bool:
    """The portal's session lapsed: log in again and repeat. The portal's exact code is [U]; the
    stand-in answers "-1" with "phiên" (session) in the message."""
    return code in ("-1", "401") and ("phiên" in message.lower() or "session" in message.lower())
