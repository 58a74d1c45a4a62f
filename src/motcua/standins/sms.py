"""The stand-in for VNPT's SMS brandname gateway, ``send_sms_list`` (integrations.md §6.1).

``POST /sms/`` with ``{"RQST": {"name": "send_sms_list", "REQID", "LABELID", "CONTRACTTYPEID",
"CONTRACTID", "TEMPLATEID", "PARAMS": [{"NUM", "CONTENT"}], "SCHEDULETIME", "MOBILELIST",
"ISTELCOSUB", "AGENTID", "APIUSER", "APIPASS", "USERNAME", "DATACODING"}}`` answers
``{"RPLY": {"name": "send_sms_list", "ERROR", "ERROR_DESC"}}`` with HTTP 200, as VNPT does.

It checks the account, the brandname, that the template is registered and gets exactly its number
of parameters, and that each number is a Vietnamese mobile (``84…``). A ``REQID`` seen before is
answered "0" and not sent again. VNPT's error list is not public ([U]); these codes are the
stand-in's, and MotCua's adapter reads them: "0" sent; "1" bad account; "2" unknown template;
"3" wrong number of parameters; "4" bad mobile number; "5" not a send_sms_list request; "6" unknown
brandname; "99" the gateway is busy (try again).
"""

from __future__ import annotations

import html
import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page
from motcua.standins.inbox import Inbox, Received

# The templates registered with the gateway (the operator registers them with VNPT once): the text
# with its numbered parameters {1}, {2}. MotCua's registry (notifications.templates) must match.
TEMPLATES = {
    "MC_TIEPNHAN": "Ho so {1} da duoc tiep nhan. Ngay hen tra ket qua: {2}. Tra cuu tai Cong dich vu cong.",
    "MC_BOSUNG": "Ho so {1} can bo sung giay to. Xem yeu cau tai Cong dich vu cong hoac Bo phan mot cua.",
    "MC_THANHTOAN": "Ho so {1} can nop phi, le phi {2} dong. Thanh toan tai Cong dich vu cong "
    "hoac Bo phan mot cua.",
    "MC_GIAHAN": "Xin loi ong/ba: ho so {1} tra ket qua cham. Ngay hen tra moi: {2}. Mong ong/ba thong cam.",
    "MC_TUCHOI": "Ho so {1} khong duoc tiep nhan. Ly do xem tai Cong dich vu cong hoac Bo phan mot cua.",
    "MC_DUNGXULY": "Ho so {1} da dung xu ly. Chi tiet xem tai Cong dich vu cong hoac Bo phan mot cua.",
    "MC_COKETQUA": "Ho so {1} da co ket qua. Moi ong/ba nhan ket qua tai Bo phan mot cua "
    "hoac Cong dich vu cong.",
}
_SLOT = re.compile(r"\{(\d+)\}")
MOBILE = re.compile(r"^84(3|5|7|8|9)\d{8}$")
BRANDNAMES = {accounts.DEFAULTS["sms"]["label_id"], "UBNDTINH"}


def slots(template: str) -> int:
    return len(set(_SLOT.findall(template)))


def render(template: str, params: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: params.get(m.group(1), ""), template)


def reply(error: str, desc: str) -> Response:
    return json_response({"RPLY": {"name": "send_sms_list", "ERROR": error, "ERROR_DESC": desc}})


class Sms(StandIn):
    name = "sms"
    title = "SMS brandname — VNPT send_sms_list (RQST/RPLY)"
    malformed_body = '{"RPLY": {"name": "send_sms_list", "ERR'
    malformed_type = "application/json"

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.account = accounts.DEFAULTS["sms"]

    def rules(self) -> list[Rule]:
        return [Rule("/", endpoint="index", methods=["GET"]), Rule("/", endpoint="send", methods=["POST"])]

    def on_index(self, request: Request) -> Response:
        rows = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>"
            for k, v in TEMPLATES.items()
        )
        return page(
            "Tổng đài SMS brandname (giả lập)",
            "<p><code>POST /sms/</code> với <code>RQST</code> <code>send_sms_list</code>. "
            "Tin đã nhận: <a href='/inbox'>/inbox</a> (<code>?phone=84…</code>).</p>"
            f"<table><tr><th>TEMPLATEID</th><th>Nội dung</th></tr>{rows}</table>",
        )

    def refused(self, rqst: dict[str, Any]) -> str:
        for wire, ours in (
            ("APIUSER", "api_user"),
            ("APIPASS", "api_pass"),
            ("USERNAME", "username"),
            ("AGENTID", "agent_id"),
            ("CONTRACTID", "contract_id"),
            ("CONTRACTTYPEID", "contract_type_id"),
        ):
            if str(rqst.get(wire, "")) != self.account[ours]:
                return f"{wire} is wrong"
        return ""

    def on_send(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        rqst = body.get("RQST") if isinstance(body, dict) else None
        if not isinstance(rqst, dict) or rqst.get("name") != "send_sms_list" or not rqst.get("REQID"):
            return reply("5", "not a send_sms_list request with a REQID")
        if why := self.refused(rqst):
            return reply("1", f"authentication failed: {why}")
        if rqst.get("LABELID") not in BRANDNAMES:
            return reply("6", "brandname (LABELID) not registered")
        template = TEMPLATES.get(str(rqst.get("TEMPLATEID", "")))
        if template is None:
            return reply("2", "template (TEMPLATEID) not registered")
        given = rqst.get("PARAMS")
        if not isinstance(given, list) or not all(isinstance(p, dict) for p in given):
            return reply("5", "PARAMS must be a list of {NUM, CONTENT}")
        params = {str(p.get("NUM", "")): str(p.get("CONTENT", "")) for p in given}
        if len(params) != slots(template) or set(params) != {str(n) for n in range(1, slots(template) + 1)}:
            return reply("3", f"the template takes {slots(template)} parameters, got {len(given)}")
        mobiles = [m.strip() for m in str(rqst.get("MOBILELIST", "")).split(",") if m.strip()]
        if not mobiles or not all(MOBILE.match(m) for m in mobiles):
            return reply("4", "MOBILELIST must hold 84… mobile numbers")
        text = render(template, params)
        fresh = [
            self.inbox.add(
                Received(
                    channel="sms",
                    to=mobile,
                    key=f"{rqst['REQID']}|{mobile}",
                    text=text,
                    template=str(rqst["TEMPLATEID"]),
                    sender=str(rqst["LABELID"]),
                )
            )
            is None
            for mobile in mobiles
        ]
        return reply("0", "sent" if all(fresh) else "duplicate REQID: sent once already")
