"""The stand-in for Zalo's ZNS (Zalo Notification Service, integrations.md §6.2).

``POST /zalo/message/template`` with the OA's ``access_token`` header and ``{"phone": "84…",
"template_id", "template_data": {…}, "tracking_id"}`` answers ``{"error": 0, "message": "Success",
"data": {"msg_id", "sent_time", "tracking_id", "quota": {"dailyQuota", "remainingQuota"}}}``.
A ``tracking_id`` seen before for the same phone gets the first send's ``msg_id`` again, and
nothing is sent twice.

Zalo's full error list is not public ([U]); the stand-in answers, with HTTP 200 as Zalo does:
-124 bad access token; -108 not a phone number; -109 unknown template; -1123 the template's
parameters are missing or unknown; -1141 the day's quota is used up (tomorrow it is not).
``POST /zalo/_quota {"remaining": N}`` sets what is left of today's quota (tests, demos).
"""

from __future__ import annotations

import html
import re
import threading
import time
import uuid

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page
from motcua.standins.inbox import Inbox, Received

# The approved ZNS templates: id → (named parameters, the text Zalo shows).
TEMPLATES: dict[str, tuple[tuple[str, ...], str]] = {
    "300101": (
        ("ma_ho_so", "ngay_hen_tra"),
        "Hồ sơ {ma_ho_so} đã được tiếp nhận. Ngày hẹn trả: {ngay_hen_tra}.",
    ),
    "300102": (("ma_ho_so",), "Hồ sơ {ma_ho_so} cần bổ sung giấy tờ."),
    "300103": (("ma_ho_so", "so_tien"), "Hồ sơ {ma_ho_so} cần nộp phí, lệ phí {so_tien} đồng."),
    "300104": (
        ("ma_ho_so", "ngay_hen_tra"),
        "Xin lỗi ông/bà: hồ sơ {ma_ho_so} trả kết quả chậm. Ngày hẹn mới: {ngay_hen_tra}.",
    ),
    "300105": (("ma_ho_so",), "Hồ sơ {ma_ho_so} không được tiếp nhận."),
    "300106": (("ma_ho_so",), "Hồ sơ {ma_ho_so} đã dừng xử lý."),
    "300107": (("ma_ho_so",), "Hồ sơ {ma_ho_so} đã có kết quả."),
}
PHONE = re.compile(r"^84\d{9,10}$")
DAILY_QUOTA = 500_000


def error(code: int, message: str) -> Response:
    return json_response({"error": code, "message": message})


class Zalo(StandIn):
    name = "zalo"
    title = "Zalo ZNS — /message/template"
    malformed_body = '{"error": 0, "mess'
    malformed_type = "application/json"

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.token = accounts.DEFAULTS["zalo"]["access_token"]
        self._lock = threading.Lock()
        self.remaining = DAILY_QUOTA
        self._sent: dict[tuple[str, str], tuple[str, int]] = {}  # (tracking_id, phone) → (msg_id, time)

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/message/template", endpoint="send", methods=["POST"]),
            Rule("/_quota", endpoint="quota", methods=["POST"]),
        ]

    def on_index(self, request: Request) -> Response:
        rows = "".join(
            f"<tr><td><code>{k}</code></td><td>{html.escape(', '.join(names))}</td><td>{html.escape(text)}</td></tr>"
            for k, (names, text) in TEMPLATES.items()
        )
        return page(
            "Zalo ZNS (giả lập)",
            "<p><code>POST /zalo/message/template</code>, tiêu đề <code>access_token</code>. "
            f"Hạn mức còn lại hôm nay: {self.remaining}. Tin đã nhận: <a href='/inbox'>/inbox</a>.</p>"
            f"<table><tr><th>template_id</th><th>Tham số</th><th>Nội dung</th></tr>{rows}</table>",
        )

    def on_quota(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        try:
            remaining = int(body.get("remaining", DAILY_QUOTA))
        except (TypeError, ValueError):
            return json_response({"error": "remaining must be a number"}, 400)
        with self._lock:
            self.remaining = max(remaining, 0)
        return json_response({"remaining": self.remaining})

    def on_send(self, request: Request) -> Response:
        if request.headers.get("access_token", "") != self.token:
            return error(-124, "Access token is invalid")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return error(-1123, "Body is not JSON")
        phone, template_id = str(body.get("phone", "")), str(body.get("template_id", ""))
        data, tracking = body.get("template_data"), str(body.get("tracking_id", ""))
        if not PHONE.match(phone):
            return error(-108, "Phone number is invalid")
        if template_id not in TEMPLATES:
            return error(-109, "Template ID is invalid")
        names, text = TEMPLATES[template_id]
        if not isinstance(data, dict) or set(data) != set(names):
            return error(-1123, f"template_data must have exactly {', '.join(names)}")
        with self._lock:
            earlier = self._sent.get((tracking, phone)) if tracking else None
            if earlier is None:
                if self.remaining <= 0:
                    return error(-1141, "Quota of the day is exceeded")
                self.remaining -= 1
                earlier = (uuid.uuid4().hex, int(time.time() * 1000))
                if tracking:
                    self._sent[(tracking, phone)] = earlier
                fresh = True
            else:
                fresh = False
            remaining = self.remaining
        msg_id, sent_time = earlier
        if fresh:
            self.inbox.add(
                Received(
                    channel="zalo",
                    to=phone,
                    key=f"{tracking or msg_id}|{phone}",
                    text=text.format(**{k: str(v) for k, v in data.items()}),
                    template=template_id,
                    sender="Zalo OA",
                    extra={"msg_id": msg_id, "template_data": data},
                )
            )
        return json_response(
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "msg_id": msg_id,
                    "sent_time": str(sent_time),
                    "tracking_id": tracking,
                    "quota": {"dailyQuota": str(DAILY_QUOTA), "remainingQuota": str(remaining)},
                },
            }
        )
