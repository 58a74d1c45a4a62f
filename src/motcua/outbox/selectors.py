"""Reading the outbox: the admins' list, and a dossier's messages."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.outbox.models import OutboxMessage, State


def messages(*, state: str | None = None, target: str | None = None) -> QuerySet[OutboxMessage]:
    """Every message, newest first (admins only: the caller checks)."""
    found = OutboxMessage.objects.select_related("dossier").order_by("-id")
    if state:
        found = found.filter(state=state)
    if target:
        found = found.filter(target=target)
    return found


def backlog() -> dict[str, dict[str, int]]:
    """Per counterpart: how many messages wait and how many are dead letters."""
    from django.db.models import Count

    rows = (
        OutboxMessage.objects.exclude(state=State.DELIVERED)
        .values("target", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["target"], {State.PENDING: 0, State.FAILED: 0})[row["state"]] = row["n"]
    return found
