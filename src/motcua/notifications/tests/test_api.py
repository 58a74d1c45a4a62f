"""GET /api/v1/dossiers/{id}/notifications: whoever sees the dossier, numbers and addresses masked."""

from __future__ import annotations

import pytest

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import World
from motcua.notifications.tests.conftest import counter_dossier, online_dossier
from motcua.outbox.models import OutboxMessage, State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("channels_on")]


def test_the_list_is_masked_with_the_status_of_each(world: World) -> None:
    dossier = counter_dossier(world, phone="0912345678", email="nguyen.an@example.com")
    OutboxMessage.objects.filter(dossier=dossier, target="sms").update(state=State.DELIVERED)
    body = world.client(world.receiver).get(f"/api/v1/dossiers/{dossier.id}/notifications").json()
    assert body == [
        {"channel": "sms", "event": "received", "to": "84******678", "status": "delivered", "sent_at": None},
        {"channel": "zalo", "event": "received", "to": "84******678", "status": "pending", "sent_at": None},
        {
            "channel": "email",
            "event": "received",
            "to": "n***@example.com",
            "status": "pending",
            "sent_at": None,
        },
    ]
    assert "912345" not in str(body) and "nguyen" not in str(body)


def test_skipped_ones_are_listed(world: World) -> None:
    dossier = counter_dossier(world, phone="024 3333 4444", email="")
    body = world.client(world.receiver).get(f"/api/v1/dossiers/{dossier.id}/notifications").json()
    assert [(n["channel"], n["status"], n["to"]) for n in body] == [
        ("sms", "skipped", "02******444"),
        ("zalo", "skipped", "02******444"),
    ]


def test_the_applicant_sees_theirs_another_citizen_gets_404(world: World) -> None:
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    mine = world.client(world.citizen).get(f"/api/v1/dossiers/{dossier.id}/notifications")
    assert mine.status_code == 200 and len(mine.json()) == 3
    other = world.client(world.other_citizen).get(f"/api/v1/dossiers/{dossier.id}/notifications")
    assert other.status_code == 404
    assert other.json()["error"]["code"]
    assert (
        world.client(world.other_specialist).get(f"/api/v1/dossiers/{dossier.id}/notifications").status_code
        == 404
    )
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/dossiers/{dossier.id}/notifications").status_code == 401
