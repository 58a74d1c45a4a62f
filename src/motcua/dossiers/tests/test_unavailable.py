"""A desk's or citizen's POST answered 503 (the primary restarting) is sent again with the same
Idempotency-Key: whether the first attempt committed or not, the dossier exists once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError

from motcua.dossiers import api
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World, applicant
from motcua.outbox import services as outbox

pytestmark = pytest.mark.django_db

BODY = {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()}


def once(real: Any) -> Any:
    """``real``, except that its first call loses the database connection."""
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(*args, **kwargs)

    return flaky


def test_a_503_before_the_commit_then_the_retry_creates_it(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(outbox, "enqueue_many", once(outbox.enqueue_many))  # inside the transaction
    citizen = world.client(world.citizen)
    first = citizen.post("/api/v1/dossiers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert first.status_code == 503 and first["Retry-After"]
    assert not Dossier.objects.exists()  # rolled back
    again = citizen.post("/api/v1/dossiers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert again.status_code == 201
    assert Dossier.objects.filter(idempotency_key="k-503").count() == 1


def test_a_503_after_the_commit_then_the_retry_finds_it(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(api, "DossierSerializer", once(api.DossierSerializer))  # the answer, after it
    citizen = world.client(world.citizen)
    first = citizen.post("/api/v1/dossiers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert first.status_code == 503 and first["Retry-After"]
    made = Dossier.objects.get(idempotency_key="k-503")
    again = citizen.post("/api/v1/dossiers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-503")
    assert again.status_code == 200 and again.json()["id"] == made.pk
    assert Dossier.objects.filter(idempotency_key="k-503").count() == 1
