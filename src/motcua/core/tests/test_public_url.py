"""The public address for links that leave the system (core.public_url, MOTCUA_PUBLIC_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import DisallowedHost
from django.test import RequestFactory

from motcua.core.public_url import public_base_url


def test_without_the_setting_the_address_is_the_one_the_request_came_in_on(settings: Any) -> None:
    settings.MOTCUA_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["motcua.daklak.gov.vn"]
    factory = RequestFactory()
    assert (
        public_base_url(factory.get("/", HTTP_HOST="motcua.daklak.gov.vn")) == "http://motcua.daklak.gov.vn"
    )
    # Behind the TLS proxy gunicorn marks the request secure (X-Forwarded-Proto from a trusted proxy).
    secure = factory.get("/", HTTP_HOST="motcua.daklak.gov.vn", secure=True)
    assert public_base_url(secure) == "https://motcua.daklak.gov.vn"
    with pytest.raises(DisallowedHost):
        public_base_url(factory.get("/", HTTP_HOST="lua-dao.example.com"))


def test_the_setting_wins_over_the_request(settings: Any) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.daklak.gov.vn"
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8000")
    assert public_base_url(request) == "https://dichvucong.daklak.gov.vn"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("https://dichvucong.daklak.gov.vn/", "https://dichvucong.daklak.gov.vn"),
        ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
    ],
)
def test_the_setting_is_read_from_the_environment(value: str, expected: str) -> None:
    assert _settings_value(value) == (0, expected)


def test_a_public_url_without_a_scheme_stops_start_up() -> None:
    code, message = _settings_value("dichvucong.daklak.gov.vn")
    assert code != 0
    assert "MOTCUA_PUBLIC_URL must start with https:// or http://" in message


def _settings_value(value: str) -> tuple[int, str]:
    """Import the settings in a fresh interpreter with MOTCUA_PUBLIC_URL=value."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {"MOTCUA_PUBLIC_URL": value}
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-c", "from motcua.conf import settings; print(settings.MOTCUA_PUBLIC_URL)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout.strip() if done.returncode == 0 else done.stderr
