"""The real adapter: C06's SOAP directly, or a provincial LGSP's JSON wrapper (``mode``)."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.population import wire
from motcua.integrations.population.ports import CitizenQuery, CitizenRecord

SYSTEM = "population"


class PopulationClient:
    """``PopulationRegistry`` over HTTP. One ``httpx.Client`` per adapter, so calls reuse connections."""

    def __init__(
        self,
        config: SystemConfig,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = config.url
        self.username = str(config.option("username"))
        self.secret = str(config.option("secret"))
        self.mode = str(config.option("mode") or "direct_soap")
        self.integration_code = str(config.option("integration_code"))
        self.service_code = str(config.option("service_code"))
        self.http = http or transport.client()
        self.clock = clock

    def lookup(
        self, query: CitizenQuery, *, request_id: str, officer_code: str, service_code: str = ""
    ) -> CitizenRecord | None:
        fields = {
            "request_id": request_id,
            "service_code": service_code or self.service_code,
            "integration_code": self.integration_code,
            "officer_code": officer_code,
        }
        headers = wire.auth_headers(self.url, self.username, self.secret, int(self.clock()))
        if self.mode == "lgsp_json":
            response = transport.send(
                SYSTEM, self.http, "POST", self.url, json=wire.request_json(query, **fields), headers=headers
            )
        else:
            response = transport.send(
                SYSTEM,
                self.http,
                "POST",
                self.url,
                content=wire.request_xml(query, **fields).encode(),
                headers={**headers, "Content-Type": wire.CONTENT_TYPE},
            )
        try:
            body = wire.unwrap_json(response.content) if self.mode == "lgsp_json" else response.content
            return wire.parse_reply(body)
        except wire.RemoteError as exc:
            raise transport.Rejected(SYSTEM, f"refused ({exc.code[:40]})") from exc
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc
