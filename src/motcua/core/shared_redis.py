"""The Redis that several processes share when ``MOTCUA_REDIS_URL`` is set (rate limits, the periodic
jobs' slots); None without it, and the callers keep their database way.

A Redis restarting is away for a second or two. What the requests use it for degrades instead of
failing (docs/decisions.md, "Redis or the primary away for a few seconds"): the rate limits let the
request through uncounted, the cache misses. ``unavailable()`` logs that, once in a while per use."""

from __future__ import annotations

import logging
import threading
import time
from functools import cache

import redis
from django.conf import settings
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Short timeouts, and one quick retry (on a fresh connection: what a restarted Redis needs) instead
# of redis-py's default of three with up to 14 s of back-off: a Redis that is away must cost a
# request a few milliseconds, not hold a server's thread.
CONNECTION_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), 1),
    "health_check_interval": 30,
}

# At most one warning per use and process in this many seconds, however many requests go by.
WARN_EVERY_SECONDS = 10.0
_warned: dict[str, float] = {}
_warned_lock = threading.Lock()


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **CONNECTION_OPTIONS)


def client() -> redis.Redis | None:
    url = settings.MOTCUA_REDIS_URL
    return _client(url) if url else None


def unavailable(use: str, exc: BaseException) -> None:
    """Log that Redis could not serve ``use`` (a fixed phrase: no key, no address, no personal data)."""
    now = time.monotonic()
    with _warned_lock:
        if now - _warned.get(use, -WARN_EVERY_SECONDS) < WARN_EVERY_SECONDS:
            return
        _warned[use] = now
    logger.warning("Redis cannot be reached (%s): %s", type(exc).__name__, use)
