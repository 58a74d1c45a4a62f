"""The national channels' adapter (integrations.md §5): DVC liên thông's pull API (``GetToken``,
``LayDanhSachHoSo``, ``CapNhatDaNhanHoSo``, ``SendStatus``, Bearer token renewed once when refused)
and the status receivers of the national portal's and VNeID's pushes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import httpx

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.inbound import wire
from motcua.integrations.inbound.ports import (
    DVCQG,
    LIENTHONG,
    VNEID,
    InboundDossier,
    StatusReport,
    Unreadable,
)

SYSTEM = "lienthong"
# Where the pushes' statuses go when no URL of their own is configured: under the channel's base.
STATUS_PATHS = {DVCQG: "/KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM", VNEID: "/lltp/NhanTrangThai"}


class NationalChannelClient:
    def __init__(self, config: SystemConfig, *, attempts: int | None = None) -> None:
        self.config = config
        self.attempts = attempts
        self._http = transport.client()
        self._lock = threading.Lock()
        self._token = ""

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise transport.Malformed(SYSTEM, "not JSON") from exc

    def _login(self) -> str:
        response = transport.send(
            SYSTEM,
            self._http,
            "POST",
            f"{self.config.url}/GetToken",
            json=wire.token_body(str(self.config.option("username")), str(self.config.option("password"))),
            attempts=self.attempts,
        )
        try:
            return wire.token(self._json(response))
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc

    def _bearer(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call with the token; a 401 gets a new token and one more try."""
        for renew in (False, True):
            with self._lock:
                if renew or not self._token:
                    self._token = self._login()
                token = self._token
            try:
                return transport.send(
                    SYSTEM,
                    self._http,
                    method,
                    f"{self.config.url}{path}",
                    headers={"Authorization": f"Bearer {token}"},
                    attempts=self.attempts,
                    **kwargs,
                )
            except transport.Rejected as exc:
                if exc.detail != "HTTP 401" or renew:
                    raise
        raise transport.Unavailable(SYSTEM, "the token was refused again at once")  # pragma: no cover

    def waiting(self) -> Sequence[InboundDossier | Unreadable]:
        try:
            return wire.listed(self._json(self._bearer("GET", "/LayDanhSachHoSo")))
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc

    def acknowledge(self, external_code: str) -> None:
        response = self._bearer("PUT", "/CapNhatDaNhanHoSo", json=wire.ack_body(external_code))
        if not wire.acknowledged(response.text):
            raise transport.Rejected(SYSTEM, f"CapNhatDaNhanHoSo not taken: {response.text[:200]}")

    def send_status(self, report: StatusReport) -> None:
        body = wire.STATUS_BODIES[report.source](report)
        if report.source == LIENTHONG:
            self._bearer("POST", "/SendStatus", json=body)
            return
        url = str(self.config.option(f"{report.source}_status_url")) or (
            f"{self.config.url}{STATUS_PATHS[report.source]}"
        )
        answer = self._json(
            transport.send(SYSTEM, self._http, "POST", url, json=body, attempts=self.attempts)
        )
        ok = (
            (
                str(answer.get("error_code")) in ("0", "00")
                if report.source == DVCQG
                else str(answer.get("statusCode")) == "200"
            )
            if isinstance(answer, dict)
            else False
        )
        if not ok:
            raise transport.Rejected(SYSTEM, f"{report.source} status not taken: {str(answer)[:200]}")
