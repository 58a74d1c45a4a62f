"""Helpers for the notification tests: dossiers whose applicant has a phone and an e-mail."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.tests.conftest import CITIZEN_ID, World
from motcua.notifications.templates import CHANNELS
from motcua.outbox.models import OutboxMessage


@pytest.fixture
def channels_on(settings: Any) -> None:
    """SMS and Zalo on (pointed at stand-ins that need not run), e-mail through Django's locmem."""
    settings.MOTCUA_STANDINS_URL = "http://127.0.0.1:9"
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": "locmem:"}


def counter_dossier(world: World, *, phone: str = "0912 345 678", email: str = "an@example.vn") -> Any:
    """Received at the provincial desk at once (and so notified at once)."""
    from motcua.dossiers import commands, services

    dossier, _new = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(
            kind="individual", full_name="Nguyễn Văn An", id_number=CITIZEN_ID, phone=phone, email=email
        ),
        documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp")],
    )
    return dossier


def online_dossier(world: World, *, phone: str = "0912345678", email: str = "an@example.vn") -> Any:
    from motcua.dossiers import commands, services

    dossier, _new = services.create_dossier(
        actor=world.citizen,
        procedure_code="1.000956",
        channel="online",
        applicant=commands.Applicant(
            kind="individual", full_name="H'Hen Niê", id_number=CITIZEN_ID, phone=phone, email=email
        ),
        documents=[
            commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp"),
            commands.DocumentIn(code="DL", name="Điều lệ công ty"),
        ],
    )
    return dossier


def notices(dossier: Any) -> Any:
    """The dossier's notifications in the outbox (not its other messages, e.g. the portal's sync)."""
    return OutboxMessage.objects.filter(dossier=dossier, target__in=CHANNELS)


def states(dossier: Any) -> dict[str, str]:
    """Channel → the state of its (one) notification."""
    return dict(notices(dossier).values_list("target", "state"))
