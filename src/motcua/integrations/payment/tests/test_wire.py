"""The platform's wire format checked against values computed by hand from integrations.md §4.1, and
VietQR against the published example of §4.4. No database."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from motcua.integrations.payment import vietqr, wire
from motcua.integrations.payment.ports import Account, BadSignature, Line, PaymentRequest
from motcua.integrations.payment.words import in_words

SECRET = "bi-mat"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def request(**changes: object) -> PaymentRequest:
    base = {
        "reference": "DVC0000000007",
        "amount_vnd": 50000,
        "description": "THANH TOAN HO SO H15.TTPV-261120-0001",
        "initiated_at": datetime(2026, 12, 2, 7, 30, 5, tzinfo=UTC),  # 14:30:05 in Vietnam
        "client_ip": "10.0.0.8",
        "confirm_url": "https://motcua.example/integrations/payment/confirm",
        "return_url": "https://motcua.example/thanh-toan/ket-qua",
        "dossier_code": "H15.TTPV-261120-0001",
        "procedure_code": "1.000956",
        "procedure_name": "Đăng ký thành lập công ty",
        "agency_code": "H15.TTPV",
        "agency_name": "Trung tâm Phục vụ hành chính công",
        "account": Account("970415", "113000006100", "KBNN DAK LAK"),
        "payer_name": "H'HEN NIE",
        "payer_id_number": "066195012345",
        "payer_address": "Buôn Ma Thuột",
        "lines": (Line("Lệ phí đăng ký", 50000, "charge"),),
    }
    return PaymentRequest(**{**base, **changes})  # type: ignore[arg-type]


def test_times_are_24_hour_vietnam_time() -> None:
    assert wire.wire_time(datetime(2026, 12, 2, 7, 30, 5, tzinfo=UTC)) == "20261202143005"
    assert (
        wire.wire_time(datetime(2026, 12, 2, 16, 0, 0, tzinfo=UTC)) == "20261202230000"
    )  # not 11 pm as "11"
    with pytest.raises(ValueError, match="aware"):
        wire.wire_time(datetime(2026, 12, 2, 16, 0, 0))  # noqa: DTZ001 — the naive one is refused


def test_init_is_signed_in_the_platform_order_with_the_secret_last() -> None:
    body = wire.init_body(request(), merchant="MOTCUA", secret=SECRET)
    by_hand = sha(
        "INIT|1.0.6|MOTCUA|DVC0000000007|50000|PAY|1|1|vi-VN|VND|PAYMENT|"
        "THANH TOAN HO SO H15.TTPV-261120-0001|20261202143005|10.0.0.8|bi-mat"
    )
    assert body["MaXacThuc"] == by_hand
    assert body["UrlXacNhan"] == "https://motcua.example/integrations/payment/confirm"
    receipt = body["ThongTinBienLai"]
    assert isinstance(receipt, dict)
    assert receipt["TKThuHuong"] == "113000006100" and receipt["MaNHThuHuong"] == "970415"
    assert receipt["MaHoSo"] == "H15.TTPV-261120-0001"
    assert receipt["PhiLePhi"] == [
        {"LoaiPhiLePhi": "1", "MaPhiLePhi": "1", "TenPhiLePhi": "Lệ phí đăng ký", "SoTien": "50000"}
    ]


@pytest.mark.parametrize("kind", ["QUERY", "GET_BILL"])
def test_query_and_get_bill_share_one_hash_order(kind: str) -> None:
    body = wire.query_body(
        kind, "DVC0000000007", datetime(2026, 12, 2, 7, 30, 5, tzinfo=UTC), merchant="MOTCUA", secret=SECRET
    )
    assert body["MaXacThuc"] == sha(f"{kind}|1.0.6|MOTCUA|DVC0000000007|20261202143005|bi-mat")


def confirm_body(**changes: str) -> dict[str, str]:
    body = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": "00",
        "MaDoiTac": "MOTCUA",
        "MaThamChieu": "DVC0000000007",
        "SoTien": "50000",
        "MaTienTe": "VND",
        "MaGiaoDich": "GD123",
        "MaNganHang": "NCB",
        "ThoiGianGD": "20261202143501",
        "ThongTinGiaoDich": "THANH TOAN HO SO X",
    }
    body["MaXacThuc"] = sha(
        "CONFIRM|00|MOTCUA|DVC0000000007|50000|VND|GD123|NCB|20261202143501|THANH TOAN HO SO X|bi-mat"
    )
    return {**body, **changes}


def test_a_confirm_signed_in_the_platform_order_is_read() -> None:
    event = wire.confirm_event(confirm_body(), secret=SECRET)
    assert (event.reference, event.amount_vnd, event.transaction_id, event.succeeded) == (
        "DVC0000000007",
        50000,
        "GD123",
        True,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"SoTien": "60000"},  # a field changed after signing
        {"MaXacThuc": "0" * 64},
        {"MaXacThuc": ""},
    ],
)
def test_a_confirm_with_a_bad_signature_is_refused(changes: dict[str, str]) -> None:
    with pytest.raises(BadSignature):
        wire.confirm_event(confirm_body(**changes), secret=SECRET)


def test_a_confirm_with_another_secret_is_refused() -> None:
    with pytest.raises(BadSignature):
        wire.confirm_event(confirm_body(), secret="another")


def test_vietqr_reproduces_the_published_example() -> None:
    example = (
        "00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA53037045405100005802VN"
        "62340107NPS68690819TRANSFER TO SOMEONE6304AC13"
    )
    assert vietqr.crc16(example[:-4]) == "AC13"
    made = vietqr.payload(
        bank_bin="970416",
        account="224528479",
        amount=10000,
        purpose="TRANSFER TO SOMEONE",
        bill_number="NPS6869",
    )
    assert made == example
    assert vietqr.parse(made)["54"] == "10000"


def test_vietqr_refuses_a_payload_whose_crc_is_wrong() -> None:
    made = vietqr.payload(bank_bin="970415", account="113000006100", amount=50000, purpose="DVC0000000007 X")
    with pytest.raises(ValueError, match="CRC"):
        vietqr.parse(made[:-1] + ("0" if made[-1] != "0" else "1"))
    assert vietqr.parse(made)["01"] == "12"  # dynamic: with an amount
    static = vietqr.payload(bank_bin="970415", account="113000006100", amount=None, purpose="")
    assert vietqr.parse(static)["01"] == "11" and "54" not in vietqr.parse(static)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (50000, "Năm mươi nghìn đồng"),
        (1250000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (2000000000, "Hai tỷ đồng"),
    ],
)
def test_amounts_in_words(amount: int, words: str) -> None:
    assert in_words(amount) == words
