"""The address citizens reach MotCua at, for links that leave the system: QR codes and links on printed
forms, and later the links in notifications."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_base_url(request: HttpRequest) -> str:
    """``https://motcua.daklak.gov.vn``, without a trailing slash: MOTCUA_PUBLIC_URL when it is set,
    else the scheme and host the request came in on.

    The host passes Django's ALLOWED_HOSTS check (a forged Host header is a 400, never a link on
    paper); behind a proxy the scheme is the one gunicorn takes from X-Forwarded-Proto when the proxy
    is in MOTCUA_FORWARDED_ALLOW_IPS.
    """
    configured: str = settings.MOTCUA_PUBLIC_URL
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")
