"""The SIPAS API of contract §10: questionnaire, surveys and their plan, paper forms, progress, the
index against an independent recount of the raw answers; bad input and permissions."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.conftest import error_of
from motcua.dossiers.tests.conftest import World
from motcua.sipas.models import Response, Survey, SurveyUnit
from motcua.sipas.tests.conftest import form_data

UNITS = ["H15.STC", "H15.16", "H15.100", "H15.105"]


def item_codes() -> list[str]:
    data = form_data()
    return [i["code"] for p in data["pillars"] for e in p["elements"] for i in e["items"]]


def test_questionnaire_has_the_contract_shape(questionnaire: Any, api: APIClient) -> None:
    response = api.get("/api/v1/sipas/questionnaires/2024")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2024 and body["scale"] == [1, 2, 3, 4, 5]
    assert [p["code"] for p in body["pillars"]] == ["I", "II"]
    assert [e["code"] for e in body["pillars"][1]["elements"]] == ["II.1", "II.2", "II.3", "II.4", "II.5"]
    first = body["pillars"][0]["elements"][0]
    assert set(first) == {"code", "name", "items"} and set(first["items"][0]) == {"code", "text"}
    assert sum(len(e["items"]) for p in body["pillars"] for e in p["elements"]) == 33
    assert api.get("/api/v1/sipas/questionnaires/2019").status_code == 404


def test_admin_creates_a_survey_with_its_sampling_plan(world: World, questionnaire: Any) -> None:
    response = world.client(world.admin).post(
        "/api/v1/sipas/surveys",
        {"year": 2026, "agency_code": "H15", "from": "2026-03-01", "to": "2026-06-30", "sample_size": 10},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["from"] == "2026-03-01" and body["to"] == "2026-06-30"
    units = {u["unit_code"]: u["quota"] for u in body["units"]}
    # Departments and communes under H15 (not the province itself nor the centres); no returned
    # dossiers yet, so an equal split by largest remainder, summing to the sample.
    assert set(units) == set(UNITS)
    assert sorted(units.values()) == [2, 2, 3, 3] and sum(units.values()) == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agency_code": "H99"}, "agency_code"),
        ({"year": 2019}, "year"),
        ({"sample_size": 0}, "sample_size"),
        ({"to": "2025-01-01"}, "to"),
        ({"from": "hôm nay"}, "from"),
    ],
)
def test_bad_survey_is_a_400_naming_the_field(
    world: World, questionnaire: Any, changes: dict[str, Any], field: str
) -> None:
    body = {"year": 2026, "agency_code": "H15", "from": "2026-03-01", "to": "2026-06-30", "sample_size": 10}
    response = world.client(world.admin).post("/api/v1/sipas/surveys", {**body, **changes}, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert Survey.objects.count() == 0


def test_only_admins_create_surveys(world: World, questionnaire: Any, api: APIClient) -> None:
    body = {"year": 2026, "agency_code": "H15", "from": "2026-03-01", "to": "2026-06-30", "sample_size": 10}
    assert (
        world.client(world.supervisor).post("/api/v1/sipas/surveys", body, format="json").status_code == 403
    )
    assert api.post("/api/v1/sipas/surveys", body, format="json").status_code == 401
    assert Survey.objects.count() == 0


def paper(n: int, unit: str, answers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"unit_code": unit, "form_number": f"P-{n:04d}", "answers": answers, **extra}


def test_index_reproduces_an_independent_recount_of_the_raw_answers(world: World, survey: Survey) -> None:
    codes = item_codes()
    rng = random.Random(7)
    raw: list[tuple[str, dict[str, int | None]]] = []
    client = world.client(world.admin)
    for n in range(30):
        unit = UNITS[n % 4]
        answers = {c: rng.choice([1, 2, 3, 4, 4, 5, 5, None]) for c in codes}
        raw.append((unit, answers))
        response = client.post(
            f"/api/v1/sipas/surveys/{survey.pk}/responses", paper(n, unit, answers), format="json"
        )
        assert response.status_code == 201, response.json()

    def recount(rows: list[dict[str, int | None]]) -> float:
        data = form_data()
        pillars = []
        for p in data["pillars"]:
            elements = []
            for e in p["elements"]:
                items = []
                for i in e["items"]:
                    valid = [r[i["code"]] for r in rows if r.get(i["code"]) is not None]
                    if valid:
                        items.append(100 * len([v for v in valid if v in (4, 5)]) / len(valid))
                elements.append(sum(items) / len(items))
            pillars.append(sum(elements) / len(elements))
        return sum(pillars) / len(pillars)

    body = client.get(f"/api/v1/sipas/index?survey={survey.pk}").json()
    assert body["responses"] == 30
    assert body["overall"] == pytest.approx(recount([a for _u, a in raw]), abs=0.01)
    item = body["pillars"][1]["elements"][2]["items"][0]
    valid = [a[item["code"]] for _u, a in raw if a[item["code"]] is not None]
    assert item["n"] == len(valid)
    assert item["index"] == pytest.approx(100 * sum(v >= 4 for v in valid) / len(valid), abs=0.01)

    communes = client.get(f"/api/v1/sipas/index?survey={survey.pk}&agency=H15.100").json()
    assert communes["overall"] == pytest.approx(recount([a for u, a in raw if u == "H15.100"]), abs=0.01)

    ranked = client.get(f"/api/v1/sipas/index?survey={survey.pk}&by=unit").json()["units"]
    assert [u["rank"] for u in ranked] == sorted(u["rank"] for u in ranked)
    for row in ranked:
        assert set(row) == {"unit_code", "name", "overall", "responses", "rank"}
        assert row["overall"] == pytest.approx(
            recount([a for u, a in raw if u == row["unit_code"]]), abs=0.01
        )

    xlsx = client.get(f"/api/v1/sipas/index?survey={survey.pk}&format=xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    overall_row = next(r for r in book["Chỉ số"].iter_rows(values_only=True) if r[1] == "Chỉ số chung")
    assert overall_row[2] == body["overall"]
    assert [r[1] for r in book["Xếp hạng"].iter_rows(min_row=2, values_only=True)] == [
        u["unit_code"] for u in ranked
    ]


def test_progress_counts_forms_against_quotas(world: World, survey: Survey) -> None:
    client = world.client(world.admin)
    codes = item_codes()
    for n in range(3):
        client.post(
            f"/api/v1/sipas/surveys/{survey.pk}/responses", paper(n, "H15.105", {codes[0]: 5}), format="json"
        )
    body = client.get(f"/api/v1/sipas/surveys/{survey.pk}/progress").json()
    row = next(u for u in body["units"] if u["unit_code"] == "H15.105")
    assert row == {**row, "quota": 10, "responses": 3, "paper": 3, "online": 0, "percent": 30.0}
    assert body["responses"] == 3 and body["sample_size"] == 40


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": {"Q9.1": 6}}, "answers.Q9.1"),
        ({"answers": {"Q9.1": 0}}, "answers.Q9.1"),
        ({"answers": {"Q9.1": "5"}}, "answers.Q9.1"),
        ({"answers": {"Q9.1": True}}, "answers.Q9.1"),
        ({"answers": {"Q9.99": 4}}, "answers.Q9.99"),
        ({"answers": {}}, "answers"),
        ({"answers": [4, 5]}, "answers"),
        ({"unit_code": "H15.TTPV"}, "unit_code"),
        ({"unit_code": "H99.1"}, "unit_code"),
        ({"respondent": {"gender": "Khác lạ"}}, "respondent.gender"),
        ({"perceptions": {"Q4": "Có nhiều", "Q42": "x"}}, "perceptions.Q42"),
        ({"form_number": ""}, "form_number"),
    ],
)
def test_bad_paper_form_is_a_400_naming_the_field_and_nothing_is_written(
    world: World, survey: Survey, changes: dict[str, Any], field: str
) -> None:
    body = {**paper(1, "H15.100", {"Q9.1": 4, "Q9.2": None}), **changes}
    response = world.client(world.admin).post(
        f"/api/v1/sipas/surveys/{survey.pk}/responses", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in error_of(response)["fields"]
    assert Response.objects.count() == 0


def test_the_same_form_number_twice_is_a_409(world: World, survey: Survey) -> None:
    client = world.client(world.admin)
    url = f"/api/v1/sipas/surveys/{survey.pk}/responses"
    assert client.post(url, paper(1, "H15.100", {"Q9.1": 4}), format="json").status_code == 201
    second = client.post(url, paper(1, "H15.105", {"Q9.1": 2}), format="json")
    assert second.status_code == 409
    assert error_of(second)["code"] == "duplicate" and "form_number" in error_of(second)["fields"]
    assert Response.objects.count() == 1


def test_officers_enter_forms_of_their_own_units_only(world: World, survey: Survey) -> None:
    url = f"/api/v1/sipas/surveys/{survey.pk}/responses"
    # The commune's desk (H15.100.TTPV) keys its commune's forms, not the Department of Finance's.
    desk = world.client(world.commune_receiver)
    assert desk.post(url, paper(1, "H15.STC", {"Q9.1": 4}), format="json").status_code == 403
    assert desk.post(url, paper(4, "H15.100", {"Q9.1": 4}), format="json").status_code == 201
    own = world.client(world.specialist).post(url, paper(2, "H15.STC", {"Q9.1": 4}), format="json")
    assert own.status_code == 201, own.json()
    citizen = world.client(world.citizen).post(url, paper(3, "H15.STC", {"Q9.1": 4}), format="json")
    assert citizen.status_code == 403
    assert world.client(world.citizen).get(f"/api/v1/sipas/index?survey={survey.pk}").status_code == 404
    assert Response.objects.count() == 2


def test_index_bad_parameters(world: World, survey: Survey) -> None:
    client = world.client(world.admin)
    assert "survey" in error_of(client.get("/api/v1/sipas/index"))["fields"]
    assert "by" in error_of(client.get(f"/api/v1/sipas/index?survey={survey.pk}&by=pillar"))["fields"]
    assert "format" in error_of(client.get(f"/api/v1/sipas/index?survey={survey.pk}&format=pdf"))["fields"]
    assert "agency" in error_of(client.get(f"/api/v1/sipas/index?survey={survey.pk}&agency=H99"))["fields"]
    assert client.get("/api/v1/sipas/index?survey=999").status_code == 404


def test_empty_survey_has_no_index(world: World, survey: Survey) -> None:
    body = world.client(world.admin).get(f"/api/v1/sipas/index?survey={survey.pk}").json()
    assert body["overall"] is None and body["responses"] == 0
    assert SurveyUnit.objects.filter(survey=survey).count() == 4
