"""With MOTCUA_REDIS_URL, the processes agree through Redis (issue 16, item 1; issue 12's task
queue): the rate-limit counters are shared and atomic, the task queue keeps its tasks through a
Redis restart and a worker runs them, and a periodic job is queued once per period whichever
worker gets there first."""

from __future__ import annotations

import io
import logging
import time
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.tasks import task_backends
from django.test import RequestFactory

from motcua.conftest import RedisServer
from motcua.core import shared_redis
from motcua.core.management.commands import worker
from motcua.core.models import RateCounter
from motcua.core.periodic import Periodic
from motcua.core.throttling import WindowThrottle
from motcua.monitoring import tasks as monitoring_tasks

pytestmark = pytest.mark.django_db


def redis_tasks(url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "OPTIONS": {"REDIS_URL": url, "REDIS_KEY_PREFIX": "motcua:tasks", "REDIS_BLOCK_TIMEOUT": 100},
        }
    }


def test_app_servers_share_one_limit_counted_in_redis(redis_url: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": "3/min"})
    request = RequestFactory().get("/tra-cuu/", REMOTE_ADDR="203.0.113.7")
    # Two throttles, as two app servers would each have: one count between them.
    first, second = WindowThrottle(), WindowThrottle()
    answers = [t.allow_client(request, "lookup") for t in (first, second, first, second)]
    assert answers == [True, True, True, False]
    assert second.wait() is not None and second.wait() >= 1
    assert not RateCounter.objects.exists()  # counted in Redis, not in the database
    keys = redis.Redis.from_url(redis_url).keys("motcua:rate:*")
    assert len(keys) == 1 and 0 < redis.Redis.from_url(redis_url).ttl(keys[0]) <= 121
    other = RequestFactory().get("/tra-cuu/", REMOTE_ADDR="203.0.113.8")
    assert first.allow_client(other, "lookup")  # another client, its own count


def test_without_redis_the_count_stays_in_the_database(settings: Any, monkeypatch: Any) -> None:
    settings.MOTCUA_REDIS_URL = ""
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": "3/min"})
    assert WindowThrottle().allow_client(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9"), "lookup")
    assert RateCounter.objects.count() == 1


def test_the_queue_keeps_its_tasks_through_a_redis_restart_and_the_worker_runs_them(
    redis_url: str, redis_server: RedisServer, settings: Any
) -> None:
    settings.TASKS = redis_tasks(redis_url)
    queued = monitoring_tasks.refresh_rollups.enqueue()
    redis_server.restart()  # what was acknowledged is on disk (appendonly, fsync always)
    shared_redis._client.cache_clear()
    assert task_backends["default"].get_result(queued.id).status == "READY"
    call_command("worker", "--batch", stdout=io.StringIO())
    assert task_backends["default"].get_result(queued.id).status == "SUCCESSFUL"


def test_a_periodic_job_is_queued_once_a_period_whichever_worker_asks(redis_url: str, settings: Any) -> None:
    settings.TASKS = redis_tasks(redis_url)
    job = Periodic(monitoring_tasks.refresh_rollups, timedelta(seconds=30))
    # Three workers look at once: one takes the slot, the others see it taken.
    assert [worker._waiting(job) for _ in range(3)] == [False, True, True]
    ttl = redis.Redis.from_url(redis_url).ttl(f"motcua:periodic:{job.task.module_path}")
    assert 0 < ttl <= 30


# --- Redis away for a moment (a restart): the requests go on (docs/decisions.md) -----------------


def test_while_redis_is_away_the_limit_lets_requests_through_and_says_so_once(
    redis_url: str, redis_server: RedisServer, monkeypatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"lookup": "1/min"})
    monkeypatch.setattr(shared_redis, "_warned", {})
    request = RequestFactory().get("/tra-cuu/", REMOTE_ADDR="203.0.113.7")
    throttle = WindowThrottle()
    assert throttle.allow_client(request, "lookup")
    assert not throttle.allow_client(request, "lookup")
    redis_server.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="motcua.core.shared_redis"):
            began = time.monotonic()
            assert all(throttle.allow_client(request, "lookup") for _ in range(5))  # open, uncounted
            assert time.monotonic() - began < 3  # no long back-off holding the server's thread
    finally:
        redis_server.start()
    assert caplog.text.count("Redis cannot be reached") == 1  # once a while, not once a request
    assert "rate limit" in caplog.text and "203.0.113.7" not in caplog.text  # no address in the log
    # Back, through the same (now stale) pooled connection: the count survived the restart.
    assert not throttle.allow_client(request, "lookup")
    assert not RateCounter.objects.exists()


def test_while_redis_is_away_the_cache_misses_instead_of_failing(
    redis_url: str, redis_server: RedisServer, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "motcua.core.cache.ResilientRedisCache", "LOCATION": redis_url}}
    cache = caches["default"]
    cache.set("motcua:test:kept", 1, timeout=60)
    redis_server.stop()
    try:
        assert cache.get("motcua:test:kept", "miss") == "miss"
        cache.set("motcua:test:other", 2)  # dropped, no error
        assert cache.add("motcua:test:other", 2) is False
        assert cache.get_many(["motcua:test:kept"]) == {}
        assert cache.has_key("motcua:test:kept") is False
        assert cache.delete("motcua:test:kept") is False
        assert cache.set_many({"motcua:test:a": 1}) == ["motcua:test:a"]
    finally:
        redis_server.start()
    assert cache.get("motcua:test:kept") == 1  # persisted; the pool reconnects by itself


def test_a_write_request_with_redis_away_is_not_a_500(
    redis_url: str, redis_server: RedisServer, settings: Any
) -> None:
    """After a write, the replica's read-your-writes mark goes to the cache: a dropped mark, not a 500
    after the commit."""
    from django.http import HttpResponse

    from motcua.accounts.services import create_user
    from motcua.core.replica import ReadYourWrites

    settings.CACHES = {"default": {"BACKEND": "motcua.core.cache.ResilientRedisCache", "LOCATION": redis_url}}
    settings.MOTCUA_REPLICA_STICKY_SECONDS = 5
    request = RequestFactory().post("/api/v1/anything")
    request.user = create_user(username="tiepnhan", password="matkhau-rat-dai", role="admin")
    redis_server.stop()
    try:
        response = ReadYourWrites(lambda r: HttpResponse(status=201))(request)
    finally:
        redis_server.start()
    assert response.status_code == 201
