"""Sending the notifications the outbox holds (targets ``sms``, ``zalo``, ``email``). The template
is looked up when sending; the message's key goes to the gateway as its idempotency key (SMS
``REQID``, ZNS ``tracking_id``, e-mail ``Message-ID``). A channel switched off since the message
was written waits (``Unavailable``) rather than being lost. None of them touches the database, so
the worker sends several at once (``concurrent=True``)."""

from __future__ import annotations

from motcua.integrations import registry, transport
from motcua.integrations.sms.ports import Sms
from motcua.integrations.zalo.ports import Zns
from motcua.notifications import email
from motcua.notifications.templates import TEMPLATES
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage


@delivery.deliverer("sms", concurrent=True)
def send_sms(message: OutboxMessage) -> None:
    payload = message.payload
    gateway = registry.sms_gateway(payload.get("agency", ""))
    if gateway is None:
        raise transport.Unavailable("sms", "SMS is not configured (MOTCUA_SMS_URL)")
    template = TEMPLATES[payload["event"]]
    gateway.send(
        Sms(
            to=payload["to"],
            template_id=template.sms_id,
            params=tuple(template.sms_params(payload["params"])),
            key=message.key,
        )
    )


@delivery.deliverer("zalo", concurrent=True)
def send_zalo(message: OutboxMessage) -> None:
    payload = message.payload
    sender = registry.zns_sender()
    if sender is None:
        raise transport.Unavailable("zalo", "Zalo is not configured (MOTCUA_ZALO_URL)")
    template = TEMPLATES[payload["event"]]
    sender.send(
        Zns(
            to=payload["to"],
            template_id=template.zalo_id,
            data=template.zalo_data(payload["params"]),
            key=message.key,
        )
    )


@delivery.deliverer("email", concurrent=True)
def send_email(message: OutboxMessage) -> None:
    email.send(message.payload, message.key)
