"""Writing to the outbox, and putting a dead letter back in line. Callers write inside their own
transaction (``enqueue`` refuses to run outside one), so the message exists exactly when the change
that caused it does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound
from motcua.outbox.models import OutboxMessage, State


def enqueue(
    target: str,
    key: str,
    payload: dict[str, Any],
    *,
    dossier_id: int | None = None,
    stream: str = "",
    event: str = "",
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Write one message; None when a message with this key already exists (the same event twice)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.enqueue must run inside the transaction of the change it reports")
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: a duplicate key must not spoil the caller's transaction
            return OutboxMessage.objects.create(
                target=target,
                key=key,
                payload=payload,
                dossier_id=dossier_id,
                stream=stream,
                event=event,
                created_at=now,
                next_attempt_at=not_before or now,
            )
    except IntegrityError:
        if OutboxMessage.objects.filter(key=key).exists():
            return None
        raise


_COLUMNS = ("target", "key", "stream", "dossier_id", "event", "payload", "created_at", "next_attempt_at")


def enqueue_many(messages: Sequence[OutboxMessage]) -> None:
    """Write several unsaved messages in one INSERT (what an action sends to several channels); a key
    that already exists is left as it is, as ``enqueue`` does.

    One raw statement rather than ``bulk_create``: on the path of every dossier action, the ORM's
    compiling of the insert cost more than the insert itself (0.8 ms of 1.5 ms on PostgreSQL, see
    docs/benchmarks.md). The other columns take their defaults, as the ORM would write them."""
    if not messages:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.enqueue_many must run inside the transaction of the change it reports")
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params: list[Any] = []
    for m in messages:
        due = connection.ops.adapt_datetimefield_value(m.next_attempt_at) if m.next_attempt_at else now
        params += [m.target, m.key, m.stream, m.dossier_id, m.event, json.dumps(m.payload), now, due]
        params.append(State.PENDING.value)
    row = f"({', '.join(['%s'] * (len(_COLUMNS) + 1))}, 0, '', '')"
    columns = [*_COLUMNS, "state", "attempts", "claimed_by", "last_error"]
    # Names from the model's metadata, values as parameters.
    table, names = quote(OutboxMessage._meta.db_table), ", ".join(quote(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(messages))} ON CONFLICT DO NOTHING"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def retry(message_id: int) -> OutboxMessage:
    """An admin sends a dead letter again: it goes back in line, at the head of its stream."""
    message = OutboxMessage.objects.select_for_update().filter(id=message_id).first()
    if message is None:
        raise NotFound()
    if message.state != State.FAILED:
        raise Conflict(_("Only a failed message can be retried."), code="not_failed")
    message.state = State.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.claimed_until = None
    message.claimed_by = ""
    message.save(update_fields=["state", "attempts", "next_attempt_at", "claimed_until", "claimed_by"])
    return message
