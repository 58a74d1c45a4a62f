"""Telling the applicant (contract §8.4): one call from the dossier's change writes, in its
transaction, one outbox message per channel the applicant can receive. The messages carry only
the parameters; the deliverers (``deliverers.py``) turn them into an SMS, a ZNS or an e-mail."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import STAFF_ROLES
from motcua.core.errors import Conflict, Forbidden, NotFound
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.workflow import Status
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


def notify(dossier: Dossier, event: DossierEvent, *, again: str = "") -> int:
    """Write the notifications of one dossier event, if it is one the applicant is told of; how many.
    ``again`` marks a resend of the same event (its own idempotency keys)."""
    rows = messages(dossier, event, again=again)
    outbox.enqueue_many(rows)
    return len(rows)


def messages(dossier: Dossier, event: DossierEvent, *, again: str = "") -> list[OutboxMessage]:
    """The outbox rows that tell the applicant of one dossier event, for the change to write with
    its own (one INSERT for them all). A number or address that cannot be used is recorded as
    skipped; it never fails the action."""
    name = EVENT_OF_ACTION.get(str(event.action))
    if name is None:
        return []
    wanted = channels.on()
    user = dossier.applicant_user if dossier.applicant_user_id is not None and wanted else None
    if user is not None:
        # The accessors, read with the dossier where it was locked (not under the counter's lock);
        # no choice made: every channel.
        with contextlib.suppress(ChannelChoice.DoesNotExist):
            wanted &= user.notification_channels.wanted()
    if not wanted:
        return []
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
                key=f"notify:{dossier.pk}:{event.pk}:{channel}{again}",
                stream=f"notify:{dossier.pk}:{channel}",
                dossier_id=dossier.pk,
                event=name,
                payload=payload,
            )
        )
    if skipped:
        Skipped.objects.bulk_create(skipped)
    return rows


@transaction.atomic
def resend_payment_request(*, actor: User, dossier_id: int) -> int:
    """The desk sends the payment request again (the applicant lost the SMS, or changed phone
    since); how many messages were written."""
    if actor.role not in STAFF_ROLES:
        raise Forbidden()
    dossier = (
        visible_dossiers(actor)
        .select_related("receiving_agency", "applicant_user__notification_channels")  # what messages() reads
        .select_for_update(of=("self",))
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound()
    request = dossier.events.filter(action="request_payment").order_by("-id").first()
    if dossier.status != Status.AWAITING_PAYMENT or request is None:
        raise Conflict(_("No payment is awaited."), code="no_payment_due")
    sent = notify(dossier, request, again=f":again:{timezone.now():%Y%m%d%H%M%S%f}")
    if not sent:
        raise Conflict(
            _(
                "There is nothing to send it to: the applicant gave no usable mobile number or e-mail address, or no channel is connected."
            ),
            code="no_channel",
        )
    return sent


def choose_channels(*, user: User, sms: bool, zalo: bool, email: bool) -> ChannelChoice:
    """The citizen says how they want to be told (their profile)."""
    choice, _created = ChannelChoice.objects.update_or_create(
        user=user, defaults={"sms": sms, "zalo": zalo, "email": email}
    )
    return choice


def chosen_channels(user: User) -> ChannelChoice:
    """The citizen's choice, or the default (every channel) when they never made one."""
    return ChannelChoice.objects.filter(user=user).first() or ChannelChoice(user=user)
