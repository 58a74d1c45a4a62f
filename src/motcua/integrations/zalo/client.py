"""The real adapter: ZNS over HTTP with the OA's access token."""

from __future__ import annotations

import httpx

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.zalo import wire
from motcua.integrations.zalo.ports import Zns

SYSTEM = "zalo"


class ZnsClient:
    """``ZnsSender``; one ``httpx.Client`` per adapter."""

    def __init__(self, config: SystemConfig, http: httpx.Client | None = None) -> None:
        self.url = f"{config.url.rstrip('/')}{wire.PATH}"
        self.token = str(config.option("access_token"))
        self.http = http or transport.client()

    def send(self, message: Zns) -> str:
        response = transport.send(
            SYSTEM,
            self.http,
            "POST",
            self.url,
            json=wire.request(message),
            headers={"access_token": self.token},
            attempts=1,  # the outbox retries
        )
        try:
            error, text, msg_id = wire.parse_reply(response.content)
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc
        if error == 0:
            return msg_id
        if error in wire.RETRYABLE:
            raise transport.Unavailable(SYSTEM, f"{error}: {text[:200]}")
        raise transport.Rejected(SYSTEM, f"refused ({error}): {text[:200]}")
