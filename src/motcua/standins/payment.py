"""The stand-in for the national payment platform of the DVCQG portal (integrations.md §4.1, §10.2 item 4).

``POST /payment/init`` checks ``MaXacThuc`` over the INIT fields in the platform's order and answers
``{"error_code": "0", "message": "{\\"UrlThanhToan\\": …}"}`` pointing at its own checkout page. The
checkout page has three buttons — Thành công, Thất bại, Treo — and on success or failure posts a signed
CONFIRM to the partner's confirm URL, then sends the browser back with ``data``, ``responseCode`` and
``secureCode``. ``POST /payment/_pay/{reference}`` ``{"result": "success"|"fail"|"pending"}`` does the
same for scripts and answers what it did, including the CONFIRM it sent. ``/payment/query`` answers
``TrangThaiGD`` 1, 3 or 4; ``/payment/get_bill`` a small PDF receipt.

The real platform registers the partner's confirm and return URLs; this one takes them from the INIT's
``UrlXacNhan`` and ``UrlTraVe`` (fields beside the wire fields, outside the hash).

Faults of the confirmation (``POST /payment/_faults`` ``{"confirm": mode, "count": n, "delay_seconds": s}``,
cleared by ``POST /_faults {"reset": true}``): ``duplicate`` (sent twice), ``late`` (sent after
``delay_seconds``), ``missing`` (never sent: the partner must QUERY), ``wrong_amount`` (SoTien off by
1,000, correctly signed), ``bad_signature``.

Written apart from MotCua's adapter, from the brief, so that each checks the other.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from motcua.standins.accounts import DEFAULTS
from motcua.standins.app import StandIn, json_response, page

VN = timezone(timedelta(hours=7))
INIT = (
    "LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan", "MaKenhThanhToan",
    "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich", "ThoiGianGD", "Ip",
)  # fmt: skip
CONFIRM = (
    "LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang",
    "ThoiGianGD", "ThongTinGiaoDich",
)  # fmt: skip
QUERY = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
CONFIRM_FAULTS = ("duplicate", "late", "missing", "wrong_amount", "bad_signature")
_PARTNERS = {DEFAULTS["payment"]["merchant"]: DEFAULTS["payment"]["secret"]}


def digest(body: dict[str, Any], order: tuple[str, ...], secret: str) -> str:
    text = "|".join(str(body.get(name, "")) for name in order) + "|" + secret
    return hashlib.sha256(text.encode()).hexdigest()


def now_text() -> str:
    return datetime.now(VN).strftime("%Y%m%d%H%M%S")


@dataclass
class Txn:
    merchant: str
    reference: str
    amount: int
    description: str
    initiated: str  # ThoiGianGD of the INIT
    confirm_url: str
    return_url: str
    receipt: dict[str, Any]
    state: str = "khoi-tao"  # → thanh-cong | that-bai | treo
    transaction_id: str = ""
    paid_at: str = ""
    confirms: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ConfirmFault:
    mode: str = ""
    count: int = 0  # 0: every confirmation while set
    delay_seconds: float = 2.0


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.encode("ascii", "replace").decode()


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of text lines (Helvetica, without diacritics), written by hand."""

    def esc(s: str) -> str:
        return _ascii(s).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 50 790 Td 15 TL " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


class Payment(StandIn):
    name = "payment"
    title = "Nền tảng thanh toán trực tuyến của Cổng DVCQG — INIT, CONFIRM, QUERY, GET_BILL"
    malformed_body = '{"error_code": "0", "message": "{not json'
    malformed_type = "application/json"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.txns: dict[str, Txn] = {}
        self.fault = ConfirmFault()
        self.serial = 0

    def reset(self) -> None:
        with self.lock:
            self.fault = ConfirmFault()

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/init", endpoint="init", methods=["POST"]),
            Rule("/checkout/<reference>", endpoint="checkout", methods=["GET", "POST"]),
            Rule("/_pay/<reference>", endpoint="script_pay", methods=["POST"]),
            Rule("/_faults", endpoint="confirm_faults", methods=["GET", "POST"]),
            Rule("/query", endpoint="query", methods=["POST"]),
            Rule("/get_bill", endpoint="get_bill", methods=["POST"]),
        ]

    # --- the partner's calls ---------------------------------------------------------------------

    def _signed_request(
        self, request: Request, kind: str, order: tuple[str, ...]
    ) -> tuple[dict[str, Any], str]:
        """The JSON body and "" when it is a ``kind`` message signed by a known partner, else the reason."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("LoaiBanTin") != kind:
            return {}, f"not a {kind} message"
        secret = _PARTNERS.get(str(body.get("MaDoiTac", "")))
        if secret is None:
            return body, "unknown MaDoiTac"
        if not hmac.compare_digest(str(body.get("MaXacThuc", "")).lower(), digest(body, order, secret)):
            return body, "MaXacThuc does not match"
        return body, ""

    def on_index(self, request: Request) -> Response:
        return page(
            "Nền tảng thanh toán (giả lập)",
            "<p>INIT <code>POST /payment/init</code>, QUERY <code>POST /payment/query</code>, GET_BILL "
            "<code>POST /payment/get_bill</code>; MaXacThuc = SHA-256 của các trường nối bằng “|”, "
            "khoá bí mật ở cuối. Đối tác mặc định: <code>MOTCUA</code>.</p>"
            "<p>Cho kịch bản kiểm thử: <code>POST /payment/_pay/{MaThamChieu}</code> "
            '<code>{"result": "success"|"fail"|"pending"}</code>; lỗi xác nhận: '
            f"<code>POST /payment/_faults</code> ({', '.join(CONFIRM_FAULTS)}).</p>",
        )

    def on_init(self, request: Request) -> Response:
        body, why = self._signed_request(request, "INIT", INIT)
        if why:
            return json_response({"error_code": "01", "message": why})
        amount = str(body.get("SoTien", ""))
        reference = str(body.get("MaThamChieu", ""))
        if not amount.isdigit() or int(amount) <= 0 or not reference or body.get("MaTienTe") != "VND":
            return json_response({"error_code": "02", "message": "SoTien, MaThamChieu or MaTienTe invalid"})
        confirm_url, return_url = str(body.get("UrlXacNhan", "")), str(body.get("UrlTraVe", ""))
        if not confirm_url.startswith(("http://", "https://")):
            return json_response(
                {"error_code": "03", "message": "UrlXacNhan (the partner's confirm URL) required"}
            )
        receipt = body.get("ThongTinBienLai") if isinstance(body.get("ThongTinBienLai"), dict) else {}
        with self.lock:
            known = self.txns.get(reference)
            if known is not None and known.state == "thanh-cong":
                return json_response({"error_code": "04", "message": "MaThamChieu already paid"})
            self.txns[reference] = Txn(
                merchant=str(body["MaDoiTac"]),
                reference=reference,
                amount=int(amount),
                description=str(body.get("ThongTinGiaoDich", "")),
                initiated=str(body.get("ThoiGianGD", "")),
                confirm_url=confirm_url,
                return_url=return_url,
                receipt=receipt,  # type: ignore[arg-type]
            )
        url = f"{request.host_url.rstrip('/')}/payment/checkout/{reference}"
        return json_response({"error_code": "0", "message": json.dumps({"UrlThanhToan": url})})

    def _query_answer(self, txn: Txn, kind: str) -> dict[str, Any]:
        secret = _PARTNERS[txn.merchant]
        state = {"thanh-cong": "1", "that-bai": "4"}.get(txn.state, "3")
        fields = {
            "LoaiBanTin": kind,
            "MaLoi": {"1": "00", "4": "01"}.get(state, "99"),
            "MaDoiTac": txn.merchant,
            "MaThamChieu": txn.reference,
            "SoTien": str(txn.amount),
            "MaTienTe": "VND",
            "MaGiaoDich": txn.transaction_id,
            "MaNganHang": "NCB" if txn.transaction_id else "",
            "ThoiGianGD": txn.paid_at or txn.initiated,
            "ThongTinGiaoDich": txn.description,
        }
        return {**fields, "MaXacThuc": digest(fields, CONFIRM, secret), "TrangThaiGD": state}

    def on_query(self, request: Request) -> Response:
        body, why = self._signed_request(request, "QUERY", QUERY)
        if why:
            return json_response({"error_code": "01", "message": why}, 400)
        txn = self.txns.get(str(body.get("MaThamChieu", "")))
        if txn is None or txn.merchant != body.get("MaDoiTac") or txn.initiated != body.get("ThoiGianGD"):
            return json_response({"error_code": "05", "message": "no such transaction"}, 404)
        return json_response(self._query_answer(txn, "QUERY"))

    def on_get_bill(self, request: Request) -> Response:
        body, why = self._signed_request(request, "GET_BILL", QUERY)
        if why:
            return json_response({"error_code": "01", "message": why}, 400)
        txn = self.txns.get(str(body.get("MaThamChieu", "")))
        if txn is None or txn.state != "thanh-cong" or txn.initiated != body.get("ThoiGianGD"):
            return json_response({"error_code": "05", "message": "no paid transaction"}, 404)
        r = txn.receipt
        lines = [
            "BIEN LAI THU PHI, LE PHI (STAND-IN - KHONG CO GIA TRI)",
            f"Don vi thu: {r.get('TenDonVi', '')} ({r.get('MaDonVi', '')})",
            f"Tai khoan thu huong: {r.get('TKThuHuong', '')} - {r.get('TenTKThuHuong', '')}",
            f"Nguoi nop: {r.get('HoTenNguoiNop', '')}",
            f"Ho so: {r.get('MaHoSo', '')}  Thu tuc: {r.get('TenTTHC', '')}",
            f"So tien: {txn.amount} VND",
            f"Ma tham chieu: {txn.reference}  Ma giao dich: {txn.transaction_id}",
            f"Thoi gian: {txn.paid_at}",
        ]
        return Response(tiny_pdf(lines), content_type="application/pdf")

    # --- the payer's side --------------------------------------------------------------------------

    def on_checkout(self, request: Request, reference: str) -> Response:
        txn = self.txns.get(reference)
        if txn is None:
            return page("Không tìm thấy giao dịch", "<p>Mã tham chiếu không tồn tại.</p>", 404)
        if request.method == "POST":
            result = request.form.get("result", "")
            if result not in ("success", "fail", "pending"):
                return page("Yêu cầu không hợp lệ", "<p>Chọn một kết quả.</p>", 400)
            outcome = self.settle(txn, result)
            if result == "pending":
                return page(
                    "Giao dịch đang treo", "<p>Ngân hàng chưa trả lời. Đối tác sẽ hỏi lại (QUERY).</p>"
                )
            return redirect(outcome["redirect_url"], 303)
        amount = f"{txn.amount:,}".replace(",", ".")
        buttons = "".join(
            f'<button class="btn" name="result" value="{value}" style="width:100%;display:block">{label}</button>'
            for value, label in (
                ("success", "Thành công"),
                ("fail", "Thất bại"),
                ("pending", "Treo (pending)"),
            )
        )
        return page(
            "Thanh toán trực tuyến",
            f"<p>Số tiền: <strong>{amount} VND</strong></p>"
            f"<p>Nội dung: {html.escape(txn.description)}</p>"
            f"<p>Mã tham chiếu: <code>{html.escape(txn.reference)}</code></p>"
            f'<form method="post">{buttons}</form>',
        )

    def on_script_pay(self, request: Request, reference: str) -> Response:
        body = request.get_json(silent=True) or {}
        result = body.get("result") if isinstance(body, dict) else None
        if result not in ("success", "fail", "pending"):
            return json_response({"error": "result must be success, fail or pending"}, 400)
        txn = self.txns.get(reference)
        if txn is None:
            return json_response({"error": "no such MaThamChieu"}, 404)
        return json_response(self.settle(txn, result))

    def on_confirm_faults(self, request: Request) -> Response:
        if request.method == "POST":
            body = request.get_json(silent=True) or {}
            mode = str(body.get("confirm", ""))
            if mode and mode not in CONFIRM_FAULTS:
                return json_response({"error": f"confirm must be one of {', '.join(CONFIRM_FAULTS)}"}, 400)
            try:
                fault = ConfirmFault(mode, int(body.get("count", 0)), float(body.get("delay_seconds", 2.0)))
            except (TypeError, ValueError) as exc:
                return json_response({"error": str(exc)}, 400)
            with self.lock:
                self.fault = fault
        return json_response(vars(self.fault))

    # --- settling and confirming ----------------------------------------------------------------

    def _take_fault(self) -> ConfirmFault:
        with self.lock:
            fault = self.fault
            if fault.mode and fault.count:
                left = fault.count - 1
                self.fault = ConfirmFault(fault.mode, left, fault.delay_seconds) if left else ConfirmFault()
            return fault

    def settle(self, txn: Txn, result: str) -> dict[str, Any]:
        """Apply the payer's result; for success or failure, confirm to the partner (unless a fault says
        otherwise). What was done, for scripts."""
        with self.lock:
            if result == "pending":
                txn.state = "treo"
                return {"reference": txn.reference, "result": result, "confirm": None, "delivered": []}
            self.serial += 1
            txn.state = "thanh-cong" if result == "success" else "that-bai"
            txn.transaction_id = f"GD{self.serial:08d}{int(time.time()) % 10000:04d}"
            txn.paid_at = now_text()
        secret = _PARTNERS[txn.merchant]
        fields = {
            "LoaiBanTin": "CONFIRM",
            "MaLoi": "00" if result == "success" else "01",
            "MaDoiTac": txn.merchant,
            "MaThamChieu": txn.reference,
            "SoTien": str(txn.amount),
            "MaTienTe": "VND",
            "MaGiaoDich": txn.transaction_id,
            "MaNganHang": "NCB",
            "ThoiGianGD": txn.paid_at,
            "ThongTinGiaoDich": txn.description,
        }
        fault = self._take_fault()
        if fault.mode == "wrong_amount":
            fields["SoTien"] = str(txn.amount + 1000)
        confirm = {**fields, "MaXacThuc": digest(fields, CONFIRM, secret)}
        if fault.mode == "bad_signature":
            confirm["MaXacThuc"] = hashlib.sha256(b"not the partner's secret").hexdigest()
        delivered: list[int | str] = []
        if fault.mode == "late":
            threading.Timer(fault.delay_seconds, self.deliver, (txn, confirm)).start()
        elif fault.mode != "missing":
            delivered.extend(self.deliver(txn, confirm) for _ in range(2 if fault.mode == "duplicate" else 1))
        query = {"data": txn.reference, "responseCode": fields["MaLoi"], "secureCode": confirm["MaXacThuc"]}
        separator = "&" if "?" in txn.return_url else "?"
        return {
            "reference": txn.reference,
            "result": result,
            "confirm": confirm,
            "fault": fault.mode,
            "delivered": delivered,
            "redirect_url": f"{txn.return_url}{separator}{urlencode(query)}" if txn.return_url else "",
        }

    def deliver(self, txn: Txn, confirm: dict[str, Any]) -> int | str:
        """POST the CONFIRM to the partner; its HTTP status, or why it did not arrive."""
        txn.confirms.append(confirm)
        request = urllib.request.Request(  # noqa: S310 — the partner's URL, as the platform does
            txn.confirm_url,
            data=json.dumps(confirm, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 — as above
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError as exc:
            return f"unreachable ({type(exc).__name__})"
