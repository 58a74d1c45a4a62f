"""Reads from a streaming replica (``MOTCUA_DATABASE_REPLICA_URL``, issue 16).

A replica lags the primary, so nothing reads there unless its code says it may: the dashboards,
reports, exports and the public catalog run their reads inside ``replica_reads()`` (or a view under
``@reads_from_replica``). Everything else, every write and every migration stays on the primary.
Read-your-writes: once a request has written (or while a transaction on the primary is open), its
later reads go to the primary; and ``ReadYourWrites`` gives a client that has just written a small
signed cookie, without personal data, which keeps its reads on the primary for
``MOTCUA_REPLICA_STICKY_SECONDS`` (and marks the signed-in user in the shared cache for as long,
for API clients that keep no cookies). docs/decisions.md says why.

Settings install the router and the middleware only when the replica is configured; without them
``replica_reads()`` changes nothing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, Concatenate

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

REPLICA = "replica"
STICKY_COOKIE = "motcua_wrote"
_SALT = "motcua.core.replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _Reads:
    """One request's (or one scope's) routing state. Mutable and shared, so that a write flagged
    in a copied context (a thread of the same request) is seen by the reads after it."""

    replica: int = 0  # depth of the replica-safe scopes we are in
    primary: bool = False  # this request wrote, or its client wrote moments ago


_reads: ContextVar[_Reads | None] = ContextVar("motcua_reads", default=None)


class ReplicaRouter:
    """Reads inside a replica-safe scope go to the replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _reads.get()
        if state is None or not state.replica or state.primary:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a transaction reads its own writes
            state.primary = True
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _reads.get()
        if state is not None:
            state.primary = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by streaming


def _wrote_key(user_id: Any) -> str:
    return f"motcua:replica:wrote:{user_id}"


def enabled() -> bool:
    """Whether reads may go to a replica at all (the router is installed)."""
    return any(isinstance(r, ReplicaRouter) for r in router.routers)


def _reachable() -> bool:
    """A replica that is down costs the dashboards their speed, not their answers."""
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        log.warning("The database replica cannot be reached; reading from the primary")
        return False
    return True


@contextmanager
def replica_reads(*, caught_up: Callable[[str], bool] | None = None) -> Iterator[None]:
    """Mark the reads inside as replica-safe: they may be a moment behind the primary.

    ``caught_up(alias)`` is the caller's own check, asked of the replica once on entry, that it
    already holds what the answer needs. Either way, a replica that cannot be reached leaves the
    reads on the primary."""
    state = _reads.get()
    token = None
    if state is None:  # outside a request (a command, a task): a state for this scope only
        state = _Reads()
        token = _reads.set(state)
    if (
        not state.primary
        and enabled()
        and (not _reachable() or (caught_up is not None and not caught_up(REPLICA)))
    ):
        state.primary = True
    state.replica += 1
    try:
        yield
    finally:
        state.replica -= 1
        if token is not None:
            _reads.reset(token)


def reads_from_replica[**P, R](view: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """A view (or, with ``method_decorator``, a GET handler) whose reads may come from the replica.
    Who is asking is settled first, on the primary: a login or a token made a moment ago holds."""

    @wraps(view)
    def wrapped(request: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        user = getattr(request, "user", None)
        # Evaluates the lazy user (session, token) here; a signed-in user who wrote moments ago
        # through a client that keeps no cookie reads the primary too.
        if user is not None and user.is_authenticated and enabled() and cache.get(_wrote_key(user.pk)):
            state = _reads.get()
            if state is not None:
                state.primary = True
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReadYourWrites:
    """Per request: a fresh routing state, on the primary if the client wrote in the last
    ``MOTCUA_REPLICA_STICKY_SECONDS``; after a write request that succeeded, the signed cookie
    that says so (its value is "1"; the signature carries the time)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.MOTCUA_REPLICA_STICKY_SECONDS
        wrote = request.get_signed_cookie(
            STICKY_COOKIE, default=None, salt=_SALT, max_age=timedelta(seconds=seconds)
        )
        token = _reads.set(_Reads(primary=wrote is not None))
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400 and seconds > 0:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                cache.set(_wrote_key(user.pk), 1, timeout=math.ceil(seconds))
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=_SALT,
                max_age=math.ceil(seconds),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
