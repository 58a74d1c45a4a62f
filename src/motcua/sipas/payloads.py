"""The JSON shapes of contract §10, from the models and the engine's results; also the export's."""

from __future__ import annotations

from typing import Any

from motcua.sipas import engine
from motcua.sipas.models import Questionnaire, Survey
from motcua.sipas.selectors import Tree, UnitIndex, progress


def questionnaire_payload(year: int, questionnaire: Questionnaire, tree: Tree) -> dict[str, Any]:
    return {
        "year": year,
        "scale": list(engine.SCALE),
        "pillars": [
            {
                "code": p.code,
                "name": p.name,
                "elements": [
                    {
                        "code": e.code,
                        "name": e.name,
                        "items": [{"code": i.code, "text": i.text} for i in tree.items[e.pk]],
                    }
                    for e in tree.elements[p.pk]
                ],
            }
            for p in tree.pillars
        ],
        # Beside the contract's keys: the labels of the scale, Part A and the perception questions.
        "scale_labels": questionnaire.scale,
        "no_answer_label": questionnaire.extra.get("no_answer_label", ""),
        "respondent": questionnaire.extra.get("respondent", []),
        "questions": questionnaire.extra.get("questions", []),
        "wording": questionnaire.wording,
    }


def survey_payload(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "year": survey.year,
        "agency_code": survey.agency.code,
        "from": survey.starts_on.isoformat(),
        "to": survey.ends_on.isoformat(),
        "sample_size": survey.sample_size,
        "units": [
            {
                "unit_code": u.agency.code,
                "name": u.agency.name,
                "kind": u.agency.kind,
                "frame": u.frame,
                "quota": u.quota,
                "suggested": engine.required_sample(u.frame),
            }
            for u in survey.units.select_related("agency").order_by("agency__path")
        ],
    }


def progress_payload(survey: Survey) -> dict[str, Any]:
    rows = progress(survey)
    done = sum(r["responses"] for r in rows)
    return {
        "survey": survey.pk,
        "sample_size": survey.sample_size,
        "responses": done,
        "percent": engine.round2(100.0 * done / survey.sample_size) if survey.sample_size else None,
        "units": rows,
    }


def index_payload(result: engine.Result) -> dict[str, Any]:
    return {
        "overall": result.overall,
        "responses": result.responses,
        "pillars": [
            {
                "code": p.code,
                "name": p.name,
                "index": p.index,
                "elements": [
                    {
                        "code": e.code,
                        "name": e.name,
                        "index": e.index,
                        "items": [{"code": i.code, "index": i.index, "n": i.n} for i in e.items],
                    }
                    for e in p.elements
                ],
            }
            for p in result.pillars
        ],
    }


def units_payload(units: list[UnitIndex]) -> dict[str, Any]:
    return {
        "units": [
            {
                "unit_code": u.unit_code,
                "name": u.name,
                "overall": u.result.overall,
                "responses": u.result.responses,
                "rank": u.rank,
            }
            for u in units
        ]
    }
