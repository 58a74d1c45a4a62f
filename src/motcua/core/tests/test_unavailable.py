"""A database that cannot be reached for a moment (the primary restarting) is a clean 503 with
Retry-After, in the contract's envelope under /api/ and a small page in both languages elsewhere,
never a 500 (issue 16, "Faults"). SQLite stands in for the lost connection by patching."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import error_of
from motcua.core.api import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

LOST = "consuming input failed: server closed the connection unexpectedly"


def _lost(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError(LOST)


def test_an_api_view_whose_database_is_gone_answers_503_with_retry_after(
    admin_api: APIClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from motcua.dossiers import selectors

    monkeypatch.setattr(selectors, "dossier_list", _lost)
    with caplog.at_level(logging.WARNING, logger="motcua.core.api"):
        response = admin_api.get("/api/v1/dossiers")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    error = error_of(response)
    assert error["code"] == "service_unavailable"
    assert (
        error["message"] == "Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau vài giây."
    )  # Vietnamese first
    english = admin_api.get("/api/v1/dossiers", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        error_of(english)["message"]
        == "The service is briefly unavailable. Please try again in a few seconds."
    )
    assert "Database unavailable (OperationalError)" in caplog.text
    assert LOST not in caplog.text  # the class, not the driver's message


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_connection_before_any_view_is_a_503_too(
    error: type[Exception], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """In a middleware (the session, the user), outside DRF: Django's handler500 tells it apart."""
    from django.contrib.sessions.backends.db import SessionStore

    def broken(self: Any) -> Any:
        raise error("connection already closed")

    monkeypatch.setattr(SessionStore, "load", broken)
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    page = client.get("/")
    assert page.status_code == 503
    assert page["Retry-After"] == str(RETRY_AFTER_SECONDS)
    html = page.content.decode()
    assert html.index("Hệ thống tạm thời gián đoạn") < html.index("The service is briefly unavailable")
    api = client.get("/api/v1/dossiers")
    assert api.status_code == 503 and api["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert error_of(api)["code"] == "service_unavailable"


def test_other_errors_stay_500(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    def broken(self: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "load", broken)
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get("/").status_code == 500
    response = client.get("/api/v1/dossiers")
    assert response.status_code == 500 and error_of(response)["code"] == "server_error"
    assert "Retry-After" not in response


def test_connections_are_health_checked_so_a_dropped_one_is_replaced(settings: Any) -> None:
    """A kept connection the primary dropped is found out at the start of the next request."""
    from django.conf import settings as live

    for alias, database in live.DATABASES.items():
        if database["ENGINE"].endswith("postgresql"):
            assert database["CONN_HEALTH_CHECKS"] is True, alias
