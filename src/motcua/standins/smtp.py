"""The stand-ins' SMTP sink (aiosmtpd): takes every e-mail, keeps it for ``/inbox?email=…``, sends
nothing on. An e-mail whose ``Message-ID`` it has seen before for the same recipient is taken
("250") and not kept again. It listens beside the HTTP stand-ins, on their port + 1 by default."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from motcua.standins.inbox import Inbox, Received


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


class Sink:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 — aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, _class=EmailMessage, policy=email.policy.default)
        message_id = str(message.get("Message-ID", "")).strip()
        for rcpt in envelope.rcpt_tos:
            self.inbox.add(
                Received(
                    channel="email",
                    to=rcpt,
                    key=f"{message_id or id(envelope)}|{rcpt}",
                    text=_text(message),
                    subject=str(message.get("Subject", "")),
                    sender=str(message.get("From", "")),
                    extra={"html": any(p.get_content_type() == "text/html" for p in message.walk())},
                )
            )
        return "250 Message accepted for delivery"


def start(host: str, port: int, inbox: Inbox) -> Controller:
    """The sink, running in its own thread until ``.stop()``."""
    controller = Controller(Sink(inbox), hostname=host, port=port)
    controller.start()
    return controller
