"""Reading a dossier's notifications: what was written to the outbox for it, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.core.errors import NotFound
from motcua.dossiers.selectors import visible_dossiers
from motcua.notifications import addresses, channels, labels
from motcua.notifications.models import Skipped
from motcua.notifications.templates import CHANNELS
from motcua.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Notice:
    channel: str
    event: str
    to: str  # masked
    status: str  # pending | delivered | failed | skipped
    sent_at: datetime | None
    created_at: datetime

    @property
    def channel_label(self) -> str:
        return str(labels.CHANNELS.get(self.channel, self.channel))

    @property
    def event_label(self) -> str:
        return str(labels.EVENTS.get(self.event, self.event))

    @property
    def status_label(self) -> str:
        return str(labels.STATUSES.get(self.status, self.status))

    @property
    def tone(self) -> str:
        return labels.TONES.get(self.status, "info")


def for_dossier(dossier_id: int, user: Any = None) -> list[Notice]:
    """Oldest first. With ``user``, only a dossier that user may see (else ``NotFound``)."""
    if user is not None and not visible_dossiers(user).filter(pk=dossier_id).exists():
        raise NotFound()
    sent = OutboxMessage.objects.filter(dossier_id=dossier_id, target__in=CHANNELS, key__startswith="notify:")
    found = [
        Notice(
            channel=m.target,
            event=m.event,
            to=addresses.mask(str(m.payload.get("to", ""))),
            status=m.state,
            sent_at=m.delivered_at,
            created_at=m.created_at,
        )
        for m in sent.only("target", "event", "payload", "state", "delivered_at", "created_at")
    ]
    found += [
        Notice(
            channel=s.channel, event=s.event, to=s.to, status="skipped", sent_at=None, created_at=s.created_at
        )
        for s in Skipped.objects.filter(dossier_id=dossier_id)
    ]
    order = {name: n for n, name in enumerate(CHANNELS)}
    return sorted(found, key=lambda n: (n.created_at, order.get(n.channel, 9)))


def channels_off() -> list[str]:
    """The names of the channels that are not connected now, for the pages to say so."""
    on = channels.on()
    return [str(label) for name, label in labels.CHANNELS.items() if name not in on]
