"""Issue 12's crash test for what leaves MotCua: "A worker killed in the middle of a batch: every
message is delivered exactly once after restart."

A database of its own with a backlog of notifications and portal syncs, the stand-ins process made
slow (so a batch is in flight), the real ``motcua worker`` started, SIGKILLed to its whole process
group once it has delivered some, started again, then the checks: the outbox is empty, and each
applicant's phone received each message once (the gateways take a resent one by its key).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from motcua.standins.process import running
from tests.conftest import CENTRE, PASSWORD, PROCEDURE, personal_id, phone, procedure_spec
from tests.server import REPO, django_json, query, scratch_database

pytestmark = pytest.mark.server

DOSSIERS = 120

SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
import json
from motcua.accounts.services import create_user
from motcua.agencies.services import create_agency
from motcua.catalog.services import create_procedure
from motcua.dossiers import commands, services
create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
create_agency(code="{CENTRE}", name="Trung tâm Phục vụ hành chính công", kind="centre", parent_code="H15")
create_agency(code="H15.STC", name="Sở Tài chính tỉnh Đắk Lắk", kind="department", parent_code="H15")
create_procedure(spec=json.loads({json.dumps(procedure_spec())!r}))
desk = create_user(username="tiepnhan", password="{PASSWORD}", role="receiver", agency_code="{CENTRE}")
for i in range({DOSSIERS}):
    services.create_dossier(actor=desk, procedure_code="{PROCEDURE}", channel="counter",
        applicant=commands.Applicant(kind="individual", full_name=f"Trần Văn {{i}}",
                                     id_number="{personal_id(0)[:6]}" + f"{{i:06d}}", phone=f"09{{i:08d}}"))
from motcua.outbox.models import OutboxMessage
result = sorted(set(OutboxMessage.objects.values_list("target", flat=True)))
"""


def counts(env: dict[str, str]) -> dict[str, int]:
    rows = query(env, "SELECT state, COUNT(*) FROM outbox_outboxmessage GROUP BY state")
    return {state: n for state, n in rows}


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            [sys.executable, "-m", "motcua.cli", "worker", "--interval", "0.2"],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes its threads and children
        )


def wait_for(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_killed_worker_delivers_everything_exactly_once_after_restart(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as base, running(latency_ms=40) as standins:
        env = base | {
            "MOTCUA_STANDINS_URL": standins,
            "MOTCUA_OUTBOX_LEASE_SECONDS": "3",  # the killed worker's claims lapse soon
            "MOTCUA_OUTBOX_BACKOFF_SECONDS": "0.5",
        }
        targets = django_json(env, SETUP)
        assert {"sms", "zalo", "dvcqg"} <= set(targets)
        total = sum(counts(env).values())

        log = tmp_path / "worker.log"
        worker = start_worker(env, log)
        try:
            wait_for(lambda: counts(env).get("delivered", 0) >= 30, 120, "the first deliveries")
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
        left = counts(env).get("pending", 0)
        assert left > 0, "the kill came after everything was sent: nothing was in flight"

        worker = start_worker(env, log)
        try:
            wait_for(lambda: counts(env).get("delivered", 0) == total, 180, "the backlog to drain")
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)

        assert counts(env) == {"delivered": total}
        for i in range(DOSSIERS):
            number = "84" + phone(i)[1:]
            inbox = f"{standins}/inbox?phone={number}&format=json"
            with urllib.request.urlopen(inbox, timeout=10) as r:  # noqa: S310 — the stand-ins on loopback
                received = json.load(r)
            by_channel = sorted(m["channel"] for m in received["messages"])
            assert by_channel == ["sms", "zalo"], (number, by_channel)  # the receipt, once on each
        portal = f"{standins}/dvcqg/_indicators?from=2000-01-01&to=2100-12-31"
        with urllib.request.urlopen(portal, timeout=10) as r:  # noqa: S310 — the stand-ins on loopback
            assert json.load(r)["records"] == DOSSIERS
