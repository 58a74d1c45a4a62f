"""A NUL character in the URL or a cookie is bad input, not a database error (found by fuzzing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.conftest import error_of


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies?search=%00",
        "/api/v1/procedures?search=d%00&agency=H15",
        "/api/v1/agencies/H15%00",
        "/api/v1/dossiers?status=%00",
    ],
)
def test_the_api_refuses_a_nul_in_the_url(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error" and error["message"] == "Không được có ký tự rỗng (null)."
    if "?" in url:
        assert list(error["fields"]) == [url.split("?")[1].split("=")[0]]


@pytest.mark.django_db
def test_the_message_follows_the_language() -> None:
    response = Client().get("/api/v1/agencies?kind=%00", headers={"accept-language": "en"})
    assert error_of(response) == {
        "code": "validation_error",
        "message": "Null characters are not allowed.",
        "fields": {"kind": ["Null characters are not allowed."]},
    }


@pytest.mark.django_db
def test_a_session_cookie_with_a_nul_is_refused(admin_api: Any) -> None:
    client = Client()
    client.cookies["sessionid"] = "\x00" * 32
    assert client.get("/api/v1/agencies").status_code == 400
    assert client.get("/").status_code == 400


@pytest.mark.django_db
def test_pages_answer_400_too() -> None:
    assert Client().get("/?q=%00").status_code == 400
    assert Client().get("/").status_code == 200
