"""The real server (``motcua serve``: gunicorn) as a subprocess, for tests that kill it.

Loopback only, random free ports, its own process group so that one SIGKILL takes the gunicorn
master and all its workers, and its stdout/stderr (the access log) captured to a file.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from motcua.standins.process import HOST, free_port

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def scratch_database(tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a server on an empty database of its own: a SQLite file under ``tmp``, or,
    when MOTCUA_DATABASE_URL points to PostgreSQL, a new database on that server, dropped afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"MOTCUA_VAR_DIR": str(tmp), "MOTCUA_LOG_LEVEL": "INFO", "MOTCUA_LOGIN_RATE": "1000/min"}
    url = os.environ.get("MOTCUA_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        env["MOTCUA_DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
        yield env
        return
    import psycopg

    parts = urlsplit(url)
    name = f"motcua_kill_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env["MOTCUA_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """``motcua <args>`` in a subprocess; its stdout."""
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "motcua.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def django_json(env: dict[str, str], code: str) -> Any:
    """Run ``code`` (which binds ``result``) under ``motcua shell`` and return ``result`` as JSON."""
    out = manage(env, "shell", "-v", "0", "-c", code + "\nimport json\nprint('RESULT:' + json.dumps(result))")
    line = next(x for x in reversed(out.splitlines()) if x.startswith("RESULT:"))
    return json.loads(line.removeprefix("RESULT:"))


def query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Rows of a read-only query, straight on the server's database (no Django start-up)."""
    url = env["MOTCUA_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return list(db.execute(sql).fetchall())
    import psycopg

    with psycopg.connect(url) as conn:
        return list(conn.execute(sql).fetchall())


class Server:
    """``motcua serve`` on a random free port, in its own session (process group)."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.log = log
        with log.open("ab") as out:
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
        self.wait_ready()

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def wait_ready(self, timeout: float = 90) -> None:  # generous: a loaded CI machine boots slowly
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited: {self.log.read_text()[-3000:]}")
            try:
                conn = self.connection(timeout=2)
                conn.request("GET", "/api/v1/dossiers")  # 401 at once: the app is loaded
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise AssertionError(f"the server did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole process group — master and workers at once — and wait until it is gone."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError("processes of the killed server are still alive")

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.kill()


def call(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    payload = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)
