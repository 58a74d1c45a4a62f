"""POST /api/v1/population/lookup and the dossiers that use a look-up, against the real stand-ins
process (contract §8.2)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings

from motcua.conftest import error_of
from motcua.core.throttling import WindowThrottle
from motcua.dossiers.models import Dossier
from motcua.integrations.models import PopulationLookup
from motcua.standins.citizens import Citizen, all_citizens

URL = "/api/v1/population/lookup"


@pytest.fixture
def person() -> Citizen:
    return all_citizens()[3]


def body(person: Citizen, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id_number": person.id_number,
        "full_name": person.full_name,
        "birth_date": person.birth_date.isoformat(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_match_answers_the_record_and_is_audited(world: Any, standins: Any, person: Citizen) -> None:
    response = world.client(world.receiver).post(
        URL, format="json", data=body(person, full_name=person.full_name.lower())
    )
    assert response.status_code == 200, response.content
    found = response.json()
    assert set(found) == {
        "lookup_id",
        "id_number",
        "full_name",
        "birth_date",
        "sex",
        "permanent_address",
        "current_address",
    }
    assert found["id_number"] == person.id_number and found["full_name"] == person.full_name
    assert found["birth_date"] == person.birth_date.isoformat()
    assert found["sex"] == ("male" if person.male else "female")
    assert found["permanent_address"] == person.permanent.text
    assert found["current_address"] == person.current.text
    row = PopulationLookup.objects.get()
    assert str(row.lookup_id) == found["lookup_id"] and row.officer == world.receiver
    assert row.outcome == "found" and row.dossier is None and row.request_id.startswith("MC")
    keyed = hmac.new(
        django_settings.SECRET_KEY.encode(), person.id_number.encode(), hashlib.sha256
    ).hexdigest()
    assert row.id_number_hash == keyed and person.id_number not in row.id_number_hash
    assert row.record is not None and row.record["id_number"] == person.id_number


def test_by_birth_year_and_the_roles_that_may(world: Any, standins: Any, person: Citizen) -> None:
    by_year = body(person, birth_date=None, birth_year=person.birth_date.year)
    for user in (world.receiver, world.specialist, world.leader):
        response = world.client(user).post(URL, format="json", data=by_year)
        assert response.status_code == 200 and response.json()["birth_date"] == person.birth_date.isoformat()
    for user in (world.citizen, world.supervisor, world.admin):
        response = world.client(user).post(URL, format="json", data=by_year)
        assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    from rest_framework.test import APIClient

    assert APIClient().post(URL, format="json", data=by_year).status_code == 401
    assert PopulationLookup.objects.count() == 3


def test_no_match_is_a_404_and_audited(world: Any, standins: Any, person: Citizen) -> None:
    response = world.client(world.receiver).post(
        URL, format="json", data=body(person, birth_year=1901, birth_date=None)
    )
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "citizen_not_found" and "CSDL quốc gia về dân cư" in error["message"]
    assert PopulationLookup.objects.get().outcome == "not_found"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "12345"}, "id_number"),
        ({"id_number": "999090001234"}, "id_number"),  # not a province code
        ({"id_number": "06609000123a"}, "id_number"),
        ({"full_name": None}, "full_name"),
        ({"full_name": ""}, "full_name"),
        ({"birth_date": None}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "01/02/1990"}, "birth_date"),
    ],
)
def test_bad_input_is_a_400_and_calls_nothing(
    world: Any, standins: Any, person: Citizen, changes: dict[str, Any], field: str
) -> None:
    response = world.client(world.receiver).post(URL, format="json", data=body(person, **changes))
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert PopulationLookup.objects.count() == 0


@pytest.mark.parametrize(
    ("mode", "knobs"), [("error", {}), ("malformed", {}), ("timeout", {"hold_seconds": 1.0})]
)
def test_a_registry_down_slow_or_broken_is_a_503(
    world: Any, standins: Any, settings: Any, person: Citizen, mode: str, knobs: dict[str, Any]
) -> None:
    settings.MOTCUA_INTEGRATION_TIMEOUT = 0.3
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    standins.fault("population", mode, **knobs)
    response = world.client(world.receiver).post(
        URL, format="json", data=body(person), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "registry_unavailable"
    assert "CSDL quốc gia về dân cư" in error["message"]
    assert PopulationLookup.objects.get().outcome == "unavailable"


def test_refused_credentials_are_a_503_recorded_as_rejected(
    world: Any, standins: Any, settings: Any, person: Citizen
) -> None:
    settings.MOTCUA_INTEGRATIONS = {"population": {"secret": "not-the-one"}}  # noqa: S105 — wrong on purpose
    response = world.client(world.receiver).post(URL, format="json", data=body(person))
    assert response.status_code == 503 and error_of(response)["code"] == "registry_unavailable"
    assert PopulationLookup.objects.get().outcome == "rejected"


def test_switched_off_says_so_and_records_nothing(world: Any, settings: Any, person: Citizen) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    settings.MOTCUA_INTEGRATIONS = {"population": {"url": ""}}
    response = world.client(world.receiver).post(URL, format="json", data=body(person))
    assert response.status_code == 503 and error_of(response)["code"] == "registry_not_connected"
    assert PopulationLookup.objects.count() == 0


def test_rate_limited_per_officer(
    world: Any, standins: Any, person: Citizen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"population": "2/min"})
    desk = world.client(world.receiver)
    assert [desk.post(URL, format="json", data=body(person)).status_code for _ in range(2)] == [200, 200]
    refused = desk.post(URL, format="json", data=body(person))
    assert refused.status_code == 429 and error_of(refused)["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    assert (
        world.client(world.specialist).post(URL, format="json", data=body(person)).status_code == 200
    )  # another officer
    assert PopulationLookup.objects.count() == 3


def test_the_personal_id_is_never_logged(
    world: Any, standins: Any, settings: Any, person: Citizen, caplog: pytest.LogCaptureFixture
) -> None:
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    caplog.set_level(logging.DEBUG)
    desk = world.client(world.receiver)
    desk.post(URL, format="json", data=body(person))
    desk.post(URL, format="json", data=body(person, birth_year=1901, birth_date=None))
    standins.fault("population", "malformed", count=1)
    desk.post(URL, format="json", data=body(person))
    assert "population lookup MC" in caplog.text  # the audit line is there …
    assert person.id_number not in caplog.text  # … without the number
    for record in caplog.records:
        assert person.id_number not in record.getMessage()


# --- dossiers that use a look-up --------------------------------------------------------------------


def dossier_body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure_code": "1.000956",
        "channel": "counter",
        "applicant": {"kind": "individual", "phone": "0905123456"},
        "documents": [{"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp"}],
    }
    data.update(changes)
    return data


def test_a_dossier_filled_from_a_lookup(world: Any, standins: Any, person: Citizen) -> None:
    desk = world.client(world.receiver)
    lookup_id = desk.post(URL, format="json", data=body(person)).json()["lookup_id"]
    response = desk.post("/api/v1/dossiers", dossier_body(population_lookup_id=lookup_id), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["population_data_used"] is True
    assert created["applicant"] == {
        "kind": "individual",
        "full_name": person.full_name,
        "id_number": person.id_number,
        "phone": "0905123456",
        "email": "",
        "address": person.current.text,
    }
    row = PopulationLookup.objects.get()
    assert row.dossier_id == created["id"]
    # Used once: a second dossier cannot claim the same look-up.
    again = desk.post("/api/v1/dossiers", dossier_body(population_lookup_id=lookup_id), format="json")
    assert again.status_code == 400 and "population_lookup_id" in error_of(again)["fields"]


def test_what_was_typed_stays(world: Any, standins: Any, person: Citizen) -> None:
    desk = world.client(world.receiver)
    lookup_id = desk.post(URL, format="json", data=body(person)).json()["lookup_id"]
    applicant = {"kind": "individual", "full_name": "Tên Gọi Khác", "address": "Nhà riêng"}
    response = desk.post(
        "/api/v1/dossiers", dossier_body(applicant=applicant, population_lookup_id=lookup_id), format="json"
    )
    assert response.status_code == 201
    got = response.json()["applicant"]
    assert (got["full_name"], got["address"], got["id_number"]) == (
        "Tên Gọi Khác",
        "Nhà riêng",
        person.id_number,
    )


def test_only_your_own_lookup_that_found_someone(world: Any, standins: Any, person: Citizen) -> None:
    desk = world.client(world.receiver)
    theirs = world.client(world.specialist).post(URL, format="json", data=body(person)).json()["lookup_id"]
    desk.post(URL, format="json", data=body(person, birth_year=1901, birth_date=None))
    missed = str(PopulationLookup.objects.get(outcome="not_found").lookup_id)
    for lookup_id in (theirs, missed, str(uuid.uuid4())):
        response = desk.post("/api/v1/dossiers", dossier_body(population_lookup_id=lookup_id), format="json")
        assert response.status_code == 400, lookup_id
        assert "population_lookup_id" in error_of(response)["fields"]
    other_id = desk.post(URL, format="json", data=body(person)).json()["lookup_id"]
    mismatch = dossier_body(
        applicant={"kind": "individual", "id_number": "079200000001"}, population_lookup_id=other_id
    )
    response = desk.post("/api/v1/dossiers", mismatch, format="json")
    assert response.status_code == 400 and "applicant.id_number" in error_of(response)["fields"]
    assert Dossier.objects.count() == 0


def test_without_a_lookup_the_name_and_id_are_required_and_the_flag_is_false(world: Any) -> None:
    desk = world.client(world.receiver)
    response = desk.post("/api/v1/dossiers", dossier_body(), format="json")
    assert response.status_code == 400
    assert {"applicant.full_name", "applicant.id_number"} <= set(error_of(response)["fields"])
    filled = dossier_body(applicant={"kind": "individual", "full_name": "An", "id_number": "066195012345"})
    created = desk.post("/api/v1/dossiers", filled, format="json")
    assert created.status_code == 201 and created.json()["population_data_used"] is False
    flagged = desk.post("/api/v1/dossiers", {**filled, "population_data_used": True}, format="json")
    assert flagged.status_code == 400  # a client cannot set it (contract §8.2)
    assert set(error_of(flagged)["fields"]) == {"population_data_used"}


def test_a_lookup_taken_by_a_dossier_in_between_is_not_taken_twice(
    world: Any, standins: Any, person: Citizen, monkeypatch: Any
) -> None:
    """The race: two dossiers checked the same unused look-up; the one that attaches second must fail
    and leave nothing behind, not take it too."""
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.conftest import counter_dossier

    desk = world.client(world.receiver)
    lookup_id = desk.post(URL, format="json", data=body(person)).json()["lookup_id"]
    first = counter_dossier(world)
    checked = dossier_services._from_population

    def checked_then_taken(*args: Any, **kwargs: Any) -> Any:
        found = checked(*args, **kwargs)  # the look-up is still free when this dossier checks it ...
        PopulationLookup.objects.filter(lookup_id=lookup_id).update(
            dossier=first
        )  # ... then another takes it
        return found

    monkeypatch.setattr(dossier_services, "_from_population", checked_then_taken)
    before = Dossier.objects.count()
    response = desk.post("/api/v1/dossiers", dossier_body(population_lookup_id=lookup_id), format="json")
    assert response.status_code == 400 and "population_lookup_id" in error_of(response)["fields"]
    assert Dossier.objects.count() == before  # (the simulated other taker rolls back with it here)
