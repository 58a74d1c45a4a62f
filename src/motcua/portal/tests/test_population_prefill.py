"""A citizen logged in with VNeID finds the submission form filled from the population database, and
the dossier says its data came from there (contract §8.2)."""

from __future__ import annotations

import html
import re
from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import logged_in
from motcua.integrations.models import PopulationLookup
from motcua.portal.tests.test_views import pdf
from motcua.standins.citizens import all_citizens

URL = "/thu-tuc/1.000956/nop-truc-tuyen/"
PERSON = all_citizens()[4]


def with_claims(client: Any, birth_date: str) -> Any:
    session = client.session
    session["vneid_verified"] = True  # as the VNeID login leaves it (accounts/sessions.py)
    session["vneid_claims"] = {
        "id_number": PERSON.id_number,
        "full_name": PERSON.full_name,
        "birth_date": birth_date,
        "phone": "",
        "email": "",
    }
    session.save()
    return client


def value_of(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def test_prefilled_from_the_registry_and_flagged(world: Any, standins: Any) -> None:
    client = with_claims(logged_in(world.citizen), PERSON.birth_date.isoformat())
    page = client.get(URL).content.decode()
    assert "được lấy từ CSDL quốc gia về dân cư" in page
    assert value_of(page, "full_name") == PERSON.full_name
    assert value_of(page, "id_number") == PERSON.id_number
    assert value_of(page, "address") == PERSON.current.text
    row = PopulationLookup.objects.get()
    assert row.officer == world.citizen and row.outcome == "found"
    client.get(URL)
    assert PopulationLookup.objects.count() == 1  # once per draft

    fields = {
        "kind": "individual",
        "full_name": PERSON.full_name,
        "id_number": PERSON.id_number,
        "phone": "0905123456",
        "address": PERSON.current.text,
        "doc_0": pdf(),
        "doc_1": pdf("dieu-le.pdf"),
    }
    assert client.post(URL, fields).status_code == 302
    client.post(f"{URL}xem-lai/")
    dossier = Dossier.objects.get()
    assert dossier.population_data_used and dossier.applicant_address == PERSON.current.text
    row.refresh_from_db()
    assert row.dossier == dossier


def test_without_a_birth_date_the_year_in_the_id_serves(world: Any, standins: Any) -> None:
    page = with_claims(logged_in(world.citizen), "").get(URL).content.decode()
    assert value_of(page, "address") == PERSON.current.text


def test_a_changed_personal_id_does_not_use_the_lookup(world: Any, standins: Any) -> None:
    client = with_claims(logged_in(world.citizen), PERSON.birth_date.isoformat())
    client.get(URL)
    fields = {
        "kind": "individual",
        "full_name": "H'Hen Niê",
        "id_number": "066195012345",
        "doc_0": pdf(),
        "doc_1": pdf("dieu-le.pdf"),
    }
    client.post(URL, fields)
    client.post(f"{URL}xem-lai/")
    assert Dossier.objects.get().population_data_used is False


def test_no_claims_or_registry_off_no_lookup(world: Any, standins: Any, settings: Any) -> None:
    page = logged_in(world.citizen).get(URL).content.decode()
    assert "CSDL quốc gia về dân cư" not in page
    settings.MOTCUA_STANDINS_URL = ""
    settings.MOTCUA_INTEGRATIONS = {"population": {"url": ""}}
    with_claims(logged_in(world.citizen), PERSON.birth_date.isoformat()).get(URL)
    assert PopulationLookup.objects.count() == 0
