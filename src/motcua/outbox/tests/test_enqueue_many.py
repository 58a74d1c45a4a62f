"""enqueue_many: the one INSERT an action's notifications take, read back as the ORM writes rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.outbox import services
from motcua.outbox.models import OutboxMessage, State


def message(key: str, **changes: object) -> OutboxMessage:
    fields: dict[str, object] = {
        "target": "sms",
        "key": key,
        "stream": "notify:1:sms",
        "event": "received",
        "payload": {"to": "84912345678", "params": {"code": "H15-1", "name": "Nguyễn Thị Ánh"}},
    }
    return OutboxMessage(**(fields | changes))


@pytest.mark.django_db
def test_rows_read_back_like_the_orms_and_a_repeated_key_is_left_alone() -> None:
    later = timezone.now() + timedelta(minutes=5)
    with transaction.atomic():
        services.enqueue_many([message("a"), message("b", target="zalo", next_attempt_at=later)])
        services.enqueue_many([message("a", payload={"other": True})])
    a, b = OutboxMessage.objects.order_by("key")
    assert (a.key, a.target, a.state, a.attempts, a.claimed_by, a.last_error) == (
        "a",
        "sms",
        State.PENDING,
        0,
        "",
        "",
    )
    assert a.payload == {"to": "84912345678", "params": {"code": "H15-1", "name": "Nguyễn Thị Ánh"}}
    assert a.claimed_until is None and a.delivered_at is None and a.dossier_id is None
    assert a.next_attempt_at == a.created_at and abs(a.created_at - timezone.now()) < timedelta(seconds=5)
    assert b.target == "zalo" and b.next_attempt_at == later
    assert OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=timezone.now()).count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        services.enqueue_many([message("c")])
