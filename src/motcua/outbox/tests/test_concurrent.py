"""Deliverers that allow it send the heads of several streams at once; the order within a stream
and the records stay the worker's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from motcua.integrations.transport import Unavailable
from motcua.outbox import delivery, services
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db

LATENCY = 0.05


class Slow:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[str] = []
        self.threads: set[str] = set()
        self.down = False

    def __call__(self, message: OutboxMessage) -> None:
        time.sleep(LATENCY)
        if self.down:
            raise Unavailable("slow", "down")
        with self.lock:
            self.received.append(message.key)
            self.threads.add(threading.current_thread().name)


@pytest.fixture
def slow(settings: Any) -> Iterator[Slow]:
    settings.MOTCUA_OUTBOX = {**settings.MOTCUA_OUTBOX, "threads": 8}
    counterpart = Slow()
    delivery.deliverer("slow", concurrent=True)(counterpart)
    yield counterpart
    del delivery.DELIVERERS["slow"]
    delivery.CONCURRENT.discard("slow")


def put(count: int, streams: int) -> None:
    with transaction.atomic():
        for n in range(count):
            services.enqueue("slow", f"m{n}", {}, stream=f"s{n % streams}")


def test_heads_of_different_streams_go_at_once_and_each_stream_keeps_its_order(slow: Slow) -> None:
    put(32, streams=16)
    started = time.monotonic()
    done = delivery.drain(budget_seconds=30)
    elapsed = time.monotonic() - started
    assert done.delivered == 32
    assert elapsed < 32 * LATENCY / 2  # one at a time would take 1.6 s
    assert len(slow.threads) > 1 and all(name.startswith("outbox") for name in slow.threads)
    for stream in range(16):
        mine = [k for k in slow.received if int(k[1:]) % 16 == stream]
        assert mine == [f"m{stream}", f"m{stream + 16}"]
    assert not OutboxMessage.objects.exclude(state=State.DELIVERED).exists()


def test_a_counterpart_found_down_is_not_tried_again_in_the_same_pass(slow: Slow) -> None:
    put(40, streams=40)
    slow.down = True
    done = delivery.drain(budget_seconds=30)
    assert (done.retried, done.deferred, done.delivered) == (8, 32, 0)  # one wave tried, then held
    assert OutboxMessage.objects.filter(state=State.PENDING, attempts=0).count() == 32
