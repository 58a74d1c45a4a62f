"""The national portal's sync adapter (integrations.md §3.1): log in for a session, then post each
service to the integration endpoint. The session is kept and renewed when the portal says it has
lapsed; an add of a record that is already there is resent as an update."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import httpx

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.ports import DossierSnapshot, ProgressEntry

SYSTEM = "dvcqg"


class NationalPortalClient:
    def __init__(self, config: SystemConfig, *, attempts: int | None = None) -> None:
        self.config = config
        self.attempts = attempts
        self._http = transport.client(headers={"dstcode": str(config.option("dstcode"))})
        self._lock = threading.Lock()
        self._session = ""

    # --- the session ------------------------------------------------------------------------------
    def _login(self) -> str:
        response = transport.send(
            SYSTEM,
            self._http,
            "POST",
            f"{self.config.url}/auth",
            json={"username": self.config.option("username"), "password": self.config.option("password")},
            attempts=self.attempts,
        )
        body = self._json(response)
        code, message, _ = wire.reply(body) if "error_code" in body else ("0", "", [])
        session = str(body.get("session") or "")
        if not wire.succeeded(code) or not session:
            raise transport.Rejected(SYSTEM, f"login refused: {code} {message}"[:200])
        return session

    def _session_now(self, *, renew: bool = False) -> str:
        with self._lock:
            if renew or not self._session:
                self._session = self._login()
            return self._session

    # --- one service call --------------------------------------------------------------------------
    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise transport.Malformed(SYSTEM, "not JSON") from exc
        if not isinstance(body, dict):
            raise transport.Malformed(SYSTEM, "not a JSON object")
        return body

    def _call(self, build: Any) -> tuple[str, str, list[Any]]:
        """Post ``build(session)``; once more with a new session if the portal says it lapsed."""
        for renew in (False, True):
            session = self._session_now(renew=renew)
            response = transport.send(
                SYSTEM,
                self._http,
                "POST",
                f"{self.config.url}/integration",
                json=build(session),
                attempts=self.attempts,
            )
            try:
                code, message, result = wire.reply(self._json(response))
            except wire.WireError as exc:
                raise transport.Malformed(SYSTEM, str(exc)) from exc
            if wire.session_expired(code, message) and not renew:
                continue
            return code, message, result
        raise transport.Unavailable(SYSTEM, "the session lapsed again at once")

    def _ok(self, code: str, message: str, what: str) -> None:
        if not wire.succeeded(code):
            raise transport.Rejected(SYSTEM, f"{what}: error_code {code}: {message}"[:300])

    # --- the services ------------------------------------------------------------------------------
    def upsert_dossier(self, unit_code: str, record: DossierSnapshot, *, update: bool = False) -> None:
        code, message, _ = self._call(lambda s: wire.upsert_body(s, unit_code, [record], update=update))
        if not update and wire.already_exists(code, message):
            code, message, _ = self._call(lambda s: wire.upsert_body(s, unit_code, [record], update=True))
        self._ok(code, message, "DongBoHoSoMC")

    def upsert_dossiers(self, unit_code: str, records: Sequence[DossierSnapshot], *, update: bool) -> None:
        # One record the portal already has refuses the whole add: the caller then sends them singly.
        code, message, _ = self._call(lambda s: wire.upsert_body(s, unit_code, records, update=update))
        self._ok(code, message, "DongBoHoSoMC")

    def append_progress(self, unit_code: str, entries: Sequence[ProgressEntry]) -> None:
        for items in wire.chunks(entries):
            code, message, _ = self._call(lambda s, items=items: wire.progress_body(s, unit_code, items))
            self._ok(code, message, "CapNhatTienDoHoSoMC")

    def exists(self, unit_code: str, dossier_code: str) -> bool:
        code, message, result = self._call(lambda s: wire.lookup_body(s, unit_code, dossier_code))
        self._ok(code, message, "TraCuuHoSo")
        return bool(result)
