"""The issue's crash test: "A server killed in the middle of a burst of submissions loses no
acknowledged dossier and leaves no half-written one. Personal ID numbers and phone numbers never
appear in logs or URLs."

The real server (gunicorn through ``motcua serve``) on a database of its own (SQLite file, or a new
database on the PostgreSQL of the run), a burst of counter submissions from several threads, a
SIGKILL to the whole process group in the middle, a restart, then the checks.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CENTRE, PASSWORD, PROCEDURE, personal_id, phone, procedure_spec
from tests.server import Server, call, django_json, query, scratch_database

pytestmark = pytest.mark.server

CLIENTS = 6
PER_CLIENT = 60  # bounded: the kill comes long before
KILL_AFTER = 40  # acknowledged dossiers


SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from motcua.agencies.services import create_agency
from motcua.catalog.services import create_procedure
create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
create_agency(code="{CENTRE}", name="Trung tâm Phục vụ hành chính công", kind="centre", parent_code="H15")
create_agency(code="H15.STC", name="Sở Tài chính tỉnh Đắk Lắk", kind="department", parent_code="H15")
import json
create_procedure(spec=json.loads({json.dumps(procedure_spec())!r}))
call_command("createuser", username="tiepnhan", password="{PASSWORD}", role="receiver", agency="{CENTRE}")
result = True
"""


def state(env: dict[str, str]) -> list[dict[str, Any]]:
    """Every dossier with its documents and events, read straight from the database."""
    docs: dict[int, list[str]] = {}
    for dossier_id, code in query(env, "SELECT dossier_id, code FROM dossiers_dossierdocument"):
        docs.setdefault(dossier_id, []).append(code)
    events: dict[int, list[str]] = {}
    for dossier_id, action in query(env, "SELECT dossier_id, action FROM dossiers_dossierevent ORDER BY id"):
        events.setdefault(dossier_id, []).append(action)
    rows = query(env, "SELECT id, code, status, idempotency_key FROM dossiers_dossier ORDER BY id")
    return [
        {
            "id": i,
            "code": code,
            "status": status,
            "key": key,
            "documents": sorted(docs.get(i, [])),
            "events": events.get(i, []),
        }
        for i, code, status, key in rows
    ]


@dataclass
class Attempt:
    key: str
    body: dict[str, Any]
    status: int | None = None
    dossier: dict[str, Any] | None = None


def submission(client: int, n: int) -> Attempt:
    i = client * 1000 + n
    body = {
        "procedure_code": PROCEDURE,
        "channel": "counter",
        "applicant": {
            "kind": "individual",
            "full_name": f"Nguyễn Thị {i}",
            "id_number": personal_id(i),
            "phone": phone(i),
            "email": "",
            "address": "Buôn Ma Thuột",
        },
        "documents": [{"code": "GDN", "name": "Giấy đề nghị"}, {"code": "DL", "name": "Điều lệ"}],
    }
    return Attempt(key=f"kill-{client}-{n}", body=body)


def burst(
    server: Server, token: str, attempts: list[list[Attempt]], acked: list[int], stop: threading.Event
) -> None:
    def client(mine: list[Attempt]) -> None:
        conn = server.connection(timeout=10)
        try:
            for attempt in mine:
                if stop.is_set():
                    return
                attempt.status = 0  # sent (or about to be): not acknowledged until a 201 is read
                status, body = call(
                    conn,
                    "POST",
                    "/api/v1/dossiers",
                    attempt.body,
                    {"Authorization": f"Bearer {token}", "Idempotency-Key": attempt.key},
                )
                attempt.status, attempt.dossier = status, body
                if status == 201:
                    acked.append(1)
        except OSError:
            return  # the server died under us
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(mine,), daemon=True) for mine in attempts]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(acked) < KILL_AFTER and time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.005)
    server.kill()  # in the middle: the clients have requests in flight
    stop.set()
    for t in threads:
        t.join(15)
    assert not any(t.is_alive() for t in threads)


def test_killed_server_loses_no_acknowledged_dossier_and_leaves_no_half_written_one(tmp_path: Path) -> None:
    started = time.monotonic()
    with scratch_database(tmp_path) as env:
        django_json(env, SETUP)  # migrate, agencies, the procedure, a receiver: one Django start-up
        logs = [tmp_path / "server-1.log", tmp_path / "server-2.log"]

        server = Server(env, logs[0])
        try:
            conn = server.connection()
            status, body = call(
                conn, "POST", "/api/v1/auth/token", {"username": "tiepnhan", "password": PASSWORD}
            )
            conn.close()
            assert status == 200, body
            token = body["token"]
            attempts = [[submission(c, n) for n in range(PER_CLIENT)] for c in range(CLIENTS)]
            burst(server, token, attempts, [], threading.Event())
        finally:
            server.kill()
        flat = [a for mine in attempts for a in mine]
        acknowledged = [a for a in flat if a.status == 201]
        unacknowledged = [a for a in flat if a.status is not None and a.status != 201]
        assert all(a.status in (0, None) for a in unacknowledged), [a.status for a in unacknowledged][:5]
        assert len(acknowledged) >= KILL_AFTER
        assert unacknowledged, "the kill came after the burst: nothing was in flight"

        # Every acknowledged dossier is there, whole; nothing is there half-written.
        stored = {d["id"]: d for d in state(env)}
        for a in acknowledged:
            assert a.dossier is not None
            d = stored.get(a.dossier["id"])
            assert d is not None, f"acknowledged dossier {a.dossier['code']} lost"
            assert d["code"] == a.dossier["code"] and d["key"] == a.key
        for d in stored.values():
            assert d["status"] == "received" and d["code"], d
            assert d["documents"] == ["DL", "GDN"], d
            assert d["events"] == ["create", "receive"], d
        assert len(stored) >= len(acknowledged)

        # After a restart, retrying with the same Idempotency-Key never makes a second dossier.
        server = Server(env, logs[1], workers=1)  # one worker boots faster
        try:
            conn = server.connection()
            headers = {"Authorization": f"Bearer {token}"}
            for a in [*unacknowledged, *acknowledged[:5]]:
                status, body = call(
                    conn, "POST", "/api/v1/dossiers", a.body, headers | {"Idempotency-Key": a.key}
                )
                assert status in (200, 201), body
                if a.status == 201:
                    assert status == 200 and a.dossier is not None and body["id"] == a.dossier["id"]
                a.dossier = body
            # The public look-up carries the ID number in its body, never in the URL or the log.
            probe = acknowledged[0]
            assert probe.dossier is not None
            status, body = call(
                conn,
                "POST",
                "/api/v1/lookup",
                {"code": probe.dossier["code"], "id_number": probe.body["applicant"]["id_number"]},
            )
            assert status == 200 and body["code"] == probe.dossier["code"], body
            conn.close()
        finally:
            server.stop()

        final = state(env)
        keys = [d["key"] for d in final]
        assert len(keys) == len(set(keys)), "two dossiers for one Idempotency-Key"
        assert sorted(keys) == sorted(a.key for a in [*acknowledged, *unacknowledged])
        assert all(d["events"] == ["create", "receive"] and len(d["documents"]) == 2 for d in final)
        # The counter survived the crash: distinct, consecutive serials (a rolled-back receipt gives its number back).
        serials = sorted(int(d["code"].rsplit("-", 1)[1]) for d in final)
        days = {d["code"].rsplit("-", 2)[1] for d in final}
        if len(days) == 1:
            assert serials == list(range(1, len(final) + 1))

        # Personal data never reaches the server's output (access log, error log).
        text = "\n".join(p.read_text(errors="replace") for p in logs)
        assert "POST /api/v1/dossiers" in text and "POST /api/v1/lookup" in text, text[-2000:]
        for a in flat:
            applicant = a.body["applicant"]
            assert applicant["id_number"] not in text
            assert applicant["phone"] not in text
    assert time.monotonic() - started < 60
