"""The national-channel stand-in on its own (werkzeug's test client, no process): DVC liên thông's pull
API with its token and RFC 7807 errors, re-delivery, and the status receivers."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client

from motcua.standins import accounts, app

ACCOUNT = accounts.DEFAULTS["lienthong"]


@pytest.fixture
def client() -> Client:
    return Client(app.build())


def bearer(client: Client) -> dict[str, str]:
    got = client.post(
        "/lienthong/GetToken", json={"userName": ACCOUNT["username"], "password": ACCOUNT["password"]}
    )
    assert got.status_code == 200 and set(got.json) == {"token", "refreshToken", "refreshTokenExpiryTime"}
    return {"Authorization": f"Bearer {got.json['token']}"}


def status(code: str, **changes: Any) -> dict[str, Any]:
    return {
        "maTTHC": "1.001193",
        "maHoSo": code,
        "trangThai": 2,
        "thoiGianThucHien": "20261202150000",
        **changes,
    }


def test_a_wrong_password_or_no_token_is_an_rfc7807_problem(client: Client) -> None:
    refused = client.post("/lienthong/GetToken", json={"userName": ACCOUNT["username"], "password": "x"})
    assert refused.status_code == 401 and refused.json["status"] == 401 and "traceId" in refused.json
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert client.get("/lienthong/LayDanhSachHoSo").status_code == 401
    assert (
        client.get("/lienthong/LayDanhSachHoSo", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_the_list_holds_what_is_not_acknowledged_and_redelivery_puts_it_back(client: Client) -> None:
    auth = bearer(client)
    code = client.post("/lienthong/_queue", json={"maDonVi": 105}).json["maHoSo"]
    listed = client.get("/lienthong/LayDanhSachHoSo", headers=auth).json["data"]
    assert [(i["maHoSo"], i["maDonVi"]) for i in listed] == [(code, 105)] and listed[0]["tepDinhKem"]
    acked = client.put("/lienthong/CapNhatDaNhanHoSo", json={"maHoSo": code, "daNhan": True}, headers=auth)
    assert "Cập nhật thành công" in acked.get_data(as_text=True)
    assert client.get("/lienthong/LayDanhSachHoSo", headers=auth).json["data"] == []
    client.post("/lienthong/_redeliver", json={"maHoSo": code})
    assert len(client.get("/lienthong/LayDanhSachHoSo", headers=auth).json["data"]) == 1
    unknown = client.put("/lienthong/CapNhatDaNhanHoSo", json={"maHoSo": "x", "daNhan": True}, headers=auth)
    assert unknown.status_code == 404


def test_send_status_checks_the_record_and_takes_a_repeat_once(client: Client) -> None:
    auth = bearer(client)
    code = client.post("/lienthong/_queue", json={}).json["maHoSo"]
    bad = client.post(
        "/lienthong/SendStatus", json=status(code, trangThai="2", thoiGianThucHien="2/12"), headers=auth
    )
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"trangThai", "thoiGianThucHien"}
    assert client.post("/lienthong/SendStatus", json=status("nope"), headers=auth).status_code == 400
    for _ in range(2):
        assert client.post("/lienthong/SendStatus", json=status(code), headers=auth).status_code == 200
    state = client.get(f"/lienthong/_state?maHoSo={code}").json
    assert len(state["statuses"]) == 1 and state["status_calls"] == 2


def test_the_pushes_status_receivers(client: Client) -> None:
    b = {
        "madonvi": "H15",
        "service": "DongBoTrangThaiHoSo",
        "type": "2",
        "data": {"MaHoSo": "G1", "TrangThai": "9"},
    }
    assert client.post("/lienthong/KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM", json=b).json["error_code"] == 0
    wrong = {**b, "data": {"MaHoSo": "G1", "TrangThai": "11"}}
    assert (
        client.post("/lienthong/KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM", json=wrong).json["error_code"]
        == -1
    )
    d = client.post("/lienthong/lltp/NhanTrangThai", json={"maHoSo": "V1", "trangThai": 2})
    assert d.json == {"statusCode": 200, "data": None, "errorDetail": None}
    assert client.post("/lienthong/lltp/NhanTrangThai", json={"maHoSo": "V1"}).status_code == 400
    pages = client.get("/lienthong/")
    assert "stand-in" in pages.get_data(as_text=True)


def test_a_push_needs_a_model_and_an_address(client: Client) -> None:
    assert client.post("/lienthong/_push", json={"model": "X", "target": "http://x"}).status_code == 400
    assert client.post("/lienthong/_push", json={"model": "B", "target": "ftp://x"}).status_code == 400
    gone = client.post("/lienthong/_push", json={"model": "B", "target": "http://127.0.0.1:9/x"}).json
    assert gone["answers"][0]["status"] == 0
