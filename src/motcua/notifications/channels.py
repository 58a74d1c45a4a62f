"""Which channels are on. SMS and Zalo are national-style systems (``integrations.config``: their
own URL, or the stand-ins); e-mail is on when ``MOTCUA_EMAIL_URL`` names a server or, failing that,
when the stand-ins are set: their SMTP sink listens on the stand-ins' port + 1 (``/health`` says
``"smtp_port"``). A channel that is off gets no messages written, and the pages say it is off."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

from motcua.integrations import config


@dataclass(frozen=True)
class Mail:
    """How to reach the mail server: a Django e-mail backend and its options."""

    backend: str
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    standin: bool = False


BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}


def mail() -> Mail | None:
    """The mail server, or None when e-mail is off."""
    url = settings.MOTCUA_EMAIL["url"]
    standin = False
    if not url and settings.MOTCUA_STANDINS_URL:
        parts = urlsplit(settings.MOTCUA_STANDINS_URL)
        url, standin = f"smtp://{parts.hostname}:{(parts.port or 80) + 1}", True
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(f"MOTCUA_EMAIL_URL: use smtp://, smtps://, locmem: or console:, not {parts.scheme}:")
    query = parse_qs(parts.query)
    return Mail(
        backend=BACKENDS[parts.scheme],
        host=parts.hostname or "",
        port=parts.port or (465 if parts.scheme == "smtps" else 587),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=parts.scheme == "smtp"
        and query.get("starttls", ["1" if parts.port == 587 else "0"])[0] == "1",
        use_ssl=parts.scheme == "smtps",
        standin=standin,
    )


def on() -> set[str]:
    """The channels that can send now."""
    found = {name for name in ("sms", "zalo") if config.is_on(name)}
    if mail() is not None:
        found.add("email")
    return found
