"""Delivering the outbox: each counterpart registers one deliverer; ``drain`` sends what is due.

The order and the "exactly once" come from three rules:
- only the head of a stream (its oldest message not yet delivered) is ever sent, so a dossier's
  messages to one counterpart arrive in the order they were written, and a dead letter holds the
  rest of its stream until an admin retries it (a progress entry must never overtake its record);
- a worker claims messages with a lease (``claimed_until``) by a conditional UPDATE, so two workers
  never send the same message at once, and a killed worker's claims lapse and are taken again;
- every message carries its idempotency key to the receiver, so the one resent after a worker died
  between sending and recording it is taken once.

Only heads are claimed, one per stream, so a batch may be sent by several threads at once
(``deliverer(..., concurrent=True)``, ``MOTCUA_OUTBOX_THREADS``): the network waits overlap, and
every database write stays in the worker's own thread.

A deliverer raises ``Unavailable`` (down, slow, broken: tried again with backoff) or ``Rejected``
(the counterpart refuses it: retrying will not help, it becomes a dead letter at once).

A counterpart that takes many messages in one call (the national portal's ``data[]``) registers a
batch deliverer instead (``deliverer(..., batch=True)``): it is given every head of its target
claimed in the pass and answers, per message, None or the exception it would have raised.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from motcua.integrations.transport import Rejected, Unavailable
from motcua.outbox.models import OutboxMessage, State

logger = logging.getLogger("motcua.outbox")

Deliverer = Callable[[OutboxMessage], None]
BatchDeliverer = Callable[[list[OutboxMessage]], dict[int, Exception | None]]
DELIVERERS: dict[str, Deliverer] = {}
BATCHED: dict[str, BatchDeliverer] = {}
CONCURRENT: set[str] = set()  # targets whose deliverer may run in the pool's threads
Outcome = tuple[bool, str] | None  # None: delivered; else (worth retrying, why not)


def deliverer(target: str, *, concurrent: bool = False) -> Callable[[Deliverer], Deliverer]:
    """Register the function that sends the messages of ``target``: ``@deliverer("sms")``.

    ``concurrent=True``: it only talks to its counterpart (no database: a thread would have a
    connection of its own, outside the worker's transaction), so the heads of several streams are
    sent at once by ``MOTCUA_OUTBOX_THREADS`` threads while the worker records the outcomes."""

    def register(func: Deliverer) -> Deliverer:
        BATCHED.pop(target, None)
        DELIVERERS[target] = func
        if concurrent:
            CONCURRENT.add(target)
        else:
            CONCURRENT.discard(target)
        return func

    return register


def batch_deliverer(target: str) -> Callable[[BatchDeliverer], BatchDeliverer]:
    """Register the function that sends many messages of ``target`` at once: it answers each
    message's id with None (delivered) or the exception that kept it back."""

    def register(func: BatchDeliverer) -> BatchDeliverer:
        DELIVERERS.pop(target, None)
        CONCURRENT.discard(target)
        BATCHED[target] = func
        return func

    return register


@cache
def _pool(size: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=size, thread_name_prefix="outbox")


@dataclass
class Drained:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # not tried: their counterpart was found down earlier in the same pass

    @property
    def handled(self) -> int:
        return self.delivered + self.retried + self.failed


def backoff(attempts: int) -> timedelta:
    """Seconds before attempt ``attempts + 1``: doubling from the base, capped."""
    base = settings.MOTCUA_OUTBOX["backoff_seconds"]
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.MOTCUA_OUTBOX["backoff_cap_seconds"])
    )


def _heads(now: datetime, size: int) -> list[int]:
    """The messages due now that head their stream, oldest first."""
    earlier = OutboxMessage.objects.filter(stream=OuterRef("stream"), id__lt=OuterRef("id")).exclude(
        state=State.DELIVERED
    )
    due = (
        OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(stream="") | ~Exists(earlier))
        .order_by("id")
    )
    return list(due.values_list("id", flat=True)[:size])


def _claim(ids: list[int], now: datetime) -> list[OutboxMessage]:
    """Take the messages no other worker holds; the conditional UPDATE is the lock."""
    token = get_random_string(24)
    lease = now + timedelta(seconds=settings.MOTCUA_OUTBOX["lease_seconds"])
    OutboxMessage.objects.filter(id__in=ids, state=State.PENDING).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ).update(claimed_until=lease, claimed_by=token)
    return list(OutboxMessage.objects.filter(claimed_by=token).order_by("id"))


def _release(message: OutboxMessage, **changes: object) -> None:
    """Record what happened to one claimed message, unless its lease passed to another worker."""
    OutboxMessage.objects.filter(id=message.id, claimed_by=message.claimed_by).update(
        claimed_until=None, claimed_by="", **changes
    )


def drain(*, budget_seconds: float | None = None, batch: int | None = None) -> Drained:
    """Send what is due until nothing is, or the budget is spent; what happened."""
    opts = settings.MOTCUA_OUTBOX
    size = int(batch or opts["batch"])
    deadline = time.monotonic() + (opts["budget_seconds"] if budget_seconds is None else budget_seconds)
    done = Drained()
    down: set[str] = set()
    duty = min(1.0, max(0.05, float(opts.get("duty", 1.0))))
    while time.monotonic() < deadline:
        batch_started = time.monotonic()
        now = timezone.now()
        claimed = _claim(_heads(now, size), now)
        if not claimed:
            break
        delivered: list[int] = []
        singly = _send_batches(claimed, now, down, done, delivered)
        step = max(1, int(opts["threads"]))
        for start in range(0, len(singly), step):
            wave = singly[start : start + step]
            # The heads of distinct streams: sending them at once keeps every stream's order.
            sending = {
                m.id: _pool(step).submit(_send, m)
                for m in wave
                if step > 1 and m.target in CONCURRENT and m.target not in down
            }
            for message in wave:
                if message.id not in sending and message.target in down:
                    _release(message, next_attempt_at=now + backoff(1))
                    done.deferred += 1
                    continue
                outcome = sending[message.id].result() if message.id in sending else _send(message)
                if outcome is None:
                    delivered.append(message.id)
                else:
                    _failed(message, outcome, now, down, done)
        if delivered:
            # One write for the batch: a worker killed before it resends these, and their keys make
            # the receiver take them once.
            OutboxMessage.objects.filter(id__in=delivered).update(
                state=State.DELIVERED,
                delivered_at=timezone.now(),
                claimed_until=None,
                claimed_by="",
                last_error="",
            )
            done.delivered += len(delivered)
        if duty < 1.0:
            # Rest in proportion to the work, so a backlog takes at most ``duty`` of a core and the
            # desks' requests keep theirs (bench_catchup measures what this buys).
            time.sleep(min((time.monotonic() - batch_started) * (1 / duty - 1), 5.0))
    return done


def _failed(
    message: OutboxMessage, outcome: tuple[bool, str], now: datetime, down: set[str], done: Drained
) -> None:
    """Put a message that was not delivered back in line with its backoff (its counterpart is then
    taken for down in this pass), or make it a dead letter."""
    retryable, error = outcome
    attempts = message.attempts + 1
    if retryable and attempts < settings.MOTCUA_OUTBOX["max_attempts"]:
        down.add(message.target)
        _release(message, attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts))
        done.retried += 1
    else:
        _release(message, attempts=attempts, last_error=error, state=State.FAILED)
        logger.warning("outbox %s %s is a dead letter: %s", message.target, message.id, error)
        done.failed += 1


def _send_batches(
    claimed: list[OutboxMessage], now: datetime, down: set[str], done: Drained, delivered: list[int]
) -> list[OutboxMessage]:
    """Send the claimed messages of batch deliverers, a call per target; the others, back."""
    groups: dict[str, list[OutboxMessage]] = {}
    singly = []
    for message in claimed:
        if message.target in BATCHED:
            groups.setdefault(message.target, []).append(message)
        else:
            singly.append(message)
    for target, messages in groups.items():
        if target in down:
            for message in messages:
                _release(message, next_attempt_at=now + backoff(1))
            done.deferred += len(messages)
            continue
        try:
            answers = BATCHED[target](messages)
        except Exception as exc:  # the whole call failed: the same for each of its messages
            answers = dict.fromkeys((m.id for m in messages), exc)
        for message in messages:
            if message.id in answers:
                outcome = _outcome(message, answers[message.id])
            else:  # a deliverer that forgot one has not delivered it
                outcome = True, f"the {target!r} deliverer gave no answer for this message"
            if outcome is None:
                delivered.append(message.id)
            else:
                _failed(message, outcome, now, down, done)
    return singly


def _send(message: OutboxMessage) -> Outcome:
    """None when delivered; else (worth retrying, why not)."""
    send = DELIVERERS.get(message.target)
    if send is None:
        return True, f"no deliverer for {message.target!r} in this worker"
    try:
        send(message)  # not in a transaction: on SQLite that would hold the write lock through the call
    except Exception as exc:
        return _outcome(message, exc)
    return None


def _outcome(message: OutboxMessage, exc: Exception | None) -> Outcome:
    if exc is None:
        return None
    if isinstance(exc, Rejected):
        return False, exc.detail[:500]
    if isinstance(exc, Unavailable):
        return True, exc.detail[:500]
    # A bug must not stop the others; it is retried, then left for an admin.
    logger.error("outbox %s %s: unexpected error", message.target, message.id, exc_info=exc)
    return True, f"{type(exc).__name__}: {exc}"[:500]
