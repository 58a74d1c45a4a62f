"""The payment platform's stand-in in-process, with requests written by hand from integrations.md §4.1
(not by MotCua's adapter): it must refuse what the real platform would refuse."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from werkzeug.test import Client

from motcua.standins.app import StandIns
from motcua.standins.payment import Payment, tiny_pdf

SECRET = "standin-payment-secret"


def sha(*values: str) -> str:
    return hashlib.sha256("|".join([*values, SECRET]).encode()).hexdigest()


def init(reference: str = "DVC00000001ABCDE", *, swap: bool = False, **extra: Any) -> dict[str, Any]:
    values = ["INIT", "1.0.6", "MOTCUA", reference, "50000", "PAY", "1", "1", "vi-VN", "VND", "PAYMENT",
              "THANH TOAN HO SO X", "20261202143005", "10.0.0.8"]  # fmt: skip
    signed = list(values)
    if swap:  # the amount and the reference swapped: a partner that hashed in the wrong order
        signed[3], signed[4] = signed[4], signed[3]
    names = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan", "MaKenhThanhToan",
             "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich", "ThoiGianGD", "Ip"]  # fmt: skip
    return {**dict(zip(names, values, strict=True)), "MaXacThuc": sha(*signed),
            "UrlXacNhan": "http://127.0.0.1:9/confirm", "UrlTraVe": "http://127.0.0.1:9/back", **extra}  # fmt: skip


@pytest.fixture
def http() -> Client:
    return Client(StandIns([Payment()]))


def test_init_checks_the_hash_in_the_platform_order(http: Client) -> None:
    wrong = http.post("/payment/init", json=init(swap=True)).get_json()
    assert wrong["error_code"] != "0"
    right = http.post("/payment/init", json=init()).get_json()
    assert right["error_code"] == "0"
    assert json.loads(right["message"])["UrlThanhToan"].endswith("/payment/checkout/DVC00000001ABCDE")


def test_the_checkout_page_is_labelled_and_has_the_three_buttons(http: Client) -> None:
    http.post("/payment/init", json=init())
    text = http.get("/payment/checkout/DVC00000001ABCDE").get_data(as_text=True)
    assert "stand-in" in text and "width=device-width" in text
    for label in ("Thành công", "Thất bại", "Treo"):
        assert label in text
    back = http.post("/payment/checkout/DVC00000001ABCDE", data={"result": "fail"})
    assert back.status_code == 303
    assert back.headers["Location"].startswith(
        "http://127.0.0.1:9/back?data=DVC00000001ABCDE&responseCode=01"
    )


def test_query_answers_the_state_signed_as_a_confirm(http: Client) -> None:
    http.post("/payment/init", json=init())
    query = {"LoaiBanTin": "QUERY", "PhienBan": "1.0.6", "MaDoiTac": "MOTCUA", "MaThamChieu": "DVC00000001ABCDE",
             "ThoiGianGD": "20261202143005"}  # fmt: skip
    query["MaXacThuc"] = sha(*query.values())
    assert http.post("/payment/query", json=query).get_json()["TrangThaiGD"] == "3"
    http.post("/payment/_pay/DVC00000001ABCDE", json={"result": "success"})
    answer = http.post("/payment/query", json=query).get_json()
    assert answer["TrangThaiGD"] == "1"
    order = ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang",
             "ThoiGianGD", "ThongTinGiaoDich")  # fmt: skip
    assert answer["MaXacThuc"] == sha(*(answer[k] for k in order))
    bad = {**query, "MaXacThuc": sha("QUERY", "1.0.6", "MOTCUA", "20261202143005", "DVC00000001ABCDE")}
    assert http.post("/payment/query", json=bad).status_code == 400


def test_the_hand_written_pdf_is_a_pdf() -> None:
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(tiny_pdf(["BIEN LAI", "Số tiền: 50000 VND"]))).pages[0].extract_text()
    assert "BIEN LAI" in text and "So tien: 50000 VND" in text
