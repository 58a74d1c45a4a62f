"""SIPAS fixtures on the small province of the dossier tests (H15: two departments, two communes)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.tests.conftest import World
from motcua.sipas import services
from motcua.sipas.models import Questionnaire, Survey

FORM = Path(__file__).resolve().parents[1] / "data" / "questionnaire-2023-2026.json"


def form_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FORM.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def questionnaire(db: Any) -> Questionnaire:
    return services.load_questionnaire(data=form_data())[0]


@pytest.fixture
def survey(world: World, questionnaire: Questionnaire) -> Survey:
    return services.create_survey(
        actor=world.admin,
        year=2026,
        agency_code="H15",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        sample_size=40,
    )
