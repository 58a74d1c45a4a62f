"""The stand-in for the national channels a dossier can come from (integrations.md §5), a "national
channel simulator":

- DVC liên thông's pull API (model C): ``POST /lienthong/GetToken`` ``{userName, password}`` →
  ``{token, refreshToken, refreshTokenExpiryTime}``; with ``Authorization: Bearer``:
  ``GET /lienthong/LayDanhSachHoSo`` → ``{data: [...]}`` (the dossiers not yet acknowledged),
  ``PUT /lienthong/CapNhatDaNhanHoSo`` ``{maHoSo, daNhan: true}`` → "Cập nhật thành công",
  ``POST /lienthong/SendStatus`` (the status record). Errors are RFC 7807-shaped.
- The status receivers of the pushes: ``POST /lienthong/KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM``
  (model B, ``{error_code, message}``) and ``POST /lienthong/lltp/NhanTrangThai`` (model D,
  ``{statusCode, data, errorDetail}``).
- Control, for tests and the demo: ``POST /lienthong/_queue`` puts a sample birth registration on
  the pull list (with a PDF attached); ``POST /lienthong/_redeliver {"maHoSo"}`` puts an
  acknowledged one back on it; ``POST /lienthong/_push {"model": "B" | "D", "target": URL, …}``
  pushes a sample business notice (base64 files) or VNeID LLTP e-form to the app's inbound
  endpoint, ``"times": n`` to deliver it again; ``GET /lienthong/_state[?maHoSo=]`` shows the
  acknowledgements and the statuses received; ``POST /lienthong/_settings {"reset", "token_ttl",
  "expire_tokens"}``.

A status sent again with the same content is taken once (the receiver's idempotency); every call is
counted. The list's items carry the applicant and files inline (``chuHoSo``, ``tepDinhKem``): the
real API's detail call is [U].
"""

from __future__ import annotations

import base64
import hmac
import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page

VN = timezone(timedelta(hours=7))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CODES = set(range(1, 11))


def _now() -> str:
    return datetime.now(VN).strftime("%Y%m%d%H%M%S")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def problem(status: int, title: str, errors: dict[str, list[str]] | None = None) -> Response:
    """RFC 7807, as DVC liên thông answers errors."""
    body = {
        "type": f"https://tools.ietf.org/html/rfc7231#section-6.5.{1 if status == 400 else 4}",
        "title": title,
        "status": status,
        "traceId": secrets.token_hex(8),
        "errors": errors or {},
    }
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )


def business_notice(code: str, procedure: str, agency: str) -> dict[str, Any]:
    """A sample model-B push: a promotion notice by a trader, with its application and an attachment."""
    return {
        "MaHoSo": code,
        "MaTTHC": procedure,
        "MaCoQuan": agency,
        "SoVanBan": "01/2026/TBKM",
        "NgayNopHoSo": _now(),
        "TenThuongNhan": "Công ty TNHH Cà phê Buôn Ma Thuột",
        "DiaChiDoanhNghiep": {
            "MaTinh": "66",
            "MaHuyen": "",
            "MaXa": "24121",
            "DiaChiChiTiet": "12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
        },
        "DienThoai": "02623812345",
        "Fax": "",
        "Email": "lienhe@caphebmt.example.vn",
        "MaSoThue": "6000123456",
        "NguoiLienHe": "Y Bih Niê",
        "SoDienThoaiNguoiLienHe": "0905111222",
        "TenChuongTrinh": "Tuần lễ cà phê",
        "TenTepDonDangKy": "thong-bao-khuyen-mai.pdf",
        "TepDonDangKy": _b64(PDF),
        "TaiLieuNop": [{"TenTepDinhKem": "the-le-chuong-trinh.pdf", "Base64": _b64(PDF)}],
    }


def lltp_form(code: str, procedure: str, agency: str) -> dict[str, Any]:
    """A sample model-D push: a criminal-record certificate requested in the VNeID app."""
    return {
        "data": {
            "FormType": "LLTP",
            "LoaiToKhai": "1",
            "HoVaTen": "H'Hen Niê",
            "NgaySinh": "01/05/1995",
            "GioiTinh": {"Code": "2", "Name": "Nữ"},
            "QuocTich": "Việt Nam",
            "DanToc": "Ê Đê",
            "SoGiayTo": "066195012345",
            "NgayCapGiayTo": "10/10/2021",
            "NoiCapGiayTo": "Cục Cảnh sát QLHC về TTXH",
            "NoiSinh": {"maDiaBan": "66", "tenDiaBan": "Đắk Lắk"},
            "NoiThuongTru": {"maDiaBan": "24121", "tenDiaBan": "Phường Buôn Ma Thuột, tỉnh Đắk Lắk"},
            "QuaTrinhCuTru": [
                {"NgheNghiep": "Giáo viên", "NoiThuongTru": "Đắk Lắk", "TuNam": "2013", "DenNam": "2026"}
            ],
            "MucDichCapPhieu": "Bổ sung hồ sơ xin việc",
            "LoaiPhieuYeuCau": "1",
            "SoLuongCapThem": "0",
            "HinhThucNhanKetQua": "1",
            "nycHoTen": "H'Hen Niê",
            "nycSoDienThoai": "0905123456",
            "nycEmail": "hhen@example.vn",
        },
        "metadata": {"maHoSo": code, "maTTHC": procedure, "maCoQuan": agency, "ngayNop": _now()},
    }


class NationalChannel(StandIn):
    name = "lienthong"
    title = "Kênh quốc gia: DVC liên thông (kéo hồ sơ), Cổng DVCQG và VNeID (đẩy hồ sơ)"
    malformed_body = '{"data": '
    malformed_type = "application/json"

    def __init__(self, *, clock: Any = time.time) -> None:
        defaults = accounts.DEFAULTS["lienthong"]
        self.username, self.password = defaults["username"], defaults["password"]
        self.secrets = {"B": defaults["dvcqg_secret"], "D": defaults["vneid_secret"]}
        self.clock = clock
        self.token_ttl = 3600.0
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._tokens: dict[str, float] = {}
            self.queue: dict[str, dict[str, Any]] = {}
            self.acked: set[str] = set()
            self.acks: list[str] = []
            self.statuses: list[dict[str, Any]] = []
            self.status_calls = 0
            self.serial = 0

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/GetToken", endpoint="token", methods=["POST"]),
            Rule("/LayDanhSachHoSo", endpoint="list", methods=["GET"]),
            Rule("/CapNhatDaNhanHoSo", endpoint="ack", methods=["PUT"]),
            Rule("/SendStatus", endpoint="send_status", methods=["POST"]),
            Rule("/KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM", endpoint="status_b", methods=["POST"]),
            Rule("/lltp/NhanTrangThai", endpoint="status_d", methods=["POST"]),
            Rule("/_queue", endpoint="queue", methods=["POST"]),
            Rule("/_redeliver", endpoint="redeliver", methods=["POST"]),
            Rule("/_push", endpoint="push", methods=["POST"]),
            Rule("/_state", endpoint="state", methods=["GET"]),
            Rule("/_settings", endpoint="settings", methods=["POST"]),
        ]

    # --- pages and control -------------------------------------------------------------------------
    def on_index(self, request: Request) -> Response:
        with self._lock:
            rows = "".join(
                f"<tr><td><code>{html.escape(code)}</code></td><td>{html.escape(item['maTTHC'])}</td>"
                f"<td>{'đã nhận' if code in self.acked else 'chờ'}</td>"
                f"<td>{sum(1 for s in self.statuses if s['maHoSo'] == code)}</td></tr>"
                for code, item in self.queue.items()
            )
        return page(
            "Kênh quốc gia — hồ sơ liên thông (giả lập)",
            "<p>DVC liên thông: <code>GetToken</code>, <code>LayDanhSachHoSo</code>, "
            "<code>CapNhatDaNhanHoSo</code>, <code>SendStatus</code>. Đẩy hồ sơ mẫu: "
            "<code>POST /lienthong/_push</code>.</p>"
            f"<table><tr><th>Mã hồ sơ</th><th>Thủ tục</th><th>Tình trạng</th><th>Trạng thái đã nhận</th></tr>{rows}</table>",
        )

    def _next_code(self, prefix: str) -> str:
        with self._lock:
            self.serial += 1
            return f"{prefix}-{datetime.now(VN):%y%m%d}-{self.serial:05d}-{secrets.token_hex(2).upper()}"

    def on_queue(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        code = str(body.get("maHoSo") or self._next_code("LT"))
        item = {
            "id": code,
            "maDonVi": int(body.get("maDonVi", 100)),
            "maTTHC": str(body.get("maTTHC", "1.001193")),
            "module": "KhaiSinh",
            "maHoSo": code,
            "ngayTiepNhan": _now(),
            "techId": secrets.token_hex(8),
            "chuHoSo": {
                "hoTen": str(body.get("hoTen", "H'Hen Niê")),
                "soDinhDanh": str(body.get("soDinhDanh", "066195012345")),
                "soDienThoai": "0905123456",
                "email": "",
                "diaChi": "Phường Buôn Ma Thuột, tỉnh Đắk Lắk",
            },
            "tepDinhKem": [{"tenTep": "to-khai-khai-sinh.pdf", "base64": _b64(PDF)}],
        }
        with self._lock:
            self.queue[code] = item
            self.acked.discard(code)
        return json_response({"maHoSo": code})

    def on_redeliver(self, request: Request) -> Response:
        code = str((request.get_json(silent=True) or {}).get("maHoSo", ""))
        with self._lock:
            if code not in self.queue:
                return json_response({"error": "no such dossier"}, 404)
            self.acked.discard(code)
        return json_response({"maHoSo": code, "waiting": True})

    def on_push(self, request: Request) -> Response:
        """Push a sample dossier to the app: ``{"model": "B"|"D", "target": URL, "maHoSo"?, "maTTHC"?,
        "maCoQuan"?, "secret"?, "times"?}`` → ``{"maHoSo", "answers": [{"status", "body"}]}``."""
        body = request.get_json(silent=True) or {}
        model, target = str(body.get("model", "")).upper(), str(body.get("target", ""))
        if model not in ("B", "D") or not target.startswith(("http://", "https://")):
            return json_response({"error": "model must be B or D, target an http(s) URL"}, 400)
        code = str(body.get("maHoSo") or self._next_code("G22" if model == "B" else "VNEID"))
        procedure = str(body.get("maTTHC") or ("1.000956" if model == "B" else "3.000333"))
        agency = str(body.get("maCoQuan", ""))
        secret = str(body.get("secret", self.secrets[model]))
        if model == "B":
            payload, headers, url = business_notice(code, procedure, agency), {"X-Api-Key": secret}, target
        else:
            payload, headers = lltp_form(code, procedure, agency), {}
            url = f"{target}{'&' if '?' in target else '?'}{urllib.parse.urlencode({'CodeGet': secret})}"
        answers = [self._post(url, payload, headers) for _ in range(max(1, int(body.get("times", 1))))]
        return json_response({"maHoSo": code, "answers": answers})

    def _post(self, url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 — the province's URL, as the channel does
            url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 — as above
                return {"status": int(answer.status), "body": json.loads(answer.read() or b"null")}
        except urllib.error.HTTPError as exc:
            text = exc.read()
            try:
                return {"status": int(exc.code), "body": json.loads(text)}
            except ValueError:
                return {"status": int(exc.code), "body": text.decode(errors="replace")[:500]}
        except OSError as exc:
            return {"status": 0, "body": f"unreachable ({type(exc).__name__})"}

    def on_state(self, request: Request) -> Response:
        code = request.args.get("maHoSo", "")
        with self._lock:
            statuses = [s for s in self.statuses if not code or s["maHoSo"] == code]
            return json_response(
                {
                    "waiting": [c for c in self.queue if c not in self.acked],
                    "acks": [a for a in self.acks if not code or a == code],
                    "statuses": statuses,
                    "status_calls": self.status_calls,
                }
            )

    def on_settings(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        if body.get("reset"):
            self.reset()
        with self._lock:
            if "token_ttl" in body:
                self.token_ttl = float(body["token_ttl"])
            if body.get("expire_tokens"):
                self._tokens.clear()
        return json_response({"token_ttl": self.token_ttl, "queue": len(self.queue)})

    # --- DVC liên thông's pull API ---------------------------------------------------------------------
    def on_token(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        good = hmac.compare_digest(str(body.get("userName", "")), self.username) and hmac.compare_digest(
            str(body.get("password", "")), self.password
        )
        if not good:
            return problem(401, "Sai tên đăng nhập hoặc mật khẩu")
        token = secrets.token_urlsafe(24)
        until = self.clock() + self.token_ttl
        with self._lock:
            self._tokens[token] = until
        expiry = datetime.fromtimestamp(until, VN).isoformat(timespec="seconds")
        return json_response(
            {"token": token, "refreshToken": secrets.token_urlsafe(24), "refreshTokenExpiryTime": expiry}
        )

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        with self._lock:
            until = self._tokens.get(token)
            if until is not None and until < self.clock():
                del self._tokens[token]
                until = None
        return until is not None

    def on_list(self, request: Request) -> Response:
        if not self._authorised(request):
            return problem(401, "Token không hợp lệ hoặc đã hết hạn")
        with self._lock:
            waiting = [item for code, item in self.queue.items() if code not in self.acked]
        return json_response({"data": waiting})

    def on_ack(self, request: Request) -> Response:
        if not self._authorised(request):
            return problem(401, "Token không hợp lệ hoặc đã hết hạn")
        body = request.get_json(silent=True) or {}
        code = str(body.get("maHoSo", ""))
        if body.get("daNhan") is not True:
            return problem(400, "Dữ liệu không hợp lệ", {"daNhan": ["phải là true"]})
        with self._lock:
            if code not in self.queue:
                return problem(404, f"Không tìm thấy hồ sơ {code}")
            self.acked.add(code)
            self.acks.append(code)
        return json_response({"message": "Cập nhật thành công", "maHoSo": code})

    def _record(self, source: str, code: str, status: int, at: str, body: dict[str, Any]) -> None:
        entry = {"source": source, "maHoSo": code, "trangThai": status, "at": at, "body": body}
        with self._lock:
            self.status_calls += 1
            if entry not in self.statuses:  # the same status sent again is taken once
                self.statuses.append(entry)

    def on_send_status(self, request: Request) -> Response:
        if not self._authorised(request):
            return problem(401, "Token không hợp lệ hoặc đã hết hạn")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return problem(400, "Dữ liệu không phải JSON")
        errors: dict[str, list[str]] = {}
        if body.get("trangThai") not in CODES:
            errors["trangThai"] = ["phải là số nguyên từ 1 đến 10"]
        at = str(body.get("thoiGianThucHien", ""))
        if len(at) != 14 or not at.isdigit():
            errors["thoiGianThucHien"] = ["dạng yyyyMMddHHmmss"]
        with self._lock:
            known = str(body.get("maHoSo", "")) in self.queue
        if not known:
            errors["maHoSo"] = ["không có hồ sơ này"]
        if errors:
            return problem(400, "Dữ liệu không hợp lệ", errors)
        self._record("lienthong", str(body["maHoSo"]), int(body["trangThai"]), at, body)
        return json_response({"message": "Thành công"})

    # --- the pushes' status receivers -----------------------------------------------------------------
    def on_status_b(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or body.get("service") != "DongBoTrangThaiHoSo":  # type: ignore[union-attr]
            return json_response({"error_code": -1, "message": "Sai service hoặc thiếu data"})
        status = str(data.get("TrangThai", ""))
        if not data.get("MaHoSo") or not status.isdigit() or int(status) not in CODES:
            return json_response({"error_code": -1, "message": "Thiếu MaHoSo hoặc TrangThai sai"})
        self._record("dvcqg", str(data["MaHoSo"]), int(status), str(data.get("NgayXuLy", "")), body)  # type: ignore[arg-type]
        return json_response({"error_code": 0, "message": "Thành công"})

    def on_status_d(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body.get("maHoSo") or body.get("trangThai") not in CODES:
            return json_response(
                {"statusCode": 400, "data": None, "errorDetail": "Thiếu maHoSo hoặc trangThai sai"}, 400
            )
        self._record(
            "vneid", str(body["maHoSo"]), int(body["trangThai"]), str(body.get("thoiGian", "")), body
        )
        return json_response({"statusCode": 200, "data": None, "errorDetail": None})
