"""The API's throttle for the public pages: the same scope, rate and counter, so a client cannot
get around the API's limit by using the pages (or the other way round)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.throttling import WindowThrottle


def wait_seconds(request: HttpRequest, scope: str) -> int | None:
    """Count this request against ``scope``; the seconds to wait when over the limit, else None.

    Keyed by the client's address, as the API's unauthenticated endpoints are, logged in or not."""
    throttle = WindowThrottle()
    if throttle.allow_client(request, scope):
        return None
    return int(throttle.wait() or 1)


def wait_seconds_for_user(user: Any, scope: str) -> int | None:
    """As ``wait_seconds``, keyed by the logged-in user as the API's authenticated endpoints are
    (DRF's key for them), so that the pages and the API share one count per user."""
    throttle = WindowThrottle()
    if throttle.allow_user(user, scope):
        return None
    return int(throttle.wait() or 1)


def too_many(request: HttpRequest, template: str, context: dict[str, Any], wait: int) -> HttpResponse:
    """The page again, with a 429 and how long to wait."""
    context["error"] = _("Too many attempts. Please wait %(seconds)s seconds and try again.") % {
        "seconds": wait
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response
