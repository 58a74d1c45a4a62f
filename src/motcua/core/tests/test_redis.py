"""With MOTCUA_REDIS_URL, the processes agree through Redis (issue 16, item 1; issue 12's task
queue): the rate-limit counters are shared and atomic, the task queue keeps its tasks through a
Redis restart and a worker runs them, and a periodic job is queued once per period whichever
worker gets there first."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import redis
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
