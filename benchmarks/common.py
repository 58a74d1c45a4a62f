"""What every benchmark needs: an empty database of its own, the real server, a load generator.

Loopback traffic only; every loop is bounded; the server runs in its own process group and is
always killed (with its workers) on the way out, and the scratch database is dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "matkhau-rat-dai"  # noqa: S105 — the benchmark users' own
CENTRE = "H15.TTPV"
PROCEDURE = "1.000956"
CLIENTS = 16

# The best combination measured on 2 cores (see README/report): bench_* --sweep tries others.
DEFAULT_WORKERS = 3
DEFAULT_THREADS = 4


def personal_id(n: int) -> str:
    """A valid 12-digit personal ID: 066 (Đắk Lắk), 1 (a man born in the 1900s), 85, then a serial."""
    return f"066185{n:06d}"


def phone(n: int) -> str:
    return f"09{n:08d}"


PROCEDURE_SPEC: dict[str, Any] = {
    "code": PROCEDURE,
    "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
    "agency_code": "H15.STC",
    "field": "Thành lập và hoạt động doanh nghiệp",
    "level": "province",
    "processing_time": {"value": 3, "unit": "working_days"},
    "online_level": "full",
    "fee_vnd": 50000,
    "result_is_document": True,
    "applicant_types": ["individual", "organization"],
    "required_documents": [
        {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp", "required": True},
        {"code": "DL", "name": "Điều lệ công ty", "required": True},
    ],
    "steps": [],
}

# Run inside ``motcua shell``: migrate, a province with a one-stop centre and a department, the
# procedure, RECEIVERS receivers at the centre with a Bearer token each, then DOSSIERS counter
# dossiers received at the centre. Binds ``result``.
SETUP = """
import json
from django.core.management import call_command
from motcua.accounts.services import create_user, issue_token
from motcua.agencies.services import create_agency
from motcua.catalog.services import create_procedure
from motcua.dossiers import commands, services

call_command("migrate", interactive=False, verbosity=0)
create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
create_agency(code=CENTRE, name="Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk", kind="centre", parent_code="H15")
create_agency(code="H15.STC", name="Sở Tài chính tỉnh Đắk Lắk", kind="department", parent_code="H15")
create_procedure(spec=json.loads(SPEC))
receivers = [
    create_user(username=f"tiepnhan{i}", password=PASSWORD, role="receiver", agency_code=CENTRE)
    for i in range(RECEIVERS)
]
tokens = [issue_token(username=u.username, password=PASSWORD) for u in receivers]
dossiers = []
for i in range(DOSSIERS):
    d, _ = services.create_dossier(
        actor=receivers[i % RECEIVERS],
        procedure_code=PROCEDURE,
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name=f"Trần Văn {i}",
                                     id_number=PERSONAL_ID(900000 + i), phone=PHONE(900000 + i)),
        documents=[commands.DocumentIn("GDN", "Giấy đề nghị"), commands.DocumentIn("DL", "Điều lệ")],
    )
    dossiers.append({"code": d.code, "id_number": d.applicant_id_number})
result = {"tokens": tokens, "dossiers": dossiers}
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


@dataclass
class Database:
    env: dict[str, str]
    url: str
    label: str
    tmp: Path


@contextlib.contextmanager
def scratch_database(name: str, extra_env: dict[str, str] | None = None) -> Iterator[Database]:
    """A new, empty database on the PostgreSQL of MOTCUA_DATABASE_URL (dropped afterwards); SQLite in a
    temporary directory when there is none — labelled so, since the targets are for PostgreSQL."""
    tmp = Path(tempfile.mkdtemp(prefix=f"motcua-bench-{name}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"MOTCUA_VAR_DIR": str(tmp), "MOTCUA_LOG_LEVEL": "WARNING", **(extra_env or {})}
    url = os.environ.get("MOTCUA_DATABASE_URL", "")
    try:
        if not is_postgresql(url):
            env["MOTCUA_DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
            yield Database(
                env, env["MOTCUA_DATABASE_URL"], "SQLite (NOT the target: use scripts/with-postgres.sh)", tmp
            )
            return
        import psycopg

        parts = urlsplit(url)
        db_name = f"motcua_bench_{name}_{secrets.token_hex(3)}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
            version = conn.execute("SHOW server_version").fetchone()
        try:
            env["MOTCUA_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
            yield Database(
                env, env["MOTCUA_DATABASE_URL"], f"PostgreSQL {version[0] if version else '?'}", tmp
            )
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def django_json(env: dict[str, str], code: str, timeout: float = 600, *, show: bool = False) -> Any:
    """Run ``code`` (which binds ``result``) under ``motcua shell``; ``result`` back as JSON (and what
    it printed, with ``show``)."""
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "motcua.cli",
            "shell",
            "-v",
            "0",
            "-c",
            code + "\nimport json\nprint('RESULT:' + json.dumps(result))",
        ],  # fmt: skip
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    if show:
        print("\n".join(x for x in done.stdout.splitlines() if not x.startswith("RESULT:")), flush=True)
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT:"))
    return json.loads(line.removeprefix("RESULT:"))


def prepare(db: Database, *, receivers: int, dossiers: int = 0) -> dict[str, Any]:
    """Migrate the empty database and create the benchmark's own data; tokens and dossiers back."""
    code = (
        f"CENTRE, PROCEDURE, PASSWORD = {CENTRE!r}, {PROCEDURE!r}, {PASSWORD!r}\n"
        f"SPEC = {json.dumps(PROCEDURE_SPEC)!r}\n"
        f"RECEIVERS, DOSSIERS = {receivers}, {dossiers}\n"
        "PERSONAL_ID = lambda n: f'066185{n:06d}'\n"
        "PHONE = lambda n: f'09{n:08d}'\n" + SETUP
    )
    return dict(django_json(db.env, code))


def query(db: Database, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a read-only query on the benchmark's database."""
    if db.url.startswith("sqlite:///"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(db.url.removeprefix("sqlite:///"))) as conn:
            return list(conn.execute(sql).fetchall())
    import psycopg

    with psycopg.connect(db.url) as conn:
        return list(conn.execute(sql).fetchall())


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """``motcua serve`` (gunicorn gthread) on a free loopback port, in its own process group."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int, log_path: Path) -> None:
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.log_path = log_path
        with log_path.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "motcua.cli",
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                ],  # fmt: skip
                env=env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float = 90) -> None:
        import http.client

        deadline = time.monotonic() + timeout
        ready = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/api/v1/dossiers")  # a 401 once a worker has loaded the app
                conn.getresponse().read()
                conn.close()
                ready += 1
                if ready >= 2 * self.workers:  # give every worker a chance to finish booting
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL if it lingers; returns once master and workers are gone."""
        for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                self.proc.poll()
                try:
                    os.killpg(self.proc.pid, 0)
                except ProcessLookupError:
                    self.proc.wait(timeout=5)
                    return
                time.sleep(0.05)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Result:
    name: str
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[str, int]
    errors: int
    setup: str = ""
    bodies: list[Any] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        values = sorted(self.latencies_ms)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]

    def passed(self, target_rate: float, target_p99: float) -> bool:
        return self.rate >= target_rate and self.percentile(99) < target_p99 and self.errors == 0

    def line(self, unit: str, target_rate: float, target_p99: float) -> str:
        """``intake: 16 clients, N requests, R dossiers/s, p50 X ms, p99 Y ms (target …) PASS [setup]``."""
        p50, p99 = self.percentile(50), self.percentile(99)
        verdict = "PASS" if self.passed(target_rate, target_p99) else "FAIL"
        return (
            f"{self.name}: {self.clients} clients, {self.requests} requests, {self.rate:.0f} {unit}, "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (target ≥ {target_rate:.0f}/s, p99 < {target_p99:.0f} ms) "
            f"{verdict} [{self.setup}; HTTP {self.statuses}"
            + (f"; {self.errors} transport errors" if self.errors else "")
            + "]"
        )


def load(
    port: int,
    *,
    scenario: str,
    clients: int,
    duration: float,
    max_requests: int,
    warmup_seconds: float,
    params: dict[str, Any],
    name: str,
    setup: str,
) -> Result:
    """Drive the server from a separate process (benchmarks.loadgen): warm-up, then the measured run."""
    config = {
        "port": port,
        "scenario": scenario,
        "clients": clients,
        "duration": duration,
        "max_requests": max_requests,
        "warmup_seconds": warmup_seconds,
        "params": params,
    }
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "benchmarks.loadgen"],
        input=json.dumps(config),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=warmup_seconds + duration + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    out = json.loads(done.stdout)
    return Result(
        name=name,
        clients=clients,
        requests=out["requests"],
        seconds=out["seconds"],
        latencies_ms=out["latencies_ms"],
        statuses=out["statuses"],
        errors=out["errors"],
        setup=setup,
        bodies=out["bodies"],
    )


def combos(spec: str | None) -> Sequence[tuple[int, int]]:
    """``3x4,5x4`` → [(3, 4), (5, 4)] (workers × threads)."""
    if not spec:
        return [(DEFAULT_WORKERS, DEFAULT_THREADS)]
    return [(int(w), int(t)) for w, t in (part.split("x") for part in spec.split(","))]


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name (field 3 onwards), or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _cpu(fields: list[str]) -> float:
    """utime + stime + cutime + cstime: its own CPU and that of the children it has reaped (a gunicorn
    worker or a PostgreSQL backend that exited meanwhile still counts, through its parent)."""
    return sum(int(x) for x in fields[11:15]) / _TICK


def tree_cpu(*, session: int = 0, parent: int = 0) -> float:
    """CPU seconds used so far by a process tree on this machine: every process of a session (a
    server started with start_new_session) or a parent and its live children (the postmaster and
    its backends). Linux only: the benchmarks run where the servers run."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None:
            continue
        ppid, sid = int(fields[1]), int(fields[3])
        if (session and sid == session) or (parent and (int(entry.name) == parent or ppid == parent)):
            total += _cpu(fields)
    return total


def postmaster_pid(url: str) -> int:
    """The PostgreSQL server's main process (the parent of this connection's backend), for tree_cpu."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    fields = _stat(int(row[0])) if row else None
    if fields is None:
        raise RuntimeError("PostgreSQL is not on this machine: its CPU cannot be read")
    return int(fields[1])
