"""The stand-ins' WSGI application: one server, each national system under its own prefix.

Each system is a ``StandIn``: a werkzeug URL map and a handler per endpoint, plus how it answers a
"malformed" fault in its own content type. Shared here: the index page, ``/health``, the fault
knobs (``/_faults``) and the label that says, on every HTML page, that this is a stand-in.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from motcua.standins.faults import Faults, Knob
from motcua.standins.inbox import Inbox

log = logging.getLogger("motcua.standins")

Handler = Callable[..., Response]  # (request, **the URL's arguments)

BANNER = (
    '<div style="background:#fff3cd;border-bottom:2px solid #b58105;padding:.5rem 1rem;font:14px sans-serif">'
    "<strong>Máy chủ giả lập (stand-in)</strong> — không phải hệ thống quốc gia thật; "
    "dữ liệu công dân là dữ liệu giả. <em>A stand-in, not the national system.</em></div>"
)


def page(title: str, body: str, status: int = 200) -> Response:
    """An HTML page with the stand-in label on top; phone-friendly."""
    text = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} — stand-in</title>"
        "<style>body{margin:0;font:16px/1.5 sans-serif}main{max-width:40rem;margin:auto;padding:1rem}"
        "button,.btn{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0}table{border-collapse:collapse;width:100%}"
        "td,th{border-bottom:1px solid #ddd;padding:.25rem;text-align:left}</style></head><body>"
        f"{BANNER}<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(text, status=status, content_type="text/html; charset=utf-8")


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


class StandIn:
    """One national system's stand-in. Subclasses fill ``name``, ``title``, ``rules`` and handlers."""

    name = ""
    title = ""
    malformed_body = "<<not the wire format>>"
    malformed_type = "text/plain"

    def rules(self) -> list[Rule]:
        raise NotImplementedError

    def reset(self) -> None:
        """Clear the stand-in's own fault knobs (``POST /_faults {"reset": true}`` clears them all)."""

    def endpoints(self) -> dict[str, Handler]:
        """Endpoint name → handler, for the rules above (bound methods named ``on_<endpoint>``)."""
        return {rule.endpoint: getattr(self, f"on_{rule.endpoint}") for rule in self.rules()}


class StandIns:
    """The WSGI app that serves every stand-in."""

    def __init__(self, systems: Iterable[StandIn], inbox: Inbox | None = None) -> None:
        self.systems = {s.name: s for s in systems}
        self.faults = Faults()
        self.inbox = inbox or Inbox()
        self.smtp_port: int | None = None  # set when the SMTP sink listens (``serve``)
        rules = [Rule("/", endpoint="index"), Rule("/health", endpoint="health")]
        rules.append(Rule("/inbox", endpoint="inbox"))
        rules.append(Rule("/favicon.ico", endpoint="favicon"))
        rules.append(Rule("/_faults", endpoint="faults", methods=["GET", "POST"]))
        self.handlers: dict[str, tuple[StandIn | None, Handler]] = {
            "index": (None, self.on_index),
            "health": (None, self.on_health),
            "faults": (None, self.on_faults),
            "inbox": (None, self.on_inbox),
            "favicon": (None, lambda request: Response(status=204)),
        }
        for system in self.systems.values():
            rules.extend(
                Rule(
                    f"/{system.name}{rule.rule}",
                    endpoint=f"{system.name}:{rule.endpoint}",
                    methods=rule.methods,
                )
                for rule in system.rules()
            )
            for endpoint, handler in system.endpoints().items():
                self.handlers[f"{system.name}:{endpoint}"] = (system, handler)
        self.url_map = Map(rules, strict_slashes=False)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
            system, handler = self.handlers[endpoint]
            response = self._faulty(system) if system is not None else None
            if response is None:
                response = handler(request, **args)
        except NotFound:
            response = page("Không tìm thấy", "<p>Không có địa chỉ này trên máy chủ giả lập.</p>", 404)
        except HTTPException as exc:
            response = exc.get_response(environ)
        response.headers["X-Stand-In"] = "1"
        return response(environ, start_response)

    def _faulty(self, system: StandIn) -> Response | None:
        mode = self.faults.take(system.name)
        if mode == "error":
            return Response("stand-in fault: 500", status=500, content_type="text/plain")
        if mode == "malformed":
            return Response(system.malformed_body, status=200, content_type=system.malformed_type)
        return None  # "timeout" has already held the request; it then answers normally

    def on_index(self, request: Request) -> Response:
        rows = "".join(
            f"<li><a href='/{html.escape(s.name)}/'>/{html.escape(s.name)}/</a> — {html.escape(s.title)}</li>"
            for s in self.systems.values()
        )
        return page(
            "Các hệ thống giả lập",
            f"<ul>{rows}</ul><p><a href='/inbox'>Hộp thư: SMS, Zalo, e-mail đã nhận (inbox)</a></p>"
            "<p><a href='/_faults'>Lỗi giả lập (faults)</a></p>",
        )

    def on_health(self, request: Request) -> Response:
        return json_response(
            {
                "ok": True,
                "stand_in": True,
                "systems": sorted(self.systems),
                "smtp_port": self.smtp_port,
                "inbox": {channel: self.inbox.count(channel) for channel in ("sms", "zalo", "email")},
            }
        )

    def on_inbox(self, request: Request) -> Response:
        """What the SMS, Zalo and e-mail stand-ins received, newest first: ``?phone=84…`` or
        ``?email=…``. JSON for scripts, HTML for people: ``format=json|html``, else the Accept header
        (a browser's text/html gets the page; anything else, ``*/*`` included, JSON)."""
        phone = request.args.get("phone", "").strip().lstrip("+")
        email = request.args.get("email", "").strip()
        found = self.inbox.find(phone=phone, email=email)
        wanted = request.args.get("format") or (
            "html"
            if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"
            else "json"
        )
        if wanted != "html":
            return json_response({"phone": phone, "email": email, "messages": [m.as_dict() for m in found]})
        rows = "".join(
            f"<tr><td>{html.escape(m.as_dict()['received_at'])}</td><td>{html.escape(m.channel)}</td>"
            f"<td>{html.escape(m.to)}</td><td>{html.escape(m.subject)}<br>{html.escape(m.text)}</td></tr>"
            for m in found
        )
        form = (
            "<form method='get'><label>Số điện thoại (84…) <input name='phone' inputmode='tel' "
            f"value='{html.escape(phone)}'></label> <label>E-mail <input name='email' type='email' "
            f"value='{html.escape(email)}'></label> <button>Xem</button></form>"
        )
        return page(
            "Hộp thư nhận (SMS, Zalo, e-mail)",
            f"{form}<p>{len(found)} tin, mới nhất trước.</p>"
            f"<table><tr><th>Lúc</th><th>Kênh</th><th>Đến</th><th>Nội dung</th></tr>{rows}</table>",
        )

    def on_faults(self, request: Request) -> Response:
        """GET: the knobs. POST {"system", "latency_ms", "mode", "count", "hold_seconds"} sets one;
        POST {"reset": true} clears them all."""
        if request.method == "POST":
            body = request.get_json(silent=True) or {}
            if body.get("reset"):
                self.faults.reset()
                for system in self.systems.values():
                    system.reset()
            else:
                if body.get("system") not in self.systems:
                    return json_response({"error": f"unknown system {body.get('system')!r}"}, 400)
                try:
                    knob = Knob(
                        latency_ms=int(body.get("latency_ms", 0)),
                        mode=str(body.get("mode", "")),
                        count=int(body.get("count", 0)),
                        hold_seconds=float(body.get("hold_seconds", 30.0)),
                    )
                    self.faults.set(body["system"], knob)
                except (TypeError, ValueError) as exc:
                    return json_response({"error": str(exc)}, 400)
        return json_response({name: vars(knob) for name, knob in self.faults.snapshot().items()})


def build() -> StandIns:
    """Every stand-in, seeded."""
    from motcua.standins.dvcqg import NationalPortal
    from motcua.standins.lienthong import NationalChannel
    from motcua.standins.payment import Payment
    from motcua.standins.population import Population
    from motcua.standins.signing import Signing
    from motcua.standins.sms import Sms
    from motcua.standins.vneid import VNeID
    from motcua.standins.zalo import Zalo

    inbox = Inbox()
    systems: list[StandIn] = [
        VNeID(),
        Population(),
        NationalPortal(),
        Sms(inbox),
        Zalo(inbox),
        Payment(),
        Signing(),
        NationalChannel(),
    ]
    return StandIns(systems, inbox)


def serve(
    host: str,
    port: int,
    standins: StandIns,
    ready: Callable[[str], None] | None = None,
    smtp_port: int | None = None,
) -> None:
    """Serve until interrupted, many requests at once (a held "timeout" must not block the others),
    with the SMTP sink on ``smtp_port`` (default: the HTTP port + 1; 0 or less: no sink)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from motcua.standins import smtp

    class Handler(WSGIRequestHandler):
        """Werkzeug drops headers with underscores; Zalo's ``access_token`` is one, so keep them."""

        def make_environ(self) -> Any:
            environ = super().make_environ()
            for key, value in self.headers.items():
                if "_" in key:
                    environ[f"HTTP_{key.upper()}"] = value
            return environ

    server = make_server(host, port, standins, threaded=True, request_handler=Handler)
    url = f"http://{host}:{server.server_port}"
    sink = None
    wanted = server.server_port + 1 if smtp_port is None else smtp_port
    if wanted > 0:
        try:
            sink = smtp.start(host, wanted, standins.inbox)
            standins.smtp_port = wanted
        except OSError as exc:  # the port is taken: serve the rest, and /health says there is no sink
            log.warning("stand-ins: no SMTP sink on port %s (%s)", wanted, exc)
    if ready is not None:
        ready(url)
    try:
        server.serve_forever()
    finally:
        if sink is not None:
            sink.stop()
