"""The window throttle: a sliding-window estimate kept in one row per client, one upsert per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from motcua.core.models import RateCounter
from motcua.core.throttling import WindowThrottle

pytestmark = pytest.mark.django_db


class View:
    throttle_scope = "lookup"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [6000.0]  # the start of a one-minute window
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": "3/min"})
    monkeypatch.setattr(WindowThrottle, "timer", lambda self: now[0])
    return now


def ask(address: str = "203.0.113.7") -> tuple[bool, Any]:
    request = APIRequestFactory().post("/api/v1/lookup", REMOTE_ADDR=address)
    request.user = None
    throttle = WindowThrottle()
    return throttle.allow_request(request, View()), throttle.wait()


def test_the_limit_holds_per_client_with_one_statement(clock: list[float]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert ask()[0]
    assert sum(q["sql"].lstrip().upper().startswith("INSERT") for q in queries) == 1
    assert ask()[0] and ask()[0]
    allowed, wait = ask()
    assert not allowed and 60 < wait <= 120  # this window, then part of the next
    assert ask("198.51.100.1")[0], "another client has its own count"
    assert RateCounter.objects.count() == 2


def test_the_previous_window_weighs_by_its_remaining_overlap(clock: list[float]) -> None:
    for _ in range(3):
        assert ask()[0]
    clock[0] += 60 + 15  # a quarter into the next window: 3 * 0.75 + 1 = 3.25 > 3
    allowed, wait = ask()
    assert not allowed
    clock[0] += wait
    # Refused requests count too; after the advised wait one request goes through again.
    assert ask()[0]
    clock[0] += 120  # two windows of silence: the slate is clean
    assert [ask()[0] for _ in range(4)] == [True, True, True, False]


def test_no_rate_means_no_limit(clock: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": None})
    assert all(ask()[0] for _ in range(10))
    assert not RateCounter.objects.exists()


def test_quiet_clients_are_swept_within_their_own_scope(
    clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("motcua.core.throttling.SWEEP_ONE_IN", 1)
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": "3/min", "login": "5/s"})
    RateCounter.objects.create(key="throttle_login_198.51.100.9", window=int(clock[0]) - 30, hits=1)
    assert ask("198.51.100.2")[0]
    clock[0] += 180
    assert ask()[0]
    # The quiet look-up client is gone; the login row, counted in seconds, is another scope's.
    assert set(RateCounter.objects.values_list("key", flat=True)) == {
        "throttle_lookup_203.0.113.7",
        "throttle_login_198.51.100.9",
    }
