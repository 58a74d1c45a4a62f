"""The demo catalog: who settles each procedure under the 2025 two-level government, and publication
dates that give the transparency indicators (Decision 766, group 1) realistic values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.catalog import exchange

DATA = Path(__file__).resolve().parents[1] / "data"
PROCEDURES = json.loads((DATA / "procedures.json").read_text(encoding="utf-8"))
AGENCIES = json.loads((DATA / "agencies.json").read_text(encoding="utf-8"))
COMMUNES = sorted(a["code"] for a in AGENCIES if a["kind"] == "commune")
COMMUNE_POLICE = sorted(a["code"] for a in AGENCIES if a["code"].startswith("H15.39.X"))
BY_CODE = {p["code"]: p for p in PROCEDURES}


def test_the_demo_catalog_is_valid_exchange_data() -> None:
    _specs, errors = exchange.validate(PROCEDURES)
    assert errors == {}


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p["code"])
def test_who_settles_each_procedure(procedure: dict[str, Any]) -> None:
    implementing = procedure.get("implementing_agency_codes", [procedure["agency_code"]])
    assert procedure["agency_code"] in implementing
    if procedure["level"] == "commune" and procedure["agency_code"] in COMMUNES:
        assert implementing == COMMUNES  # every commune People's Committee of the province
    elif procedure["level"] == "commune":
        assert implementing == COMMUNE_POLICE  # residence: the commune police
    else:
        assert implementing == [procedure["agency_code"]]


def test_levels_under_the_two_level_government() -> None:
    commune = {
        "1.001193",  # khai sinh and the other civil-status procedures (Decree 120/2025)
        "1.000894",
        "1.000656",
        "2.000635",
        "2.000815",  # chứng thực
        "2.000884",
        "2.001035",
        "1.009994",  # GPXD nhà ở riêng lẻ (Decree 140/2025)
        "1.001612",  # hộ kinh doanh
        "1.004222",  # cư trú, at the commune police
    }
    assert all(BY_CODE[code]["level"] == "commune" for code in commune)
    assert BY_CODE["1.000956"]["level"] == "province" and BY_CODE["1.000956"]["agency_code"] == "H15.STC"
    assert BY_CODE["3.000333"]["level"] == "province" and BY_CODE["3.000333"]["agency_code"] == "H15.39"


@pytest.mark.django_db
def test_transparency_indicators_of_the_demo_province(settings: Any, tmp_path: Path) -> None:
    """Decisions of this year, mostly on time: the indicators are neither zero nor a flat 100 %."""
    settings.MEDIA_ROOT = tmp_path
    call_command("demo-data", dossiers=0, stdout=None)
    from motcua.accounts.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username="giamsat"))
    index = client.get(
        "/api/v1/metrics/service-index", {"agency": "H15", "from": "2026-01-01", "to": "2026-12-01"}
    )
    assert index.status_code == 200, index.json()
    transparency = next(g for g in index.json()["groups"] if g["code"] == "transparency")
    found = {i["code"]: (i["numerator"], i["denominator"]) for i in transparency["indicators"]}
    assert found["publish_on_time"] == (21, 25)  # certification (3) and construction (1) decided late
    assert found["public_update_on_time"] == (19, 25)  # residence and land made public late
    assert found["public_content_full"] == (25, 25)


@pytest.mark.django_db
def test_the_demo_agencies_have_a_collecting_account(settings: Any, tmp_path: Path) -> None:
    from motcua.agencies.models import Agency
    from motcua.integrations.payment.services import collecting_account

    settings.MEDIA_ROOT = tmp_path
    call_command("demo-data", dossiers=0, petitions=0, stdout=None)
    commune = Agency.objects.filter(kind="commune").first()
    assert commune is not None
    account = collecting_account(commune)  # the province's serves every agency under it
    assert account is not None and account.agency.code == "H15" and account.bank_bin == "970415"
