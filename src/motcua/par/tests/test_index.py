"""The index of contract §11: `system` criteria equal the unit's Decision 766 figures for the year
(as the monitoring module computes them), `survey` criteria the unit's SIPAS index, the totals,
ranks and groups, last year's change, and the XLSX equal to the JSON."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from motcua.accounts.services import create_user
from motcua.agencies.models import Agency
from motcua.conftest import error_of
from motcua.dossiers.tests.conftest import World, counter_dossier
from motcua.monitoring import rollup
from motcua.monitoring import selectors as monitoring
from motcua.par import engine, selectors, services
from motcua.par.models import Assessment, Score
from motcua.par.tests.conftest import YEAR, example
from motcua.par.tests.test_flow import score_all
from motcua.sipas import selectors as sipas_selectors
from motcua.sipas import services as sipas_services
from motcua.sipas.tests.conftest import form_data


def index_of(world: World, assessment: Assessment) -> dict[str, dict[str, Any]]:
    response = world.client(world.admin).get(f"/api/v1/par/index?assessment={assessment.pk}")
    assert response.status_code == 200, response.json()
    return {u["unit_code"]: u for u in response.json()["units"]}


def appraise_all(world: World, assessment: Assessment, unit: str, fraction: str) -> None:
    for score in Score.objects.filter(unit__assessment=assessment, unit__agency__code=unit):
        leaf = engine.parse(assessment.framework.tree).criterion(score.criterion)
        assert leaf is not None
        services.appraise(
            actor=world.admin,
            assessment_id=assessment.pk,
            unit_code=unit,
            criterion=score.criterion,
            appraised_score=engine.round2(leaf[1].max_points * Decimal(fraction)),
        )


def test_system_criteria_equal_the_units_766_figures(world: World, assessment: Assessment) -> None:
    for n in range(3):
        counter_dossier(world, name=f"Người nộp {n}")
    rollup.ensure_current()
    agency = Agency.objects.get(code="H15.STC")
    whole, _units = monitoring.service_index(agency, date(YEAR, 1, 1), date(YEAR, 12, 31))
    figures = {i.code: (i.numerator, i.denominator) for g in whole.result.groups for i in g.indicators}
    detail = selectors.unit_payload(
        selectors.unit_row(assessment, assessment.units.get(agency=agency)), detail=True
    )
    framework = engine.parse(assessment.framework.tree)
    judged = 0
    expected_total = Decimal(0)
    for _f, leaf in framework.leaves():
        if leaf.method != "system":
            continue
        numerator, denominator = figures[engine.METRIC_ALIASES[leaf.metric]]
        assert detail["system_figures"][leaf.code] == {"numerator": numerator, "denominator": denominator}
        if denominator:
            judged += 1
            expected = engine.round2(leaf.max_points * Decimal(numerator) / Decimal(denominator))
            assert detail["criteria"][leaf.code] == float(expected)
            expected_total += expected
        else:
            assert detail["criteria"][leaf.code] is None  # nothing to judge: not applicable
    assert judged >= 2  # on-time and digitisation have the three dossiers in their denominator
    assert detail["system_points"] == float(expected_total)
    assert index_of(world, assessment)["H15.STC"]["system_points"] == float(expected_total)


def test_survey_criteria_come_from_the_units_sipas_index(world: World, assessment: Assessment) -> None:
    questionnaire = sipas_services.load_questionnaire(data=form_data())[0]
    survey = sipas_services.create_survey(
        actor=world.admin,
        year=YEAR,
        agency_code="H15",
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
        sample_size=10,
    )
    codes = sipas_selectors.tree_of(questionnaire).item_codes()
    for n, value in enumerate([5, 4, 2]):  # two satisfied forms of three on every item
        sipas_services.enter_paper_form(
            actor=world.admin,
            survey_id=survey.pk,
            unit_code="H15.STC",
            answers=dict.fromkeys(codes, value),
            form_number=f"P{n}",
        )
    overall = next(
        u for u in sipas_selectors.index_by_unit(survey) if u.unit_code == "H15.STC"
    ).result.overall
    assert overall == 66.67
    rows = index_of(world, assessment)
    # 8.1 is worth 20 points: 20 × 66.67 / 100 = 13.334 → 13.33; H15.16 has no answer: not applicable.
    assert rows["H15.STC"]["survey_points"] == 13.33
    assert rows["H15.16"]["survey_points"] == 0
    assert rows["H15.STC"]["applicable_max"] - rows["H15.16"]["applicable_max"] == 20


def test_index_ranks_groups_and_the_change_against_last_year(world: World, assessment: Assessment) -> None:
    score_all(world, assessment, "H15.STC")
    score_all(world, assessment, "H15.16")
    for unit, leader in (("H15.STC", world.leader), ("H15.16", None)):
        if leader is None:
            leader = create_user(
                username="ld.sxd", password="x-Secret-123", role="leader", agency_code="H15.16"
            )
        services.submit(actor=leader, assessment_id=assessment.pk, unit_code=unit)
    appraise_all(world, assessment, "H15.STC", "1")
    appraise_all(world, assessment, "H15.16", "0.5")
    rows = index_of(world, assessment)
    stc, sxd = rows["H15.STC"], rows["H15.16"]
    # No survey and no dossiers: only the self criteria apply (100 − 20 SIPAS − 12 system = 68).
    assert (
        stc["applicable_max"] == 68 and stc["appraised_total"] == 68 + 10
    )  # bonus 5 + penalty 5 appraised in full
    assert stc["bonus_points"] == 5 and stc["penalty_points"] == 5
    assert stc["index"] == 100.0 and stc["group"] == "A" and stc["rank"] == 1 and stc["complete"] is True
    assert sxd["index"] == 50.0 and sxd["group"] == "D" and sxd["rank"] == 2
    assert [f["code"] for f in stc["fields"]][:3] == ["1", "2", "3"]
    assert stc["fields"][0] == {
        "code": "1",
        "name": stc["fields"][0]["name"],
        "kind": "score",
        "score": 10.0,
        "max_points": 10.0,
    }
    assert stc["previous_index"] is None and stc["change"] is None
    # Next year's assessment of the same units: the change against this one.
    data = example() | {"year": YEAR + 1}
    services.load_framework(data=data)
    later = services.create_assessment(
        actor=world.admin, year=YEAR + 1, framework_code="SO-NGANH", unit_codes=["H15.STC", "H15.16"]
    )
    next_rows = index_of(world, later)
    assert next_rows["H15.STC"]["previous_index"] == 100.0
    assert next_rows["H15.STC"]["change"] == next_rows["H15.STC"]["index"] - 100.0


def test_the_xlsx_equals_the_json(world: World, assessment: Assessment) -> None:
    score_all(world, assessment, "H15.STC", "0.8")
    services.submit(actor=world.leader, assessment_id=assessment.pk, unit_code="H15.STC")
    appraise_all(world, assessment, "H15.STC", "0.75")
    rows = list(index_of(world, assessment).values())
    response = world.client(world.admin).get(f"/api/v1/par/index?assessment={assessment.pk}&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Xếp hạng"]
    table = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(table) == len(rows)
    n_fields = len(rows[0]["fields"])
    for line, row in zip(table, rows, strict=True):
        assert line[0] == row["rank"] and line[1] == row["unit_code"] and line[2] == row["name"]
        assert list(line[3 : 3 + n_fields]) == [f["score"] for f in row["fields"]]
        tail = line[3 + n_fields :]
        assert tail == (
            row["self_total"],
            row["appraised_total"],
            row["survey_points"],
            row["system_points"],
            row["applicable_max"],
            row["index"],
            row["group"],
            row["previous_index"],
            row["change"],
        )


def test_index_permissions_and_bad_input(world: World, assessment: Assessment) -> None:
    url = f"/api/v1/par/index?assessment={assessment.pk}"
    assert world.client(world.leader).get(url).status_code == 200  # a unit of the assessment
    assert world.client(world.citizen).get(url).status_code == 404
    assert world.client(world.commune_receiver).get(url).status_code == 404
    bad = world.client(world.admin).get("/api/v1/par/index")
    assert bad.status_code == 400 and "assessment" in error_of(bad)["fields"]
    fmt = world.client(world.admin).get(url + "&format=pdf")
    assert fmt.status_code == 400 and "format" in error_of(fmt)["fields"]
