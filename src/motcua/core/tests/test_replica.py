"""Reads from the replica: only marked code reads there, and a client reads what it has just written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import OperationalError, connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.accounts.services import create_user
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.tests.test_catalog import BIRTH, procedure
from motcua.core.replica import (
    REPLICA,
    STICKY_COOKIE,
    ReadYourWrites,
    ReplicaRouter,
    reads_from_replica,
    replica_reads,
)

ROUTER = ReplicaRouter()
Model = ProcedureVersion


def through_middleware(
    view: Callable[[HttpRequest], HttpResponse], request: HttpRequest, status: int = 200
) -> HttpResponse:
    def respond(req: HttpRequest) -> HttpResponse:
        view(req)
        return HttpResponse(status=status)

    return ReadYourWrites(respond)(request)


def reads(where: list[str]) -> Callable[[HttpRequest], HttpResponse]:
    """A view that notes where an unmarked read and a marked read would go."""

    def view(request: HttpRequest) -> HttpResponse:
        where.append(ROUTER.db_for_read(Model))
        with replica_reads():
            where.append(ROUTER.db_for_read(Model))
        return HttpResponse()

    return view


def test_only_marked_reads_go_to_the_replica() -> None:
    where: list[str] = []
    through_middleware(reads(where), RequestFactory().get("/dieu-hanh/"))
    assert where == ["default", REPLICA]
    # Outside a request (a command, the worker) the mark works the same, and nothing else moves.
    assert ROUTER.db_for_read(Model) == "default"
    with replica_reads():
        assert ROUTER.db_for_read(Model) == REPLICA
    assert ROUTER.db_for_read(Model) == "default"


def test_writes_and_migrations_stay_on_the_primary() -> None:
    with replica_reads():
        assert ROUTER.db_for_write(Model) == "default"
    assert ROUTER.allow_migrate("default", "catalog") is True
    assert ROUTER.allow_migrate(REPLICA, "catalog") is False


def test_after_a_write_the_same_request_reads_the_primary() -> None:
    where: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        with replica_reads():
            where.append(ROUTER.db_for_read(Model))
            ROUTER.db_for_write(Model)  # e.g. a roll-up brought up to date on the way
            where.append(ROUTER.db_for_read(Model))
        with replica_reads():
            where.append(ROUTER.db_for_read(Model))
        return HttpResponse()

    through_middleware(view, RequestFactory().get("/api/v1/reports/dossiers"))
    assert where == [REPLICA, "default", "default"]
    # The next request starts afresh.
    where.clear()
    through_middleware(reads(where), RequestFactory().get("/dieu-hanh/"))
    assert where == ["default", REPLICA]


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary() -> None:
    with transaction.atomic(), replica_reads():
        assert ROUTER.db_for_read(Model) == "default"


def test_a_replica_that_has_not_caught_up_is_not_read(settings: Any, monkeypatch: Any) -> None:
    settings.DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    monkeypatch.setattr(connections[REPLICA], "ensure_connection", lambda: None)
    asked: list[str] = []

    def lagging(alias: str) -> bool:
        asked.append(alias)
        return False

    with replica_reads(caught_up=lagging):
        assert ROUTER.db_for_read(Model) == "default"
    with replica_reads(caught_up=lambda alias: True):
        assert ROUTER.db_for_read(Model) == REPLICA
    assert asked == [REPLICA]


def test_a_replica_that_is_down_is_not_read(settings: Any, monkeypatch: Any, caplog: Any) -> None:
    settings.DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]

    def refused() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", refused)
    where: list[str] = []
    through_middleware(reads(where), RequestFactory().get("/dieu-hanh/"))
    assert where == ["default", "default"]
    assert "replica cannot be reached" in caplog.text


def test_a_client_that_has_just_written_reads_the_primary_for_a_few_seconds(settings: Any) -> None:
    settings.MOTCUA_REPLICA_STICKY_SECONDS = 5
    factory = RequestFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        posted = through_middleware(lambda r: HttpResponse(), factory.post("/can-bo/ho-so/1/"), status=302)
        cookie = posted.cookies[STICKY_COOKIE]
        assert cookie["max-age"] == 5 and cookie["httponly"]
        assert cookie.value.split(":")[0] == "1"  # no personal data: "1", the time and the signature

        def then(path: str = "/dieu-hanh/") -> list[str]:
            where: list[str] = []
            request = factory.get(path)
            request.COOKIES[STICKY_COOKIE] = cookie.value
            through_middleware(reads(where), request)
            return where

        clock.shift(timedelta(seconds=4))
        assert then() == ["default", "default"]
        clock.shift(timedelta(seconds=2))
        assert then() == ["default", REPLICA]


def test_a_failed_or_safe_request_sets_no_mark_and_a_forged_one_is_ignored() -> None:
    factory = RequestFactory()
    assert (
        STICKY_COOKIE
        not in through_middleware(lambda r: HttpResponse(), factory.post("/x"), status=400).cookies
    )
    assert STICKY_COOKIE not in through_middleware(lambda r: HttpResponse(), factory.get("/x")).cookies
    where: list[str] = []
    request = factory.get("/dieu-hanh/")
    request.COOKIES[STICKY_COOKIE] = "1"
    through_middleware(reads(where), request)
    assert where == ["default", REPLICA]


def test_the_decorator_settles_who_is_asking_on_the_primary() -> None:
    seen: list[str] = []

    class LazyUser:
        @property
        def is_authenticated(self) -> bool:
            seen.append(ROUTER.db_for_read(Model))  # the session and user look-ups
            return True

    @reads_from_replica
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(ROUTER.db_for_read(Model))
        return HttpResponse()

    request = RequestFactory().get("/dieu-hanh/")
    request.user = LazyUser()  # type: ignore[assignment]
    through_middleware(view, request)
    assert seen == ["default", REPLICA]


def settings_of(**env: str) -> dict[str, Any]:
    script = (
        "import json; from motcua.conf import settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'replica': s.DATABASES.get('replica'), "
        "'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'middleware': [m for m in s.MIDDLEWARE if 'replica' in m]}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_DATABASE")}
    run = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", script], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def test_the_router_is_installed_only_with_a_replica_url(tmp_path: Any) -> None:
    unset = settings_of(MOTCUA_VAR_DIR=str(tmp_path))
    assert unset == {"aliases": ["default"], "replica": None, "routers": [], "middleware": []}
    primary = "postgres://motcua:pw@10.0.0.1:5432/motcua"
    replica = settings_of(
        MOTCUA_DATABASE_URL=primary,
        MOTCUA_DATABASE_REPLICA_URL="postgres://motcua:pw@10.0.0.2:5432/motcua?sslmode=require",
        MOTCUA_DB_CONN_MAX_AGE="30",
    )
    assert replica["aliases"] == ["default", "replica"]
    assert replica["replica"]["HOST"] == "10.0.0.2" and replica["replica"]["CONN_MAX_AGE"] == 30
    assert replica["replica"]["OPTIONS"] == {"sslmode": "require"}
    assert replica["replica"]["TEST"] == {"MIRROR": "default"}
    assert replica["routers"] == ["motcua.core.replica.ReplicaRouter"]
    assert replica["middleware"] == ["motcua.core.replica.ReadYourWrites"]


# --- Through the real views, with the test database mirrored as "replica" (src/motcua/conftest.py) ------


@pytest.fixture
def routed(settings: Any) -> None:
    settings.DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    settings.MIDDLEWARE = ["motcua.core.replica.ReadYourWrites", *settings.MIDDLEWARE]


def tables_read(queries: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_public_catalog_reads_the_replica_until_the_client_writes(routed: None, department: Any) -> None:
    admin = APIClient()
    admin.force_authenticate(create_user(username="quantri", password="matkhau-rat-dai", role="admin"))
    assert admin.post("/api/v1/procedures", BIRTH, format="json").status_code == 201
    public = APIClient()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert public.get("/api/v1/procedures/1.001193").status_code == 200
        assert public.get("/api/v1/procedures").json()["count"] == 1
        assert public.get("/").status_code == 200
    assert "catalog_procedureversion" in tables_read(on_replica)
    # The admin who has just published reads the primary, though the replica would do here.
    assert admin.post("/api/v1/procedures", procedure(code="1.000001"), format="json").status_code == 201
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert admin.get("/api/v1/procedures/1.000001").status_code == 200
        admin.cookies.clear()  # a script that keeps no cookie: its user is marked in the cache
        assert admin.get("/api/v1/procedures/1.000001").status_code == 200
    assert on_replica.captured_queries == []
    public.cookies.clear()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert public.get("/api/v1/procedures/1.000001").status_code == 200
    assert "catalog_procedureversion" in tables_read(on_replica)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_report_reads_the_replica_once_the_roll_up_is_current(routed: None, province: Any) -> None:
    client = APIClient()
    client.force_authenticate(create_user(username="giamsat", password="matkhau-rat-dai", role="admin"))
    period = {"agency": "H15", "from": "2026-01-01", "to": "2026-12-31"}
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get("/api/v1/metrics/service-index", period).status_code == 200
    assert on_replica.captured_queries == []  # it counted first, on the primary, and read there
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        assert client.get("/api/v1/reports/dossiers", {**period, "format": "csv"}).status_code == 200
    assert "monitoring_dossiercount" in tables_read(on_replica)
    assert "monitoring_dossiercount" not in tables_read(on_primary)
    # The dashboard page: the same counts, from the replica, after the login is read on the primary.
    page = Client()
    page.force_login(User.objects.get(username="giamsat"))
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        assert page.get("/dieu-hanh/").status_code == 200
    assert "monitoring_dossiercount" in tables_read(on_replica)
    assert "django_session" in tables_read(on_primary) and "django_session" not in tables_read(on_replica)
