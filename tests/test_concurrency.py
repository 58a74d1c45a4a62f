"""Concurrency of the dossier services with real threads and one database connection per thread.

Issue: "50 receipts at the same agency at the same moment give 50 distinct, consecutive codes" and
"two officers acting at once give one success and one 409". Runs on SQLite (a file, see conftest)
and on PostgreSQL (scripts/with-postgres.sh).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.core.errors import Conflict
from motcua.dossiers import commands, services
from motcua.dossiers.models import DailySerial, Dossier, DossierEvent
from motcua.dossiers.workflow import Action
from tests.conftest import CENTRE, PROCEDURE, make_desk, personal_id, phone

N = 50
TIMEOUT = 60  # seconds: a deadlock fails the test instead of hanging it


def run_at_once(calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run each call in its own thread, released together by a barrier; ("ok", result) or ("error", exc)."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)
    results: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except BaseException as exc:  # noqa: BLE001 — reported to the test thread
            results[i] = ("error", exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results


def assert_consecutive(codes: list[str]) -> None:
    """Distinct codes {agency}-{YYMMDD}-{NNNN} whose serials are exactly 1..n for each day."""
    assert len(set(codes)) == len(codes), codes
    by_day: dict[str, list[int]] = defaultdict(list)
    for code in codes:
        agency, day, serial = code.rsplit("-", 2)
        assert agency == CENTRE and len(day) == 6 and len(serial) == 4, code
        by_day[day].append(int(serial))
    for day, serials in by_day.items():
        assert sorted(serials) == list(range(1, len(serials) + 1)), (day, sorted(serials))
        assert DailySerial.objects.get(
            agency__code=CENTRE, day__endswith=f"-{day[2:4]}-{day[4:6]}"
        ).last == len(serials)


def applicant(i: int) -> commands.Applicant:
    return commands.Applicant(
        kind="individual",
        full_name=f"Nguyễn Văn {i}",
        id_number=personal_id(i),
        phone=phone(i),
        address="Buôn Ma Thuột",
    )


def counter_dossier(actor: Any, i: int) -> Callable[[], Dossier]:
    def call() -> Dossier:
        dossier, created = services.create_dossier(
            actor=actor,
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=applicant(i),
            documents=[commands.DocumentIn("GDN", "Giấy đề nghị"), commands.DocumentIn("DL", "Điều lệ")],
            idempotency_key=f"k-{i}",
        )
        assert created
        return dossier

    return call


def oks(results: list[tuple[str, Any]]) -> list[Any]:
    errors = [r for kind, r in results if kind != "ok"]
    assert not errors, errors
    return [r for _kind, r in results]


@pytest.mark.django_db(transaction=True)
def test_fifty_counter_receipts_at_once_get_consecutive_codes() -> None:
    desk = make_desk(N)
    results = run_at_once([counter_dossier(desk.receivers[i], i) for i in range(N)])
    dossiers = oks(results)
    assert_consecutive([d.code for d in dossiers])
    stored = list(Dossier.objects.filter(receiving_agency__code=CENTRE))
    assert len(stored) == N
    assert sorted(str(d.code) for d in stored) == sorted(str(d.code) for d in dossiers)
    assert all(d.status == "received" for d in stored)
    # Each one whole: two documents, one "create" and one "receive" event (written before the code:
    # the counter row is locked from the code's upsert to commit, so nothing else comes after it).
    for d in Dossier.objects.prefetch_related("documents", "events"):
        assert len(d.documents.all()) == 2
        events = sorted(d.events.all(), key=lambda e: e.id)
        assert [e.action for e in events] == ["create", "receive"]
        assert "code" not in events[1].data


@pytest.mark.django_db(transaction=True)
def test_fifty_online_dossiers_received_at_once_get_consecutive_codes() -> None:
    desk = make_desk(N)
    submitted = [
        services.create_dossier(
            actor=desk.citizen, procedure_code=PROCEDURE, channel="online", applicant=applicant(i)
        )[0]
        for i in range(N)
    ]
    assert all(d.code is None and d.receiving_agency.code == CENTRE for d in submitted)

    def receive(actor: Any, pk: int) -> Callable[[], Dossier]:
        return lambda: services.act(actor=actor, dossier_id=pk, command=commands.Receive())

    calls = [receive(desk.receivers[i], d.pk) for i, d in enumerate(submitted)]
    dossiers = oks(run_at_once(calls))
    assert_consecutive([d.code for d in dossiers])
    assert DossierEvent.objects.filter(action="receive").count() == N


# Pairs where whichever goes second is no longer allowed (refuse after receive would be allowed: contract §5).
# forward vs refuse is the test after this one, with the order made certain.
@pytest.mark.parametrize(
    ("start", "first", "second"),
    [
        ("submitted", "receive", "receive"),
        ("submitted", "refuse", "refuse"),
        ("received", "refuse", "stop"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_give_one_success_and_one_conflict(
    start: str, first: str, second: str
) -> None:
    desk = make_desk(2)
    channel = "online" if start == "submitted" else "counter"
    author = desk.citizen if start == "submitted" else desk.receivers[0]
    dossier, _created = services.create_dossier(
        actor=author, procedure_code=PROCEDURE, channel=channel, applicant=applicant(1)
    )
    assert dossier.status == start
    before = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))

    def act(name: str, actor: Any) -> Callable[[], Dossier]:
        command = commands.build(Action(name), {"reason": "Thiếu giấy tờ"})
        return lambda: services.act(actor=actor, dossier_id=dossier.pk, command=command)

    results = run_at_once([act(first, desk.receivers[0]), act(second, desk.receivers[1])])
    kinds = sorted(kind for kind, _r in results)
    assert kinds == ["error", "ok"], results
    error = next(r for kind, r in results if kind == "error")
    assert isinstance(error, Conflict), repr(error)
    assert error.code == "action_not_allowed"
    won = first if results[0][0] == "ok" else second
    winner = next(r for kind, r in results if kind == "ok")
    dossier.refresh_from_db()
    assert dossier.status == winner.status
    events = list(
        DossierEvent.objects.filter(dossier=dossier).order_by("id").values_list("action", flat=True)
    )
    assert events == [*before, won]
    if start == "submitted":
        if won == "receive":
            assert dossier.received_at is not None
            assert dossier.code == f"{CENTRE}-{timezone.localtime(dossier.received_at):%y%m%d}-0001"
        else:
            assert dossier.code is None and not DailySerial.objects.exists()


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db(transaction=True)
def test_an_officer_waiting_on_a_forward_gets_409_not_404() -> None:
    """The order made certain: a forward (which moves the dossier to another agency) commits while a
    refusal waits on the dossier's lock. The refusal must see the dossier as it is now — still visible
    to the receiving desk, no longer refusable — and answer 409, not 404."""
    desk = make_desk(2)
    dossier, _created = services.create_dossier(
        actor=desk.receivers[0], procedure_code=PROCEDURE, channel="counter", applicant=applicant(1)
    )
    holding = threading.Event()

    def forward() -> Dossier:
        with transaction.atomic():
            moved = services.act(actor=desk.receivers[0], dossier_id=dossier.pk, command=commands.Forward())
            holding.set()
            time.sleep(1)  # the other officer is now waiting for the lock
        return moved

    def refuse() -> Dossier:
        assert holding.wait(TIMEOUT)
        refusal = commands.Close(closing=Action.REFUSE, reason="Thiếu giấy tờ")
        return services.act(actor=desk.receivers[1], dossier_id=dossier.pk, command=refusal)

    (kind1, moved), (kind2, error) = run_at_once([forward, refuse])
    assert kind1 == "ok" and moved.status == "processing", moved
    assert kind2 == "error" and isinstance(error, Conflict), repr(error)
    actions = list(
        DossierEvent.objects.filter(dossier=dossier).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "receive", "forward"]


@pytest.mark.django_db(transaction=True)
def test_one_national_dossier_delivered_eight_times_at_once_is_one_dossier() -> None:
    """Issue 13 item 2: re-deliveries of a dossier from a national channel give one dossier, even at once."""
    from datetime import date

    from motcua.agencies.models import Agency
    from motcua.catalog.models import Procedure
    from motcua.integrations.inbound import services as inbound
    from motcua.integrations.inbound import wire
    from motcua.integrations.models import ExternalDossier, ProcedureMapping
    from motcua.standins.lienthong import business_notice

    make_desk(1)
    ProcedureMapping.objects.create(
        national_procedure_code=PROCEDURE,
        procedure=Procedure.objects.get(code=PROCEDURE),
        agency=Agency.objects.get(code="H15.STC"),
        valid_from=date(2020, 1, 1),
    )
    sent = wire.business_notice(business_notice("G22.99-261202-0001", PROCEDURE, ""))
    results = oks(run_at_once([lambda: inbound.create_external(sent) for _ in range(8)]))
    assert len({d.pk for d, _created in results}) == 1
    assert sum(created for _d, created in results) == 1
    assert Dossier.objects.count() == 1 and ExternalDossier.objects.get().deliveries == 8
    assert Dossier.objects.get().receiving_agency.code == CENTRE


@pytest.mark.django_db(transaction=True)
def test_ten_requests_with_one_idempotency_key_at_once_make_one_dossier() -> None:
    """A client that retries before its first request has finished (a timeout, nginx's 502) sends
    the same key twice at once: one dossier. On PostgreSQL the later requests wait for the first and
    get its dossier back, even with the dossier table partitioned (its unique constraint then holds
    within one partition only); on SQLite the database takes one writer at a time, and a request
    that loses the race may get the 409 instead."""
    desk = make_desk(1)

    def same_request() -> tuple[Dossier, bool]:
        return services.create_dossier(
            actor=desk.receivers[0],
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=applicant(7),
            documents=[commands.DocumentIn("GDN", "Giấy đề nghị")],
            idempotency_key="retried-at-once",
        )

    results = run_at_once([same_request for _ in range(10)])
    assert Dossier.objects.filter(idempotency_key="retried-at-once").count() == 1
    made = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert sum(1 for _dossier, created in made if created) == 1
    assert len({dossier.pk for dossier, _created in made}) == 1
    assert all(isinstance(e, Conflict) for e in refused), refused
    if connection.vendor == "postgresql":
        assert refused == []  # every one of them got the dossier
