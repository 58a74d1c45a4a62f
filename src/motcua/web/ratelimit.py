"""The API's throttle for the public pages: the same scope, rate and counter, so a client cannot
get around the API's limit by using the pages (or the other way round)."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpRequest

from motcua.core.throttling import WindowThrottle


def wait_seconds(request: HttpRequest, scope: str) -> int | None:
    """Count this request against ``scope``; the seconds to wait when over the limit, else None.

    Keyed by the client's address, as the API's unauthenticated endpoints are, logged in or not."""
    throttle = WindowThrottle()
    anonymous = SimpleNamespace(user=None, META=request.META, headers=request.headers)
    if throttle.allow_request(anonymous, SimpleNamespace(throttle_scope=scope)):  # type: ignore[arg-type]
        return None
    return int(throttle.wait() or 1)
