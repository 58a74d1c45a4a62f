"""The wire mapping alone: the request's exact shape, the password, and replies good and bad."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date

import pytest
from defusedxml import ElementTree

from motcua.integrations.population import wire
from motcua.integrations.population.ports import CitizenQuery

DAN = "{http://dancuquocgia.bca}"


def fields(xml: str) -> dict[str, str]:
    root = ElementTree.fromstring(xml)
    operation = root.find(f"{{{wire.SOAP_NS}}}Body/{DAN}TraCuuThongTinCongDan")
    assert operation is not None
    return {e.tag.removeprefix(DAN): (e.text or "") for e in operation.iter() if len(e) == 0}


def test_the_request_names_the_operation_and_its_fields_in_order() -> None:
    xml = wire.request_xml(
        CitizenQuery("066090001234", "Nguyễn Văn  An", birth_date=date(1990, 3, 7)),
        request_id="MC-1",
        service_code="VPCP",
        integration_code="037",
        officer_code="tiepnhan",
    )
    assert fields(xml) == {
        "MaYeuCau": "MC-1",
        "MaDVC": "VPCP",
        "MaTichHop": "037",
        "MaCanBo": "tiepnhan",
        "SoDinhDanh": "066090001234",
        "HoVaTen": "NGUYỄN VĂN  AN",
        "NgayThangNam": "19900307",
    }
    assert "<dan:NgayThangNamSinh><dan:NgayThangNam>19900307</dan:NgayThangNam></dan:NgayThangNamSinh>" in xml


def test_a_birth_year_and_an_old_id_card_and_escaping() -> None:
    xml = wire.request_xml(
        CitizenQuery("241234567", "H'Hen <Niê>", birth_year=1985),
        request_id="MC-2",
        service_code="VPCP",
        integration_code="037",
        officer_code="a&b",
    )
    got = fields(xml)
    assert got["SoCMND"] == "241234567" and "SoDinhDanh" not in got
    assert got["Nam"] == "1985" and "NgayThangNam" not in got
    assert got["HoVaTen"] == "H'HEN <NIÊ>" and got["MaCanBo"] == "a&b"


def test_the_lgsp_request() -> None:
    body = wire.request_json(
        CitizenQuery("066090001234", "an", birth_date=date(1990, 1, 1)),
        request_id="R",
        service_code="VPCP",
        integration_code="037",
        officer_code="o",
    )
    assert body == {
        "HoVaTen": "AN",
        "SoDinhDanh": "066090001234",
        "SoCMND": None,
        "NgayThangNam": "19900101",
        "Nam": "1990",
        "MaTichHop": "037",
        "MaDVC": "VPCP",
        "MaCanBo": "o",
        "MaYeuCau": "R",
    }


def test_a_query_needs_a_birth_date_or_year() -> None:
    with pytest.raises(ValueError, match="birth"):
        CitizenQuery("066090001234", "An")


def test_the_password_is_the_hash_of_url_user_time_and_secret() -> None:
    headers = wire.auth_headers("https://c06.example/ws", "u", "s3cret", 1767225600)
    user, _sep, given = (
        base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode().partition(":")
    )
    assert user == "u" and headers["timestamp"] == "1767225600"
    assert given == hashlib.sha256(b"https://c06.example/wsu1767225600s3cret").hexdigest()


REPLY = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<ns1:CongdanCollection xmlns:ns1="http://www.mic.gov.vn/dancu/1.0">{}</ns1:CongdanCollection>
</soapenv:Body></soapenv:Envelope>"""

PERSON = """<ns1:CongDan><ns1:SoDinhDanh>066090001234</ns1:SoDinhDanh><ns1:SoCMND>241234567</ns1:SoCMND>
<ns1:HoVaTen><ns1:Ho>Nguyễn</ns1:Ho><ns1:ChuDem>Văn</ns1:ChuDem><ns1:Ten>An</ns1:Ten></ns1:HoVaTen>
<ns1:GioiTinh>1</ns1:GioiTinh><ns1:DanToc>01</ns1:DanToc>
<ns1:NgayThangNamSinh><ns1:Nam>1990</ns1:Nam><ns1:NgayThangNam>19900307</ns1:NgayThangNam></ns1:NgayThangNamSinh>
<ns1:ThuongTru><ns1:MaTinhThanh>66</ns1:MaTinhThanh><ns1:MaQuanHuyen>643</ns1:MaQuanHuyen>
<ns1:MaPhuongXa>24121</ns1:MaPhuongXa><ns1:ChiTiet>Số 5 Lê Duẩn</ns1:ChiTiet><ns1:QuocGia>VN</ns1:QuocGia></ns1:ThuongTru>
<ns1:NoiOHienTai><ns1:MaTinhThanh>79</ns1:MaTinhThanh><ns1:MaQuanHuyen/><ns1:MaPhuongXa>26734</ns1:MaPhuongXa>
<ns1:ChiTiet>Thôn 3</ns1:ChiTiet></ns1:NoiOHienTai><ns1:QuocTich>VN</ns1:QuocTich></ns1:CongDan>"""


def test_a_reply_with_one_citizen_and_a_legacy_district() -> None:
    record = wire.parse_reply(REPLY.format(PERSON).encode())
    assert record is not None
    assert (record.id_number, record.old_id_number, record.full_name) == (
        "066090001234",
        "241234567",
        "Nguyễn Văn An",
    )
    assert (record.birth_date, record.birth_year, record.sex) == (date(1990, 3, 7), 1990, "male")
    assert (
        record.permanent_address.district_code == "643" and record.permanent_address.commune_code == "24121"
    )
    assert record.current_address.province_code == "79" and record.current_address.district_code == ""
    assert wire.parse_reply(json.loads(json.dumps(REPLY.format(PERSON)))) == record


def test_an_empty_collection_or_body_is_no_match() -> None:
    assert wire.parse_reply(REPLY.format("").encode()) is None
    assert wire.parse_reply(b"  ") is None


@pytest.mark.parametrize(
    "body",
    [
        b"<<not xml",
        b"<html><body>proxy error</body></html>",
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>',
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
)
def test_what_is_not_the_wire_format_is_a_wire_error(body: bytes) -> None:
    with pytest.raises(wire.WireError):
        wire.parse_reply(body)


def test_a_soap_fault_is_the_registry_refusing() -> None:
    fault = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        "<soapenv:Fault><faultcode>Client</faultcode></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    with pytest.raises(wire.RemoteError):
        wire.parse_reply(fault)


def test_the_lgsp_wrapper() -> None:
    assert wire.unwrap_json(json.dumps({"error_code": "0", "message": "<x/>"})) == "<x/>"
    assert wire.unwrap_json(json.dumps({"error_code": 0, "message": None})) == ""
    with pytest.raises(wire.RemoteError):
        wire.unwrap_json(json.dumps({"error_code": "13", "message": "quota"}))
    for bad in (
        "{not json",
        "[]",
        json.dumps({"message": "x"}),
        json.dumps({"error_code": "0", "message": 5}),
    ):
        with pytest.raises(wire.WireError):
            wire.unwrap_json(bad)
