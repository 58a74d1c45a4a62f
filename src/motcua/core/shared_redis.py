"""The Redis that several processes share when ``MOTCUA_REDIS_URL`` is set (rate limits, the periodic
jobs' slots); None without it, and the callers keep their database way."""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings


@cache
def _client(url: str) -> redis.Redis:
    # Short timeouts: a Redis that is away must cost a request a clean error, not a hung worker.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30)


def client() -> redis.Redis | None:
    url = settings.MOTCUA_REDIS_URL
    return _client(url) if url else None
