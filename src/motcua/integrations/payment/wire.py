"""The national payment platform's wire format (integrations.md §4.1). Plain Python.

``MaXacThuc`` is the lowercase hex SHA-256 of the listed fields joined by ``|`` with the partner's
secret last (no HMAC). The field orders below are the platform's and must not be reordered. Times are
``yyyyMMddHHmmss``, 24-hour, in Asia/Ho_Chi_Minh.

Two fields are ours, beside the wire fields and outside the hash: ``UrlXacNhan`` (where to post the
CONFIRM) and ``UrlTraVe`` (where to send the payer's browser back). The real platform registers both
per partner; the stand-in takes them from the INIT so that any MotCua can use it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from motcua.integrations.payment.ports import BadSignature, PaymentEvent, PaymentRequest

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "1.0.6"
TIME_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss — never a 12-hour clock

INIT_ORDER = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
CONFIRM_ORDER = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
QUERY_ORDER = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
# The reply to a CONFIRM: its hash order is not documented [U]; ours is its fields in the order listed.
REPLY_ORDER = ("MaLoi", "MoTaLoi", "MaDoiTac", "ThoiGianGD")


def wire_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return value.astimezone(VN).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=VN)


def sign(values: Sequence[str], secret: str) -> str:
    """MaXacThuc of ``values`` in the order given."""
    return hashlib.sha256("|".join([*values, secret]).encode()).hexdigest()


def signed(fields: Mapping[str, str], order: Sequence[str], secret: str) -> str:
    return sign([str(fields.get(name, "")) for name in order], secret)


def init_body(req: PaymentRequest, *, merchant: str, secret: str) -> dict[str, object]:
    fields = {
        "LoaiBanTin": "INIT",
        "PhienBan": VERSION,
        "MaDoiTac": merchant,
        "MaThamChieu": req.reference,
        "SoTien": str(req.amount_vnd),
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": "PAYMENT",
        "ThongTinGiaoDich": req.description,
        "ThoiGianGD": wire_time(req.initiated_at),
        "Ip": req.client_ip,
    }
    return {
        **fields,
        "MaXacThuc": signed(fields, INIT_ORDER, secret),
        "ThongTinBienLai": receipt_data(req),
        "UrlXacNhan": req.confirm_url,
        "UrlTraVe": req.return_url,
    }


def receipt_data(req: PaymentRequest) -> dict[str, object]:
    """ThongTinBienLai: what the platform prints on its receipt (fine fields blank for fees)."""
    blank = dict.fromkeys(
        (
            "MaLoaiHinhThuPhat",
            "TenLoaiHinhThuPhat",
            "MaCoQuanQD",
            "TenCoQuanQD",
            "KhoBac",
            "NgayQD",
            "SoQD",
            "ThoiGianViPham",
            "DiaDiemViPham",
            "TenNguoiViPham",
            "TaiKhoanThuNSNN",
        ),
        "",
    )
    return {
        "MaDichVu": "2",
        "MaDVC": req.procedure_code,
        "TenDVC": req.procedure_name,
        "MaTTHC": req.procedure_code,
        "TenTTHC": req.procedure_name,
        "MaDonVi": req.agency_code,
        "TenDonVi": req.agency_name,
        "MaHoSo": req.dossier_code,
        "TKThuHuong": req.account.number,
        "MaNHThuHuong": req.account.bank_bin,
        "TenTKThuHuong": req.account.name,
        **blank,
        "NoiDungThanhToan": req.description,
        "HoTenNguoiNop": req.payer_name,
        "SoCMNDNguoiNop": req.payer_id_number,
        "DiaChiNguoiNop": req.payer_address,
        "HuyenNguoiNop": "",
        "TinhNguoiNop": "",
        "PhiLePhi": [
            {
                "LoaiPhiLePhi": "1" if line.kind == "charge" else "0",
                "MaPhiLePhi": str(i),
                "TenPhiLePhi": line.name,
                "SoTien": str(line.amount_vnd),
            }
            for i, line in enumerate(req.lines, 1)
        ],
        "DSKhoanNop": [{"NoiDung": line.name, "SoTien": str(line.amount_vnd)} for line in req.lines],
    }


def query_body(
    kind: str, reference: str, initiated_at: datetime, *, merchant: str, secret: str
) -> dict[str, str]:
    """QUERY or GET_BILL: the same fields and hash, only LoaiBanTin differs."""
    fields = {
        "LoaiBanTin": kind,
        "PhienBan": VERSION,
        "MaDoiTac": merchant,
        "MaThamChieu": reference,
        "ThoiGianGD": wire_time(initiated_at),
    }
    return {**fields, "MaXacThuc": signed(fields, QUERY_ORDER, secret)}


def _text(body: Mapping[str, object], name: str) -> str:
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise BadSignature(f"{name} is not a string")
    return str(value)


def confirm_event(body: Mapping[str, object], *, secret: str, verify: bool = True) -> PaymentEvent:
    """The CONFIRM (or QUERY answer) fields, after checking MaXacThuc; BadSignature otherwise."""
    fields = {name: _text(body, name) for name in CONFIRM_ORDER}
    given = _text(body, "MaXacThuc").lower()
    if verify and not hmac.compare_digest(given, signed(fields, CONFIRM_ORDER, secret)):
        raise BadSignature("MaXacThuc does not match")
    if not fields["SoTien"].isdigit() or not fields["MaThamChieu"]:
        raise BadSignature("SoTien or MaThamChieu is not usable")
    return PaymentEvent(
        reference=fields["MaThamChieu"],
        amount_vnd=int(fields["SoTien"]),
        currency=fields["MaTienTe"],
        transaction_id=fields["MaGiaoDich"],
        bank_code=fields["MaNganHang"],
        time=fields["ThoiGianGD"],
        error_code=fields["MaLoi"],
        merchant=fields["MaDoiTac"],
    )


def confirm_reply(
    *, error_code: str, message: str, merchant: str, now: datetime, secret: str
) -> dict[str, str]:
    fields = {"MaLoi": error_code, "MoTaLoi": message, "MaDoiTac": merchant, "ThoiGianGD": wire_time(now)}
    return {**fields, "MaXacThuc": signed(fields, REPLY_ORDER, secret)}
