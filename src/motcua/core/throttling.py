"""Rate limits counted in one SQL statement per request.

DRF's ``ScopedRateThrottle`` keeps a list of timestamps per client in the cache; on the database
cache that is five or six queries per request, most of the public look-up's cost. This throttle
keeps DRF's scopes, rates (``DEFAULT_THROTTLE_RATES``), client identification (``NUM_PROXIES``) and
429 handling, but counts with a sliding-window estimate — the previous window's count weighted by
how much of it still overlaps the last ``duration`` seconds, plus the current window's — kept in
one row per client that a single upsert increments. It holds across app servers like the cache did.
With ``MOTCUA_REDIS_URL`` the two counts are Redis keys instead, incremented in one MULTI; while
that Redis cannot be reached (a restart), requests are let through uncounted and a warning is
logged: a limit that fails open for a few seconds rather than a public service that fails closed.
"""

from __future__ import annotations

import random
from typing import Any

import redis
from django.db import connection
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from motcua.core import shared_redis
from motcua.core.models import RateCounter

# The table is RateCounter's (db_table "motcua_rate_counter"). In the SET clause every column on
# the right is the row's old value, on PostgreSQL and SQLite alike.
_UPSERT = """
INSERT INTO motcua_rate_counter ("key", "window", hits, previous_hits) VALUES (%s, %s, 1, 0)
ON CONFLICT ("key") DO UPDATE SET
  previous_hits = CASE
    WHEN motcua_rate_counter."window" = excluded."window" THEN motcua_rate_counter.previous_hits
    WHEN motcua_rate_counter."window" = excluded."window" - 1 THEN motcua_rate_counter.hits
    ELSE 0 END,
  hits = CASE WHEN motcua_rate_counter."window" = excluded."window" THEN motcua_rate_counter.hits + 1 ELSE 1 END,
  "window" = excluded."window"
RETURNING hits, previous_hits
"""

# About one request in this many also deletes the rows of clients gone quiet, so the table stays
# the size of the recently active clients without a scheduled job.
SWEEP_ONE_IN = 1000


class WindowThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` with the count in ``motcua_rate_counter`` (see the module docstring).

    Refused requests count too: a client that keeps hammering stays refused until it slows down."""

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, self.scope_attr, None)
        if not scope:
            return True
        self.scope = scope
        key = self.get_cache_key(request, view)
        return key is None or self.allow(scope, key)

    def allow_client(self, request: HttpRequest, scope: str) -> bool:
        """The same count for a page, keyed by the client's address as the API's public endpoints
        are, logged in or not: a client cannot get around the API's limit through the pages."""
        self.scope = scope
        ident = self.get_ident(Request(request))  # DRF's reading of the address and its proxies
        return self.allow(scope, self.cache_format % {"scope": scope, "ident": ident})

    def allow_user(self, user: Any, scope: str) -> bool:
        """The same count for a page, keyed by the logged-in user as the API's authenticated endpoints
        are (DRF's key for them), so that the pages and the API share one count per user."""
        self.scope = scope
        return self.allow(scope, self.cache_format % {"scope": scope, "ident": user.pk})

    def allow(self, scope: str, key: str) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None or self.duration is None:
            return True
        limit, duration = self.num_requests, self.duration
        window, into = divmod(self.timer(), duration)
        shared = shared_redis.client()
        if shared is not None:
            try:
                hits, previous = _count_in_redis(shared, key, int(window), duration)
            except redis.RedisError as exc:
                shared_redis.unavailable("rate limit not counted, request allowed", exc)
                return True
        else:
            with connection.cursor() as cursor:  # one statement, so its own transaction under autocommit
                cursor.execute(_UPSERT, [key[:200], int(window)])
                hits, previous = cursor.fetchone()
        if shared is None and random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 - load spreading, not security
            # Window numbers depend on the scope's duration: sweep this scope's rows only.
            prefix = self.cache_format % {"scope": self.scope, "ident": ""}
            RateCounter.objects.filter(key__startswith=prefix, window__lt=int(window) - 1).delete()
        # The previous window still covers this share of the last `duration` seconds.
        estimate = previous * (1 - into / duration) + hits
        if estimate <= limit:
            return True
        self._wait = _seconds_until_allowed(limit, float(duration), hits, previous, into)
        return False

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


def _count_in_redis(shared: redis.Redis, key: str, window: int, duration: int) -> tuple[int, int]:
    """This window's hits (this one counted) and the previous window's, in one MULTI: atomic, so N
    app servers share one limit. Each window's key expires once it cannot be the previous one."""
    this, before = f"motcua:rate:{key}:{window}", f"motcua:rate:{key}:{window - 1}"
    pipe = shared.pipeline(transaction=True)
    pipe.incr(this)
    pipe.expire(this, 2 * duration + 1)
    pipe.get(before)
    hits, _expiry, previous = pipe.execute()
    return int(hits), int(previous or 0)


def _seconds_until_allowed(n: int, d: float, hits: int, previous: int, into: float) -> float:
    """Seconds until one more request would be allowed, if the client sends none meanwhile."""
    if previous and hits + 1 <= n:
        # Still in this window: previous * (1 - t/d) + hits + 1 <= n, solved for t.
        t = d * (1 - (n - hits - 1) / previous)
        if t < d:
            return max(t - into, 1.0)
    # In the next window, this window's hits become the weighted previous count.
    t = d * (1 - (n - 1) / hits) if hits else 0.0
    return max(d - into + t, 1.0)
