"""The lists every officer and citizen opens all day cost the same number of queries for 3 dossiers
as for 15: nothing is read per row (the queue once asked the calendar ~25 times, once per row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import applicant


def _add(world: Any, n: int) -> None:
    for i in range(n):
        dossier, _ = services.create_dossier(
            actor=world.citizen,
            procedure_code="1.000956",
            channel="online",
            applicant=commands.Applicant(**applicant(full_name=f"Người nộp {i}")),
            documents=[commands.DocumentIn("GDN", "Giấy đề nghị"), commands.DocumentIn("DL", "Điều lệ")],
        )
        services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
        if i % 2:
            services.act(
                actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Thẩm định hồ sơ")
            )


def _queries(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_lists_cost_the_same_whatever_their_length(world: Any) -> None:
    desk, specialist, citizen = Client(), Client(), Client()
    desk.force_login(world.receiver)
    specialist.force_login(world.specialist)
    citizen.force_login(world.citizen)
    api = APIClient()
    api.force_authenticate(world.receiver)
    pages: dict[str, Callable[[], Any]] = {
        "the desk's queue": lambda: desk.get("/can-bo/?hang=to_forward"),
        "the specialist's queue": lambda: specialist.get("/can-bo/?hang=here"),
        "the citizen's dossiers": lambda: citizen.get("/ho-so/"),
        "the API list": lambda: api.get("/api/v1/dossiers", {"page_size": 50}),
    }
    _add(world, 3)
    for page in pages.values():
        page()  # warm: the calendar and the templates are read once per process
    few = {name: _queries(page) for name, page in pages.items()}
    _add(world, 12)
    many = {name: _queries(page) for name, page in pages.items()}
    assert many == few, (few, many)
    assert max(few.values()) <= 20, few
