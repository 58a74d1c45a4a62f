"""Reading the outbox: the admins' list, and a dossier's messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

from motcua.outbox.models import OutboxMessage, State


def messages(*, state: str | None = None, target: str | None = None) -> QuerySet[OutboxMessage]:
    """Every message, newest first (admins only: the caller checks)."""
    found = OutboxMessage.objects.select_related("dossier").order_by("-id")
    if state:
        found = found.filter(state=state)
    if target:
        found = found.filter(target=target)
    return found


@dataclass(frozen=True)
class Counterpart:
    """One counterpart's line on the admins' page."""

    target: str
    pending: int
    failed: int
    last_delivered_at: datetime | None


def counterparts() -> list[Counterpart]:
    """Per counterpart: how many messages wait, how many are dead letters, and the last delivery."""
    rows = OutboxMessage.objects.values("target").annotate(
        pending=Count("id", filter=Q(state=State.PENDING)),
        failed=Count("id", filter=Q(state=State.FAILED)),
        last=Max("delivered_at"),
    )
    return [Counterpart(r["target"], r["pending"], r["failed"], r["last"]) for r in rows.order_by("target")]
