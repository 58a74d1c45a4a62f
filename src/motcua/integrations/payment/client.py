"""The real adapter for the national payment platform (DVCQG), on ``transport``.

INIT, QUERY and GET_BILL are JSON POSTs to ``{url}/init``, ``{url}/query`` and ``{url}/get_bill``
(the platform's InitUrl, CheckConfirmUrl and InitReceiptUrl under one base). An answer that is not the
wire format is ``Malformed``; an INIT the platform refuses (``error_code`` other than "0") is ``Rejected``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import httpx
from django.utils import timezone

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.payment import wire
from motcua.integrations.payment.ports import (
    BadSignature,
    PaymentEvent,
    PaymentInit,
    PaymentRequest,
    PaymentState,
    PaymentStatus,
)

SYSTEM = "payment"
STATES = {"1": PaymentState.PAID, "3": PaymentState.PENDING, "4": PaymentState.FAILED}


class PaymentPlatform:
    """``PaymentGateway`` over HTTP."""

    def __init__(self, config: SystemConfig, http: httpx.Client | None = None) -> None:
        self.url = config.url.rstrip("/")
        self.merchant = str(config.option("merchant"))
        self.secret = str(config.option("secret"))
        self.http = http or transport.client()

    def _post(self, path: str, body: Mapping[str, object]) -> httpx.Response:
        return transport.send(SYSTEM, self.http, "POST", f"{self.url}/{path}", json=dict(body))

    def _json(self, response: httpx.Response) -> dict[str, object]:
        try:
            data = response.json()
        except ValueError as exc:
            raise transport.Malformed(SYSTEM, "not JSON") from exc
        if not isinstance(data, dict):
            raise transport.Malformed(SYSTEM, "not a JSON object")
        return data

    def init(self, req: PaymentRequest) -> PaymentInit:
        reply = self._json(
            self._post("init", wire.init_body(req, merchant=self.merchant, secret=self.secret))
        )
        if str(reply.get("error_code")) != "0":
            raise transport.Rejected(SYSTEM, f"INIT refused, error_code {reply.get('error_code')!r}")
        try:
            inner = json.loads(str(reply.get("message")))
            url = inner["UrlThanhToan"]
        except (ValueError, TypeError, KeyError) as exc:
            raise transport.Malformed(SYSTEM, "INIT reply without UrlThanhToan") from exc
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise transport.Malformed(SYSTEM, "UrlThanhToan is not a web address")
        return PaymentInit(reference=req.reference, redirect_url=url)

    def parse_confirm(self, body: Mapping[str, object]) -> PaymentEvent:
        event = wire.confirm_event(body, secret=self.secret)
        if event.merchant != self.merchant:
            raise BadSignature("MaDoiTac is not ours")
        return event

    def confirm_reply(self, *, error_code: str, message: str) -> dict[str, str]:
        return wire.confirm_reply(
            error_code=error_code,
            message=message,
            merchant=self.merchant,
            now=timezone.now(),
            secret=self.secret,
        )

    def query(self, reference: str, initiated_at: datetime) -> PaymentStatus:
        body = wire.query_body("QUERY", reference, initiated_at, merchant=self.merchant, secret=self.secret)
        reply = self._json(self._post("query", body))
        state = STATES.get(str(reply.get("TrangThaiGD", "")))
        if state is None:
            raise transport.Malformed(SYSTEM, f"TrangThaiGD {reply.get('TrangThaiGD')!r}")
        if state is PaymentState.PENDING:
            return PaymentStatus(state, None)
        try:
            event = self.parse_confirm(reply)
        except BadSignature as exc:
            raise transport.Malformed(SYSTEM, f"QUERY answer: {exc}") from exc
        if event.reference != reference:
            raise transport.Malformed(SYSTEM, "QUERY answer for another reference")
        return PaymentStatus(state, event)

    def receipt_pdf(self, reference: str, initiated_at: datetime) -> bytes:
        body = wire.query_body(
            "GET_BILL", reference, initiated_at, merchant=self.merchant, secret=self.secret
        )
        response = self._post("get_bill", body)
        if not response.content.startswith(b"%PDF-"):
            raise transport.Malformed(SYSTEM, "GET_BILL did not answer a PDF")
        return response.content
