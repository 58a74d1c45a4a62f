"""The stand-in for the National Population Database's look-up (TraCuuThongTinCongDan).

Speaks C06's SOAP (``POST /population/``, namespace ``http://dancuquocgia.bca``; the reply a
``CongdanCollection`` in ``http://www.mic.gov.vn/dancu/1.0``) and a provincial LGSP's JSON wrapper
(``POST /population/apiCSDLDanCu/ChiaSeThongTinCongDan``, or JSON to ``/population/``) whose
``message`` is the same SOAP reply. Both check HTTP Basic auth, whose password is
``SHA256(serviceUrl + username + timestamp + secretKey)``, and a ``timestamp`` header within five
minutes of now. A citizen matches on the personal ID (or the old 9-digit CMND), the name compared
upper-case without diacritics, and the birth date (or only the year when that is all that is sent);
anything else is an empty ``CongdanCollection``. Written apart from MotCua's adapter, from the
brief (../shared/integrations.md §2.2), so that each checks the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import json
import re
import time
import unicodedata
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page
from motcua.standins.citizens import Address, Citizen, all_citizens, by_id_number

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
REQUEST_NS = "http://dancuquocgia.bca"
REPLY_NS = "http://www.mic.gov.vn/dancu/1.0"
CLOCK_SKEW = 300  # seconds either way


def fold(name: str) -> str:
    """Upper-case, without diacritics, spaces collapsed: "Nguyễn  văn an" → "NGUYEN VAN AN"."""
    name = name.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", bare).strip().upper()


@cache
def by_old_id_number() -> dict[str, Citizen]:
    return {c.old_id_number: c for c in all_citizens() if c.old_id_number}


def find(id_number: str, old_id_number: str, name: str, day: str, year: str) -> Citizen | None:
    """The seeded citizen these fields name, or None. ``day`` is yyyyMMdd, ``year`` yyyy."""
    person = by_id_number().get(id_number) if id_number else by_old_id_number().get(old_id_number)
    if person is None or fold(person.full_name) != fold(name):
        return None
    if day:
        return person if f"{person.birth_date:%Y%m%d}" == day else None
    return person if year and f"{person.birth_date.year:04d}" == year else None


def _address(tag: str, where: Address) -> str:
    return (
        f"<ns1:{tag}><ns1:MaTinhThanh>{where.province_code}</ns1:MaTinhThanh><ns1:MaQuanHuyen/>"
        f"<ns1:MaPhuongXa>{where.commune_code}</ns1:MaPhuongXa>"
        f"<ns1:ChiTiet>{escape(where.detail)}</ns1:ChiTiet><ns1:QuocGia>VN</ns1:QuocGia></ns1:{tag}>"
    )


def reply_xml(person: Citizen | None) -> str:
    """The SOAP reply: one ``CongDan``, or an empty collection. The whole name goes in ``Ten``, as
    many deployments do; post-2025 addresses have no district (``MaQuanHuyen`` empty)."""
    found = ""
    if person is not None:
        found = (
            "<ns1:CongDan>"
            f"<ns1:SoDinhDanh>{person.id_number}</ns1:SoDinhDanh>"
            f"<ns1:SoCMND>{person.old_id_number}</ns1:SoCMND>"
            f"<ns1:HoVaTen><ns1:Ho/><ns1:ChuDem/><ns1:Ten>{escape(person.full_name)}</ns1:Ten></ns1:HoVaTen>"
            f"<ns1:GioiTinh>{'1' if person.male else '2'}</ns1:GioiTinh>"
            f"<ns1:DanToc>{person.ethnicity}</ns1:DanToc><ns1:TonGiao>00</ns1:TonGiao>"
            "<ns1:TinhTrangHonNhan/><ns1:NhomMau>00</ns1:NhomMau>"
            f"<ns1:NgayThangNamSinh><ns1:Nam>{person.birth_date.year}</ns1:Nam>"
            f"<ns1:NgayThangNam>{person.birth_date:%Y%m%d}</ns1:NgayThangNam></ns1:NgayThangNamSinh>"
            f"{_address('ThuongTru', person.permanent)}{_address('NoiOHienTai', person.current)}"
            "<ns1:QuocTich>VN</ns1:QuocTich>"
            "</ns1:CongDan>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Body>'
        f'<ns1:CongdanCollection xmlns:ns1="{REPLY_NS}">{found}</ns1:CongdanCollection>'
        "</soapenv:Body></soapenv:Envelope>"
    )


def fault_xml(code: str, text: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>{escape(code)}</faultcode><faultstring>{escape(text)}</faultstring>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _soap_fields(body: bytes) -> dict[str, str] | None:
    """The operation's fields by local name (``NgayThangNam``/``Nam`` lifted out of their parent)."""
    try:
        root = ElementTree.fromstring(body)
    except Exception:  # a parse error or a refused entity: either way not a request we take
        return None
    operation = next((e for e in root.iter() if e.tag == f"{{{REQUEST_NS}}}TraCuuThongTinCongDan"), None)
    if operation is None:
        return None
    fields: dict[str, str] = {}
    for element in operation.iter():
        if len(element) == 0:
            fields[_local(element.tag)] = (element.text or "").strip()
    return fields


class Population(StandIn):
    name = "population"
    title = "CSDL quốc gia về dân cư — TraCuuThongTinCongDan (SOAP, LGSP JSON)"
    malformed_body = '<?xml version="1.0"?><soapenv:Envelope><ns1:CongdanCollection><ns1:CongDan>'
    malformed_type = "application/xml"

    def __init__(self, *, username: str = "", secret: str = "", clock: Any = time.time) -> None:
        defaults = accounts.DEFAULTS["population"]
        self.username = username or defaults["username"]
        self.secret = secret or defaults["secret"]
        self.clock = clock

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/", endpoint="soap", methods=["POST"]),
            Rule("/apiCSDLDanCu/ChiaSeThongTinCongDan", endpoint="lgsp", methods=["POST"]),
        ]

    def refused(self, request: Request) -> str:
        """Why the credentials are refused, or "" when they are good."""
        header = request.headers.get("Authorization", "")
        stamp = request.headers.get("timestamp", "")
        if not header.startswith("Basic ") or not stamp.isdigit():
            return "Basic auth and a timestamp header are required"
        if abs(self.clock() - int(stamp)) > CLOCK_SKEW:
            return "timestamp too far from now"
        try:
            user, _sep, given = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "Basic auth is not base64"
        expected = hashlib.sha256(f"{request.base_url}{user}{stamp}{self.secret}".encode()).hexdigest()
        if not (hmac.compare_digest(user, self.username) and hmac.compare_digest(given, expected)):
            return "wrong username or password"
        return ""

    def on_index(self, request: Request) -> Response:
        rows = "".join(
            f"<tr><td><code>{c.id_number}</code></td><td>{html.escape(c.full_name)}</td>"
            f"<td>{c.birth_date:%d/%m/%Y}</td></tr>"
            for c in all_citizens()[:6]
        )
        return page(
            "CSDL quốc gia về dân cư (giả lập)",
            "<p>Tra cứu thông tin công dân <code>TraCuuThongTinCongDan</code>: SOAP tại "
            "<code>POST /population/</code>, gói JSON của trục LGSP tại "
            "<code>POST /population/apiCSDLDanCu/ChiaSeThongTinCongDan</code>. Xác thực Basic, mật khẩu "
            "<code>SHA256(serviceUrl + username + timestamp + secretKey)</code>, tiêu đề "
            "<code>timestamp</code> lệch không quá 5 phút.</p>"
            "<p>Khớp khi số định danh (hoặc số CMND cũ), họ tên (không phân biệt hoa thường, dấu) và "
            "ngày sinh (hoặc năm sinh) đều đúng; nếu không, <code>CongdanCollection</code> rỗng.</p>"
            f"<p>{len(all_citizens())} công dân giả, ví dụ:</p>"
            f"<table><tr><th>Số định danh</th><th>Họ và tên</th><th>Ngày sinh</th></tr>{rows}</table>",
        )

    def on_soap(self, request: Request) -> Response:
        if request.mimetype == "application/json":
            return self.on_lgsp(request)
        if why := self.refused(request):
            return Response(fault_xml("Unauthorized", why), status=401, content_type="application/xml")
        fields = _soap_fields(request.get_data())
        if (
            fields is None
            or not fields.get("HoVaTen")
            or not (fields.get("NgayThangNam") or fields.get("Nam"))
        ):
            return Response(
                fault_xml("Client", "not a TraCuuThongTinCongDan request"),
                status=400,
                content_type="application/xml",
            )
        person = find(
            fields.get("SoDinhDanh", ""),
            fields.get("SoCMND", ""),
            fields["HoVaTen"],
            fields.get("NgayThangNam", ""),
            fields.get("Nam", ""),
        )
        return Response(reply_xml(person), content_type="application/xml; charset=utf-8")

    def on_lgsp(self, request: Request) -> Response:
        if why := self.refused(request):
            return json_response({"error_code": "401", "message": why}, 401)
        body = request.get_json(silent=True)
        if (
            not isinstance(body, dict)
            or not body.get("HoVaTen")
            or not (body.get("NgayThangNam") or body.get("Nam"))
        ):
            return json_response(
                {"error_code": "400", "message": "HoVaTen, NgayThangNam or Nam required"}, 400
            )
        person = find(
            str(body.get("SoDinhDanh") or ""),
            str(body.get("SoCMND") or ""),
            str(body["HoVaTen"]),
            str(body.get("NgayThangNam") or ""),
            str(body.get("Nam") or ""),
        )
        return Response(
            json.dumps({"error_code": "0", "message": reply_xml(person)}, ensure_ascii=False),
            content_type="application/json",
        )
