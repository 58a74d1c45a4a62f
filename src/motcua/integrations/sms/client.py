"""The real adapter: ``send_sms_list`` over HTTP, one account (brandname, contract) per agency."""

from __future__ import annotations

import httpx

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.sms import wire
from motcua.integrations.sms.ports import Sms

SYSTEM = "sms"
FIELDS = ("api_user", "api_pass", "username", "agent_id", "contract_type_id", "contract_id", "label_id")


class VnptSms:
    """``SmsGateway``; one ``httpx.Client`` per adapter, so sends reuse their connections."""

    def __init__(self, config: SystemConfig, http: httpx.Client | None = None) -> None:
        self.url = config.url
        self.account = {name: str(config.option(name)) for name in FIELDS}
        self.http = http or transport.client()

    def send(self, message: Sms) -> None:
        # One attempt: the outbox retries with its own backoff, and a worker must not wait long.
        response = transport.send(
            SYSTEM, self.http, "POST", self.url, json=wire.request(message, self.account), attempts=1
        )
        try:
            error, desc = wire.parse_reply(response.content)
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc
        if error == "0":
            return
        if error in wire.RETRYABLE:
            raise transport.Unavailable(SYSTEM, f"busy ({error}): {desc[:200]}")
        raise transport.Rejected(SYSTEM, f"refused ({error}): {desc[:200]}")
