"""The admins' page of the outbox: counterparts with their queues, dead letters, and "send again"."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from motcua.accounts.models import User
from motcua.outbox import services
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_letter() -> OutboxMessage:
    with transaction.atomic():
        message = services.enqueue("sms", "sms:page", {}, event="received")
        services.enqueue("email", "email:page", {}, event="received")
    assert message is not None
    OutboxMessage.objects.filter(id=message.id).update(
        state=State.FAILED, last_error="ERROR 9: template", attempts=1
    )
    return message


def test_an_admin_sees_the_queues_and_sends_a_dead_letter_again(
    client: Client, dead_letter: OutboxMessage
) -> None:
    admin = User.objects.create_superuser("root", password="x-secret-42")
    client.force_login(admin)
    page = client.get("/can-bo/ket-noi/").content.decode()
    assert "ERROR 9: template" in page and 'Thư điện tử <code class="small">email</code>' in page
    response = client.post(f"/can-bo/ket-noi/{dead_letter.id}/gui-lai/")
    assert response.status_code == 302
    assert OutboxMessage.objects.get(id=dead_letter.id).state == State.PENDING
    assert "ERROR 9: template" not in client.get("/can-bo/ket-noi/").content.decode()


def test_desk_officers_may_not_open_it(client: Client, world: Any, dead_letter: OutboxMessage) -> None:
    client.force_login(world.receiver)
    assert client.get("/can-bo/ket-noi/").status_code == 403
    assert client.post(f"/can-bo/ket-noi/{dead_letter.id}/gui-lai/").status_code == 403
    assert OutboxMessage.objects.get(id=dead_letter.id).state == State.FAILED
