"""Fixtures shared by every app's tests, the page tests of both sides among them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.dossiers.tests.conftest import world  # noqa: E402,F401 — the small province, for every app's page tests


def pytest_configure(config: pytest.Config) -> None:
    """A "replica" alias that mirrors the test database, for the tests of the replica router
    (core/tests/test_replica.py). A mirror creates no database, so the run is no slower; the router
    is not installed, so nothing else reads through it."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    mirror: Any = {
        **copy.deepcopy(default),
        "TEST": {**default.get("TEST", {}), "MIRROR": "default", "NAME": None},
    }
    settings.DATABASES.setdefault("replica", mirror)


@pytest.fixture(autouse=True)
def _fast_and_tidy(settings: Any, tmp_path: Any) -> None:
    """Uploads go to a throwaway folder; passwords hash fast (argon2 costs ~50 ms a user)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clean_throttle(db: Any) -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def province(db: Any) -> Any:
    from motcua.agencies.services import create_agency

    return create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")


@pytest.fixture
def department(province: Any) -> Any:
    from motcua.agencies.services import create_agency

    return create_agency(code="H15.18", name="Sở Tư pháp tỉnh Đắk Lắk", kind="department", parent_code="H15")


@pytest.fixture
def admin_api(db: Any) -> APIClient:
    from motcua.accounts.services import create_user

    user = create_user(username="quantri", password="matkhau-rat-dai", role="admin")
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_of(response: Any) -> dict[str, Any]:
    """The contract's error envelope, asserting it is one."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


@pytest.fixture(scope="session")
def standins_url() -> Iterator[str]:
    """One ``motcua standins`` process for the whole run (started on first use, on a free port)."""
    from motcua.standins.process import running

    with running() as url:
        yield url


@dataclass
class StandinsControl:
    url: str

    def fault(self, system: str, mode: str = "", **knobs: Any) -> None:
        """Make the next requests of ``system`` slow or fail (standins/faults.py)."""
        from motcua.standins.process import control

        control(self.url, {"system": system, "mode": mode, **knobs})


@pytest.fixture
def standins(standins_url: str, settings: Any) -> Iterator[StandinsControl]:
    """The app pointed at the stand-ins (MOTCUA_STANDINS_URL), with their faults cleared afterwards."""
    from motcua.standins.process import control

    settings.MOTCUA_STANDINS_URL = standins_url
    yield StandinsControl(standins_url)
    control(standins_url, {"reset": True})


def analyze_after_bulk_load() -> None:
    """After a test writes thousands of rows, let PostgreSQL's planner see them: with the empty tables
    of its last statistics one run chose nested loops that held a single SELECT for minutes. ANALYZE
    inside the test's transaction counts the rows it inserted. Nothing to do on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class RedisServer:
    """A redis-server of the test session's own on a loopback port, its data in a temporary
    directory, persisted on every write (appendonly, fsync always) so a restart keeps the queue."""

    def __init__(self, directory: Any) -> None:
        import shutil
        import socket

        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: .ci/run installs it (apt-get install redis-server)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.binary, self.directory = binary, directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: Any = None
        self.start()

    def start(self) -> None:
        import subprocess
        import time

        import redis

        self.proc = subprocess.Popen(  # noqa: S603 — Debian's redis-server, our arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: Any) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer, settings: Any) -> Iterator[str]:
    """The app pointed at the session's Redis (MOTCUA_REDIS_URL), emptied afterwards."""
    import redis

    from motcua.core import shared_redis

    settings.MOTCUA_REDIS_URL = redis_server.url
    yield redis_server.url
    shared_redis._client.cache_clear()
    redis.Redis.from_url(redis_server.url).flushdb()
