"""Telling the applicant (contract §8.4): one call from the dossier's change writes, in its
transaction, one outbox message per channel the applicant can receive. The messages carry only
the parameters; the deliverers (``deliverers.py``) turn them into an SMS, a ZNS or an e-mail."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications import addresses, channels
from motcua.notifications.models import ChannelChoice, Skipped
from motcua.notifications.templates import EVENT_OF_ACTION, TEMPLATES
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage


def _params(dossier: Dossier, event: DossierEvent, name: str) -> dict[str, str]:
    params = {"code": dossier.code or str(dossier.pk)}
    if "due_date" in TEMPLATES[name].params and dossier.due_at is not None:
        params["due_date"] = f"{timezone.localtime(dossier.due_at):%d/%m/%Y}"
    if "amount" in TEMPLATES[name].params:
        params["amount"] = f"{int(event.data.get('amount_vnd', 0)):,}".replace(",", ".")
    return params


def notify(dossier: Dossier, event: DossierEvent) -> None:
    """Write the notifications of one dossier event, if it is one the applicant is told of. A
    number or address that cannot be used is recorded as skipped; it never fails the action."""
    name = EVENT_OF_ACTION.get(str(event.action))
    if name is None:
        return
    wanted = channels.on()
    if dossier.applicant_user_id is not None and wanted:
        choice = ChannelChoice.objects.filter(user_id=dossier.applicant_user_id).first()
        if choice is not None:
            wanted &= choice.wanted()
    if not wanted:
        return
    phone = addresses.mobile(dossier.applicant_phone) if wanted & {"sms", "zalo"} else None
    mail = addresses.email(dossier.applicant_email) if "email" in wanted else None
    now = timezone.now()
    params = _params(dossier, event, name)
    rows: list[OutboxMessage] = []
    skipped: list[Skipped] = []
    for channel in sorted(wanted):
        raw = dossier.applicant_email if channel == "email" else dossier.applicant_phone
        to = mail if channel == "email" else phone
        if not raw.strip():
            continue  # nothing given: nothing to tell, nothing to record
        if to is None:
            why = "not an e-mail address" if channel == "email" else "not a Vietnamese mobile number"
            skipped.append(
                Skipped(
                    dossier=dossier,
                    event=name,
                    channel=channel,
                    to=addresses.mask(raw.strip())[:254],
                    reason=why,
                    created_at=now,
                )
            )
            continue
        payload: dict[str, Any] = {
            "to": to,
            "event": name,
            "params": params,
            "agency": dossier.receiving_agency.code,
        }
        if channel == "email":
            payload["name"] = dossier.applicant_name
        rows.append(
            OutboxMessage(
                target=channel,
                key=f"notify:{dossier.pk}:{event.pk}:{channel}",
                stream=f"notify:{dossier.pk}:{channel}",
                dossier_id=dossier.pk,
                event=name,
                payload=payload,
            )
        )
    outbox.enqueue_many(rows)
    if skipped:
        Skipped.objects.bulk_create(skipped)


def choose_channels(*, user: User, sms: bool, zalo: bool, email: bool) -> ChannelChoice:
    """The citizen says how they want to be told (their profile)."""
    choice, _created = ChannelChoice.objects.update_or_create(
        user=user, defaults={"sms": sms, "zalo": zalo, "email": email}
    )
    return choice


def chosen_channels(user: User) -> ChannelChoice:
    """The citizen's choice, or the default (every channel) when they never made one."""
    return ChannelChoice.objects.filter(user=user).first() or ChannelChoice(user=user)
