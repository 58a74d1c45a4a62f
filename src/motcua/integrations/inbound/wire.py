"""The national channels' wire formats (integrations.md §5), plain Python: the dossiers they send
(model B, the national portal's push of a business notice; model C, an item of DVC liên thông's
list; model D, VNeID's criminal-record e-form), the answers they expect, and the statuses sent back.

Every id is kept as a string (leading zeros). Wire times are ``yyyyMMddHHmmss`` in Vietnam's time;
a time that arrives as ISO-8601 is read too. A dossier missing what we need is a ``WireError``
naming the field, which the endpoint answers in the channel's own error shape.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.inbound.ports import (
    DVCQG,
    LIENTHONG,
    VNEID,
    InboundApplicant,
    InboundDossier,
    InboundFile,
    StatusReport,
    Unreadable,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The LLTP e-form names no procedure: "Cấp Phiếu lý lịch tư pháp" (as the demo catalog codes it) unless its
# metadata says otherwise (the national code is [U]; the procedure map decides what it means here).
LLTP_PROCEDURE = "3.000333"
ACK_OK = "Cập nhật thành công"  # what CapNhatDaNhanHoSo answers when it took the acknowledgement


class WireError(ValueError):
    """The body is not a dossier we can take; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def when(value: datetime | None) -> str:
    return value.astimezone(VN).strftime("%Y%m%d%H%M%S") if value is not None else ""


def parse_time(value: Any) -> datetime | None:
    """``yyyyMMddHHmmss`` or ISO-8601 (Vietnam's time when no offset is given); None when blank or
    unreadable (the arrival time is used then)."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) == 14 and text.isdigit():
            found = datetime.strptime(text, "%Y%m%d%H%M%S")  # noqa: DTZ007 — made aware below
        else:
            found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=VN)


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if isinstance(value, Mapping):  # {maDiaBan, tenDiaBan} and the like: the readable part
        value = value.get("tenDiaBan") or value.get("Name") or value.get("DiaChiChiTiet") or ""
    return "" if value is None else str(value).strip()


def _required(body: Mapping[str, Any], key: str) -> str:
    value = _text(body, key)
    if not value:
        raise WireError(key, "missing")
    return value


def _decoded(field: str, value: Any) -> bytes:
    try:
        content = base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WireError(field, "not base64") from exc
    if not content:
        raise WireError(field, "empty")
    return content


def _object(body: Any, field: str = "body") -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise WireError(field, "not a JSON object")
    return body


# --- model B: the national portal pushes a business notice -------------------------------------------
_B_KNOWN = {
    "MaHoSo", "MaHoSoQG", "MaTTHC", "MaCoQuan", "NgayNopHoSo", "TenThuongNhan", "MaSoThue", "DienThoai",
    "Email", "DiaChiDoanhNghiep", "TenTepDonDangKy", "TepDonDangKy", "TaiLieuNop",
}  # fmt: skip


def business_notice(body: Any) -> InboundDossier:
    """A new dossier pushed by the national portal (``{MaHoSo, MaTTHC, TenThuongNhan, MaSoThue, …,
    TepDonDangKy, TaiLieuNop[{TenTepDinhKem, Base64}]}``). The applicant is the trader, by tax code."""
    b = _object(body)
    code = _text(b, "MaHoSo") or _text(b, "MaHoSoQG")
    if not code:
        raise WireError("MaHoSo", "missing")
    address = b.get("DiaChiDoanhNghiep")
    files: list[InboundFile] = []
    if b.get("TepDonDangKy"):
        files.append(
            InboundFile(
                name=_text(b, "TenTepDonDangKy") or "don-dang-ky",
                content=_decoded("TepDonDangKy", b["TepDonDangKy"]),
                code="DON",
            )
        )
    attached = b.get("TaiLieuNop") or []
    if not isinstance(attached, list):
        raise WireError("TaiLieuNop", "not a list")
    for i, item in enumerate(attached):
        item = _object(item, f"TaiLieuNop.{i}")
        files.append(
            InboundFile(
                name=_text(item, "TenTepDinhKem") or f"tai-lieu-{i + 1}",
                content=_decoded(f"TaiLieuNop.{i}.Base64", item.get("Base64")),
            )
        )
    return InboundDossier(
        source=DVCQG,
        external_code=code,
        procedure_code=_required(b, "MaTTHC"),
        agency_code=_text(b, "MaCoQuan"),
        applicant=InboundApplicant(
            kind="organization",
            full_name=_required(b, "TenThuongNhan"),
            id_number=_required(b, "MaSoThue"),
            phone=_text(b, "DienThoai"),
            email=_text(b, "Email"),
            address=_text(address, "DiaChiChiTiet")
            if isinstance(address, Mapping)
            else _text(b, "DiaChiDoanhNghiep"),
        ),
        submitted_at=parse_time(b.get("NgayNopHoSo")),
        files=tuple(files),
        form={k: v for k, v in b.items() if k not in _B_KNOWN},
    )


def dvcqg_answer(ok: bool, message: str) -> dict[str, Any]:
    """What the national portal's push expects back: ``{error_code 0 | -1, message}``."""
    return {"error_code": 0 if ok else -1, "message": message}


# --- model D: VNeID pushes the criminal-record certificate e-form -------------------------------------
def lltp_form(body: Any) -> InboundDossier:
    """``{data: {HoVaTen, SoGiayTo, NoiThuongTru, nycSoDienThoai, …}, metadata: {maHoSo, maTTHC?,
    maCoQuan?}}``: the applicant is the person the certificate is about."""
    outer = _object(body)
    data = _object(outer.get("data"), "data")
    meta = _object(outer.get("metadata") or {}, "metadata")
    code = _text(meta, "maHoSo") or _text(data, "MaHoSo")
    if not code:
        raise WireError("metadata.maHoSo", "missing")
    attached = data.get("TepDinhKem") or []
    if not isinstance(attached, list):
        raise WireError("data.TepDinhKem", "not a list")
    files = tuple(
        InboundFile(
            name=_text(_object(item, f"data.TepDinhKem.{i}"), "TenTep") or f"tep-{i + 1}",
            content=_decoded(f"data.TepDinhKem.{i}.Base64", item.get("Base64")),
        )
        for i, item in enumerate(attached)
    )
    return InboundDossier(
        source=VNEID,
        external_code=code,
        procedure_code=_text(meta, "maTTHC") or LLTP_PROCEDURE,
        agency_code=_text(meta, "maCoQuan"),
        applicant=InboundApplicant(
            kind="individual",
            full_name=_required(data, "HoVaTen"),
            id_number=_required(data, "SoGiayTo"),
            phone=_text(data, "nycSoDienThoai") or _text(data, "SoDienThoai"),
            email=_text(data, "nycEmail") or _text(data, "Email"),
            address=_text(data, "NoiThuongTru"),
        ),
        submitted_at=parse_time(meta.get("ngayNop")),
        files=files,
        form={k: v for k, v in data.items() if k != "TepDinhKem"},
    )


def vneid_answer(status: int, data: Any = None, error: str | None = None) -> dict[str, Any]:
    """What VNeID expects back: ``{statusCode, data, errorDetail}``."""
    return {"statusCode": status, "data": data, "errorDetail": error}


# --- model C: DVC liên thông, pulled ----------------------------------------------------------------
def token_body(username: str, password: str) -> dict[str, str]:
    return {"userName": username, "password": password}


def token(body: Any) -> str:
    found = _text(_object(body), "token")
    if not found:
        raise WireError("token", "missing")
    return found


def listed(body: Any) -> list[InboundDossier | Unreadable]:
    """``LayDanhSachHoSo``: ``{data: [{id, maDonVi, maTTHC, module, maHoSo, ngayTiepNhan, techId,
    chuHoSo{hoTen, soDinhDanh, soDienThoai, email, diaChi}, tepDinhKem[{tenTep, base64}]}]}``.
    Items that cannot be read are skipped with their reason (a bad item must not hold up the rest)."""
    items = _object(body).get("data")
    if not isinstance(items, list):
        raise WireError("data", "not a list")
    found: list[InboundDossier | Unreadable] = []
    for item in items:
        try:
            found.append(_item(item))
        except WireError as exc:
            found.append(Unreadable(exc.field, exc.message))
    return found


def _item(item: Any) -> InboundDossier:
    i = _object(item, "data[]")
    owner = _object(i.get("chuHoSo") or {}, "chuHoSo")
    attached = i.get("tepDinhKem") or []
    if not isinstance(attached, list):
        raise WireError("tepDinhKem", "not a list")
    return InboundDossier(
        source=LIENTHONG,
        external_code=_required(i, "maHoSo"),
        procedure_code=_required(i, "maTTHC"),
        agency_code=_text(i, "maDonVi"),
        applicant=InboundApplicant(
            kind="individual",
            full_name=_required(owner, "hoTen"),
            id_number=_required(owner, "soDinhDanh"),
            phone=_text(owner, "soDienThoai"),
            email=_text(owner, "email"),
            address=_text(owner, "diaChi"),
        ),
        submitted_at=parse_time(i.get("ngayTiepNhan")),
        files=tuple(
            InboundFile(
                name=_text(_object(f, f"tepDinhKem.{n}"), "tenTep") or f"tep-{n + 1}",
                content=_decoded(f"tepDinhKem.{n}.base64", f.get("base64")),
            )
            for n, f in enumerate(attached)
        ),
        form={"module": _text(i, "module"), "techId": _text(i, "techId")},
    )


def ack_body(external_code: str) -> dict[str, Any]:
    return {"maHoSo": external_code, "daNhan": True}


def acknowledged(text: str) -> bool:
    return ACK_OK.lower() in text.lower()


# --- statuses back ------------------------------------------------------------------------------------
def _int_or_text(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def send_status_body(r: StatusReport) -> dict[str, Any]:
    """DVC liên thông's ``SendStatus``."""
    return {
        "maTTHC": r.procedure_code,
        "soHoSoLT": r.local_code,
        "coQuanXuLy": _int_or_text(r.unit_code),
        "maHoSo": r.external_code,
        "trangThai": r.status_code,
        "thoiGianThucHien": when(r.at),
        "ghiChu": r.note,
        "ketQuaXuLy": "",
        "nguoiXuLy": r.officer[:50],
        "chucDanh": "",
        "phongBanXuLy": r.unit,
        "noiDungXuLy": r.note,
        "ngayBatDau": when(r.at),
        "ngayKetThucTheoQuyDinh": when(r.due_at),
        "ngayHenTraTruoc": "",
        "ngayHenTraMoi": "",
        "hanBoSungHoSo": "",
    }


def dvcqg_status_body(r: StatusReport) -> dict[str, Any]:
    """The national portal's ``DongBoTrangThaiHoSo`` (type 2) for a dossier it pushed."""
    return {
        "madonvi": r.unit_code,
        "service": "DongBoTrangThaiHoSo",
        "type": "2",
        "data": {
            "MaHoSo": r.external_code,
            "TrangThai": str(r.status_code),
            "MaHoSoDonVi": r.local_code,
            "MaDoiTuong": "",
            "NoiDung": r.note,
            "NgayXuLy": when(r.at),
            "TaiLieuXuLy": [],
        },
    }


def vneid_status_body(r: StatusReport) -> dict[str, Any]:
    """The LLTP status receiver (``UrlNhanTrangThai``); its exact fields are [U]."""
    return {
        "maHoSo": r.external_code,
        "maHoSoDonVi": r.local_code,
        "trangThai": r.status_code,
        "noiDung": r.note,
        "thoiGian": when(r.at),
        "donViXuLy": r.unit,
    }


STATUS_BODIES = {LIENTHONG: send_status_body, DVCQG: dvcqg_status_body, VNEID: vneid_status_body}
