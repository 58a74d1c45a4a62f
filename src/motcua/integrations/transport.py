"""HTTP to the national systems: timeouts, retries with backoff, and errors in our own vocabulary.

Every adapter sends through ``send``. A timeout, a refused connection or a 5xx is retried (with
exponential backoff and jitter) and, when the attempts run out, raised as ``Unavailable``; a 4xx is
the counterpart refusing us (credentials, quota) and is raised at once as ``Rejected``. The caller
turns a body it cannot read into ``Malformed``. None of these carry the request body: it may hold a
personal ID.
"""

from __future__ import annotations

import random
import time
from typing import Any

import httpx
from django.conf import settings


class IntegrationError(Exception):
    """A national system did not give a usable answer."""

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(f"{system}: {detail}")
        self.system = system
        self.detail = detail


class Unavailable(IntegrationError):
    """Down, slow or broken: worth trying again later."""


class Malformed(Unavailable):
    """It answered, but not in its wire format."""


class Rejected(IntegrationError):
    """It refused the request (credentials, quota, a field it will not take): retrying will not help."""


def client(*, timeout: float | None = None, **kwargs: Any) -> httpx.Client:
    """A client with the configured per-attempt timeout; TLS is always verified."""
    seconds = settings.MOTCUA_INTEGRATION_TIMEOUT if timeout is None else timeout
    return httpx.Client(timeout=httpx.Timeout(seconds, connect=min(seconds, 3.0)), **kwargs)


def send(
    system: str,
    http: httpx.Client,
    method: str,
    url: str,
    *,
    attempts: int | None = None,
    backoff: float = 0.2,
    **kwargs: Any,
) -> httpx.Response:
    """One request, retried on the faults worth retrying; the 2xx response, or an IntegrationError."""
    tries = max(1, settings.MOTCUA_INTEGRATION_ATTEMPTS if attempts is None else attempts)
    last = ""
    for attempt in range(tries):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1) * (0.5 + random.random()))  # noqa: S311 — jitter, not secrets
        try:
            response = http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            last = "timed out"
            continue
        except httpx.TransportError as exc:
            last = f"unreachable ({type(exc).__name__})"
            continue
        if response.status_code >= 500:
            last = f"HTTP {response.status_code}"
            continue
        if response.status_code >= 400:
            raise Rejected(system, f"HTTP {response.status_code}")
        return response
    raise Unavailable(system, last)
