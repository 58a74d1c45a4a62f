"""The population database's wire format (../shared/integrations.md §2.2), plain Python.

The request is C06's SOAP operation ``dan:TraCuuThongTinCongDan``; the reply a ``CongdanCollection``
(empty: no citizen matches). A provincial LGSP wraps the same thing in JSON: the request's fields in
one object, the SOAP reply as the ``message`` string. Basic auth's password is
``SHA256(serviceUrl + username + timestamp + secretKey)``, with the Unix time in a ``timestamp``
header. Replies are parsed with ``defusedxml``: they come from outside.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405 — the type only; parsing is defusedxml's
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from motcua.integrations.population.ports import Address, CitizenQuery, CitizenRecord

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
REQUEST_NS = "http://dancuquocgia.bca"
REPLY_NS = "http://www.mic.gov.vn/dancu/1.0"
OPERATION = "TraCuuThongTinCongDan"
CONTENT_TYPE = "application/xml"

# GioiTinh: the shared catalogue's values are [U]; the deployments seen send 1 for male, 2 for female.
SEX_CODES = {"1": "male", "2": "female"}


class WireError(ValueError):
    """The body is not the population database's wire format."""


class RemoteError(Exception):
    """The population database answered with an error of its own (a SOAP fault, a non-zero
    ``error_code``): it refused the request."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- the request ------------------------------------------------------------------------------------


def _birth(query: CitizenQuery) -> str:
    if query.birth_date is not None:
        return f"<dan:NgayThangNam>{query.birth_date:%Y%m%d}</dan:NgayThangNam>"
    return f"<dan:Nam>{query.birth_year:04d}</dan:Nam>"


def request_xml(
    query: CitizenQuery, *, request_id: str, service_code: str, integration_code: str, officer_code: str
) -> str:
    """The SOAP envelope of one look-up; the name goes UPPER-CASE, as callers send it."""
    id_field = "SoCMND" if query.is_old_id else "SoDinhDanh"
    fields = [
        ("MaYeuCau", request_id),
        ("MaDVC", service_code),
        ("MaTichHop", integration_code),
        ("MaCanBo", officer_code),
        (id_field, query.id_number),
        ("HoVaTen", query.full_name.strip().upper()),
    ]
    children = "".join(f"<dan:{name}>{escape(value)}</dan:{name}>" for name, value in fields)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" xmlns:dan="{REQUEST_NS}">'
        "<soapenv:Header/><soapenv:Body>"
        f"<dan:{OPERATION}>{children}<dan:NgayThangNamSinh>{_birth(query)}</dan:NgayThangNamSinh>"
        f"</dan:{OPERATION}></soapenv:Body></soapenv:Envelope>"
    )


def request_json(
    query: CitizenQuery, *, request_id: str, service_code: str, integration_code: str, officer_code: str
) -> dict[str, Any]:
    """The provincial LGSP wrapper's request (Thanh Hóa's ``ChiaSeThongTinCongDan``)."""
    old = query.is_old_id
    year = query.birth_date.year if query.birth_date is not None else query.birth_year
    return {
        "HoVaTen": query.full_name.strip().upper(),
        "SoDinhDanh": None if old else query.id_number,
        "SoCMND": query.id_number if old else None,
        "NgayThangNam": f"{query.birth_date:%Y%m%d}" if query.birth_date is not None else None,
        "Nam": f"{year:04d}",
        "MaTichHop": integration_code,
        "MaDVC": service_code,
        "MaCanBo": officer_code,
        "MaYeuCau": request_id,
    }


def password(service_url: str, username: str, timestamp: int, secret: str) -> str:
    return hashlib.sha256(f"{service_url}{username}{timestamp}{secret}".encode()).hexdigest()


def auth_headers(service_url: str, username: str, secret: str, timestamp: int) -> dict[str, str]:
    """Basic auth with the hashed, time-stamped password, and the ``timestamp`` header it was made with."""
    token = base64.b64encode(f"{username}:{password(service_url, username, timestamp, secret)}".encode())
    return {"Authorization": f"Basic {token.decode()}", "timestamp": str(timestamp)}


# --- the reply --------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(parent: Element | None, name: str) -> Element | None:
    if parent is None:
        return None
    return next((c for c in parent if _local(c.tag) == name), None)


def _text(parent: Element | None, name: str) -> str:
    found = _child(parent, name)
    return (found.text or "").strip() if found is not None else ""


def _address(element: Element | None) -> Address:
    return Address(
        province_code=_text(element, "MaTinhThanh"),
        district_code=_text(element, "MaQuanHuyen"),
        commune_code=_text(element, "MaPhuongXa"),
        detail=_text(element, "ChiTiet"),
        country=_text(element, "QuocGia"),
    )


def _name(element: Element | None) -> str:
    if element is None:
        return ""
    parts = [_text(element, part) for part in ("Ho", "ChuDem", "Ten")]
    return " ".join(p for p in parts if p) or (element.text or "").strip()


def _record(person: Element) -> CitizenRecord:
    born = _child(person, "NgayThangNamSinh")
    day, year = _text(born, "NgayThangNam"), _text(born, "Nam")
    try:
        birth_date = date(int(day[:4]), int(day[4:6]), int(day[6:8])) if day else None
        birth_year = int(year) if year else (birth_date.year if birth_date else None)
    except ValueError as exc:
        raise WireError("a birth date that is not yyyyMMdd") from exc
    return CitizenRecord(
        id_number=_text(person, "SoDinhDanh"),
        old_id_number=_text(person, "SoCMND"),
        full_name=_name(_child(person, "HoVaTen")),
        birth_date=birth_date,
        birth_year=birth_year,
        sex=SEX_CODES.get(_text(person, "GioiTinh"), ""),
        ethnicity=_text(person, "DanToc"),
        nationality=_text(person, "QuocTich"),
        permanent_address=_address(_child(person, "ThuongTru")),
        current_address=_address(_child(person, "NoiOHienTai")),
    )


def parse_reply(body: bytes | str) -> CitizenRecord | None:
    """The citizen the reply names, or None for an empty ``CongdanCollection`` (or an empty body)."""
    if not (body.strip() if isinstance(body, str) else body.strip()):
        return None
    try:
        root = ElementTree.fromstring(body)
    except Exception as exc:  # ParseError and defusedxml's refusals (entities, DTDs) alike
        raise WireError(f"not XML ({type(exc).__name__})") from exc
    if _local(root.tag) != "Envelope" or not root.tag.startswith(f"{{{SOAP_NS}}}"):
        raise WireError("not a SOAP envelope")
    body_element = root.find(f"{{{SOAP_NS}}}Body")
    if body_element is None:
        raise WireError("a SOAP envelope without a body")
    fault = body_element.find(f"{{{SOAP_NS}}}Fault")
    if fault is not None:
        raise RemoteError(_text(fault, "faultcode") or "fault")
    collection = body_element.find(f".//{{{REPLY_NS}}}CongdanCollection")
    if collection is None:
        raise WireError("no CongdanCollection in the reply")
    person = collection.find(f"{{{REPLY_NS}}}CongDan")
    return None if person is None else _record(person)


def unwrap_json(body: bytes | str) -> str:
    """The SOAP reply inside the LGSP wrapper ``{"error_code", "message"}``."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise WireError("not JSON") from exc
    if not isinstance(data, dict) or "error_code" not in data:
        raise WireError("not the LGSP wrapper")
    if str(data["error_code"]) != "0":
        raise RemoteError(str(data["error_code"]))
    message = data.get("message")
    if message is None:
        return ""
    if not isinstance(message, str):
        raise WireError("the wrapper's message is not a string")
    return message
