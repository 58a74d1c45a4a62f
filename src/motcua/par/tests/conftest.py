"""PAR fixtures on the small province of the dossier tests (H15: two departments, two communes)."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers.tests.conftest import World
from motcua.par import services
from motcua.par.models import Assessment, Framework

YEAR = timezone.localdate().year


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(services.EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def framework(db: Any) -> Framework:
    data = copy.deepcopy(example())
    data["year"] = YEAR
    return services.load_framework(data=data)[0]


@pytest.fixture
def assessment(world: World, framework: Framework) -> Assessment:
    return services.create_assessment(
        actor=world.admin,
        year=YEAR,
        framework_code=framework.code,
        unit_codes=["H15.STC", "H15.16"],
        deadline=date(YEAR + 1, 1, 15),
    )
