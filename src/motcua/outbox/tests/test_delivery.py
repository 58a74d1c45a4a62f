"""The outbox's rules: written with the change or not at all, delivered in order per stream, retried
with backoff, held behind a dead letter until an admin retries it, and leased to one worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict
from motcua.integrations.transport import Rejected, Unavailable
from motcua.outbox import delivery, services
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


class Recorder:
    """A counterpart in memory: what it received, and what it should do next."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.down = False
        self.refuse: set[str] = set()

    def __call__(self, message: OutboxMessage) -> None:
        if self.down:
            raise Unavailable("test", "down")
        if message.key in self.refuse:
            raise Rejected("test", "no such template")
        self.received.append(message.key)


@pytest.fixture
def counterpart() -> Iterator[Recorder]:
    recorder = Recorder()
    delivery.DELIVERERS["test"] = recorder
    yield recorder
    del delivery.DELIVERERS["test"]


def put(key: str, stream: str = "", **kwargs: Any) -> OutboxMessage | None:
    with transaction.atomic():
        return services.enqueue("test", key, {"n": key}, stream=stream, **kwargs)


@pytest.mark.django_db(transaction=True)  # the others run inside the test's own transaction
def test_enqueue_refuses_to_run_outside_the_change_it_reports() -> None:
    with pytest.raises(RuntimeError):
        services.enqueue("test", "k", {})


def test_a_rolled_back_change_leaves_no_message() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.enqueue("test", "k", {})
        1 / 0  # noqa: B018 — the change fails after writing its message
    assert not OutboxMessage.objects.exists()


def test_the_same_key_twice_is_one_message_and_keeps_the_callers_transaction() -> None:
    with transaction.atomic():
        assert services.enqueue("test", "k", {}) is not None
        assert services.enqueue("test", "k", {}) is None
        services.enqueue("test", "k2", {})
    assert OutboxMessage.objects.count() == 2


def test_a_stream_is_delivered_in_the_order_it_was_written(counterpart: Recorder) -> None:
    for i in range(5):
        put(f"a{i}", stream="dossier:1")
        put(f"b{i}", stream="dossier:2")
    done = delivery.drain(batch=3)
    assert done.delivered == 10
    assert [k for k in counterpart.received if k.startswith("a")] == [f"a{i}" for i in range(5)]
    assert [k for k in counterpart.received if k.startswith("b")] == [f"b{i}" for i in range(5)]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}


def test_a_counterpart_that_is_down_delays_delivery_and_loses_nothing(
    counterpart: Recorder, settings: Any
) -> None:
    for i in range(4):
        put(f"m{i}", stream=f"d{i}")
    counterpart.down = True
    done = delivery.drain()
    # One attempt found it down; the others were not tried in the same pass.
    assert (done.retried, done.deferred, done.delivered) == (1, 3, 0)
    first = OutboxMessage.objects.get(key="m0")
    assert first.attempts == 1 and first.last_error == "down" and first.next_attempt_at > timezone.now()
    assert delivery.drain().handled == 0  # nothing is due yet
    counterpart.down = False
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert delivery.drain().delivered == 4
    assert sorted(counterpart.received) == ["m0", "m1", "m2", "m3"]


def test_backoff_doubles_up_to_the_cap(settings: Any) -> None:
    settings.MOTCUA_OUTBOX = settings.MOTCUA_OUTBOX | {"backoff_seconds": 5, "backoff_cap_seconds": 60}
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]


def test_a_refused_message_is_a_dead_letter_that_holds_its_stream_until_retried(
    counterpart: Recorder,
) -> None:
    put("first", stream="dossier:7")
    put("second", stream="dossier:7")
    put("other", stream="dossier:8")
    counterpart.refuse = {"first"}
    done = delivery.drain()
    assert (done.failed, done.delivered) == (1, 1)
    dead = OutboxMessage.objects.get(key="first")
    assert dead.state == State.FAILED and dead.last_error == "no such template"
    assert OutboxMessage.objects.get(key="second").state == State.PENDING  # never overtakes
    counterpart.refuse = set()
    services.retry(dead.id)
    assert delivery.drain().delivered == 2
    assert counterpart.received == ["other", "first", "second"]


def test_only_a_failed_message_can_be_retried(counterpart: Recorder) -> None:
    message = put("k")
    assert message is not None
    with pytest.raises(Conflict):
        services.retry(message.id)


def test_retries_run_out_into_a_dead_letter(counterpart: Recorder, settings: Any) -> None:
    settings.MOTCUA_OUTBOX = settings.MOTCUA_OUTBOX | {"max_attempts": 3}
    put("k")
    counterpart.down = True
    for _ in range(3):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        delivery.drain()
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (State.FAILED, 3)


def test_a_message_leased_to_another_worker_is_not_sent_until_the_lease_lapses(
    counterpart: Recorder,
) -> None:
    message = put("k")
    assert message is not None
    OutboxMessage.objects.update(claimed_until=timezone.now() + timedelta(seconds=60), claimed_by="other")
    assert delivery.drain().handled == 0
    # The other worker was killed: its lease lapses and the message is sent (once, by key).
    OutboxMessage.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert delivery.drain().delivered == 1
    assert counterpart.received == ["k"]


def test_a_message_with_no_deliverer_waits_rather_than_vanishing() -> None:
    with transaction.atomic():
        services.enqueue("nobody", "k", {})
    done = delivery.drain()
    message = OutboxMessage.objects.get()
    assert done.retried == 1 and message.state == State.PENDING and "no deliverer" in message.last_error


def test_a_worker_killed_mid_batch_resends_what_it_had_not_recorded_and_the_key_makes_it_once(
    counterpart: Recorder,
) -> None:
    for i in range(6):
        put(f"m{i}", stream=f"d{i}")

    class Killed(BaseException):
        """Stands for SIGKILL: nothing after it runs, not even the batch's record of what was sent."""

    sent_before_death: list[str] = []

    def dies_after_three(message: OutboxMessage) -> None:
        if len(sent_before_death) == 3:
            raise Killed
        sent_before_death.append(message.key)

    delivery.DELIVERERS["test"] = dies_after_three
    with pytest.raises(Killed):
        delivery.drain()
    assert not OutboxMessage.objects.filter(state=State.DELIVERED).exists()
    # After restart: the dead worker's leases lapse and everything is sent again, with the same keys.
    delivery.DELIVERERS["test"] = counterpart
    OutboxMessage.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert delivery.drain().delivered == 6
    received = sent_before_death + counterpart.received
    assert len(received) == 9 and len(set(received)) == 6  # the receiver drops the 3 repeats by key
