"""Admins see the dead letters and put them back in line (contract §8); nobody else sees the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from motcua.conftest import error_of
from motcua.outbox import services
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


def test_admins_list_failed_messages_and_retry_them(admin_api: APIClient) -> None:
    with transaction.atomic():
        dead = services.enqueue("sms", "sms:1", {}, event="received")
        services.enqueue("sms", "sms:2", {}, event="received")
    assert dead is not None
    OutboxMessage.objects.filter(id=dead.id).update(state=State.FAILED, last_error="HTTP 500", attempts=20)
    listed = admin_api.get("/api/v1/integrations/outbox?state=failed").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert (row["id"], row["target"], row["state"], row["last_error"]) == (
        dead.id,
        "sms",
        "failed",
        "HTTP 500",
    )
    again = admin_api.post(f"/api/v1/integrations/outbox/{dead.id}/retry")
    assert again.status_code == 200 and again.json()["state"] == "pending"
    assert admin_api.get("/api/v1/integrations/outbox?state=failed").json()["count"] == 0
    assert admin_api.post(f"/api/v1/integrations/outbox/{dead.id}/retry").status_code == 409
    assert admin_api.post("/api/v1/integrations/outbox/999999/retry").status_code == 404


def test_a_wrong_state_is_named(admin_api: APIClient) -> None:
    response = admin_api.get("/api/v1/integrations/outbox?state=dead")
    assert response.status_code == 400 and "state" in error_of(response)["fields"]


def test_staff_and_strangers_do_not_see_the_outbox(api: APIClient, world: Any) -> None:
    assert api.get("/api/v1/integrations/outbox").status_code == 401
    api.force_authenticate(world.receiver)
    assert api.get("/api/v1/integrations/outbox").status_code == 403
