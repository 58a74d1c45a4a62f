"""The e-mail of a notification: Vietnamese text and HTML from Django templates, sent through the
configured server (``channels.mail``). Its ``Message-ID`` comes from the outbox key, so a message
sent twice is recognisably the same one (the stand-ins' sink keeps it once)."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from motcua.integrations import transport
from motcua.notifications import channels
from motcua.notifications.templates import TEMPLATES

SYSTEM = "email"


def message_id(key: str) -> str:
    return f"<{key.replace(':', '.')}@motcua>"


def build(payload: dict[str, Any], key: str) -> EmailMultiAlternatives:
    template = TEMPLATES[payload["event"]]
    params = {"code": "", "due_date": "", "amount": "", **payload["params"]}
    context = {
        "name": payload.get("name", ""),
        "subject": template.subject.format(**params),
        "lines": [line.format(**params) for line in template.lines],
        "code": params["code"],
    }
    mail = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("notifications/email.txt", context),
        from_email=settings.MOTCUA_EMAIL["from"],
        to=[payload["to"]],
        headers={"Message-ID": message_id(key)},
    )
    mail.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return mail


def send(payload: dict[str, Any], key: str) -> None:
    """Raises ``transport.Unavailable`` (server down, off) or ``transport.Rejected`` (it refuses the
    recipient)."""
    server = channels.mail()
    if server is None:
        raise transport.Unavailable(SYSTEM, "e-mail is not configured (MOTCUA_EMAIL_URL)")
    options: dict[str, Any] = {}
    if server.backend == channels.BACKENDS["smtp"]:
        options = {
            "host": server.host,
            "port": server.port,
            "username": server.username or None,
            "password": server.password or None,
            "use_tls": server.use_tls,
            "use_ssl": server.use_ssl,
            "timeout": settings.MOTCUA_INTEGRATION_TIMEOUT,
        }
    connection = import_string(server.backend)(alias="notifications", **options)
    try:
        connection.send_messages([build(payload, key)])
    except smtplib.SMTPRecipientsRefused as exc:
        raise transport.Rejected(SYSTEM, "the server refused the recipient") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise transport.Unavailable(SYSTEM, f"{type(exc).__name__}") from exc
