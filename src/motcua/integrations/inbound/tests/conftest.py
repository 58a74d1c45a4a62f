"""The procedure map of the small province of the dossier tests (dossiers/tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motcua.agencies.models import Agency
from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure
from motcua.dossiers.tests.conftest import World, spec
from motcua.integrations.models import ProcedureMapping

MERGER = date(2025, 7, 1)  # the communes merged: from then on Hòa Phú's dossiers go to Buôn Ma Thuột


def _map(
    national: str, agency: str, local: str, to: str, start: date = date(2020, 1, 1), end: date | None = None
) -> None:
    ProcedureMapping.objects.create(
        national_procedure_code=national,
        national_agency_code=agency,
        procedure=Procedure.objects.get(code=local),
        agency=Agency.objects.get(code=to),
        valid_from=start,
        valid_to=end,
    )


@pytest.fixture
def mapped(world: World, settings: Any) -> World:
    settings.MOTCUA_INBOUND_SECRETS = {"dvcqg": "bi-mat-cong-dvcqg", "vneid": "bi-mat-vneid"}
    catalog.create_procedure(
        spec=spec(
            code="3.000333",
            name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
            agency_code="H15.16",
            field="Lý lịch tư pháp",
            steps=[],
            required_documents=[],
        )
    )
    _map("2.000150", "", "1.000956", "H15.STC")  # a business notice, settled by the department
    _map("3.000333", "", "3.000333", "H15.16")
    _map("1.001193", "100", "1.001193", "H15.100")
    _map("1.001193", "105", "1.001193", "H15.105", end=MERGER)
    _map("1.001193", "105", "1.001193", "H15.100", start=MERGER)
    return world
