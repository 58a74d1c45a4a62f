"""PAR INDEX reads: who sees which assessment, the framework of one, and the index of its units.

Points come from three places: the appraised self-scores; the unit's SIPAS overall index of the
same year (``max × index / 100``); and the Decision 766 figures MotCua computes for the unit over
the year (``monitoring.selectors.service_index``; ``max × numerator / denominator``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.core.errors import NotFound
from motcua.monitoring import rollup
from motcua.monitoring import selectors as monitoring
from motcua.par import engine
from motcua.par.models import Assessment, AssessmentUnit, Score
from motcua.sipas import selectors as sipas
from motcua.sipas.models import Survey


def ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def can_see_all(user: User) -> bool:
    return user.role == Role.ADMIN or user.has_perm("par.appraise_assessment")


def visible_assessments(user: User) -> QuerySet[Assessment]:
    """Admins and appraisers see every assessment; staff those assessing their agency, a unit
    under it, or the unit they belong to."""
    rows = Assessment.objects.select_related("framework")
    if can_see_all(user):
        return rows
    if user.role == Role.CITIZEN or user.agency is None:
        return rows.none()
    path = user.agency.path
    ids = AssessmentUnit.objects.filter(
        Q(agency__path__startswith=path) | Q(agency__path__in=ancestors(path))
    ).values("assessment_id")
    return rows.filter(pk__in=ids)


def assessment_get(user: User, assessment_id: int) -> Assessment:
    found = visible_assessments(user).filter(pk=assessment_id).first()
    if found is None:
        raise NotFound()
    return found


def framework_of(assessment: Assessment) -> engine.Framework:
    return engine.parse(assessment.framework.tree)


def sipas_overall(agency: Agency, year: int) -> Decimal | None:
    """The unit's overall SIPAS index in the latest survey of the year that sampled it."""
    survey = Survey.objects.filter(year=year, units__agency=agency).order_by("-starts_on", "-id").first()
    if survey is None:
        return None
    for row in sipas.index_by_unit(survey):
        if row.unit_code == agency.code:
            overall = row.result.overall
            return None if overall is None else Decimal(str(overall))
    return None


def figures_766(agency: Agency, year: int) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of each Decision 766 indicator of the unit over the year."""
    rollup.ensure_current()
    whole, _units = monitoring.service_index(agency, date(year, 1, 1), date(year, 12, 31))
    return {
        i.code: (i.numerator, i.denominator)
        for g in whole.result.groups
        for i in g.indicators
        if i.numerator is not None and i.denominator is not None
    }


@dataclass(frozen=True)
class UnitRow:
    unit: AssessmentUnit
    score: engine.UnitScore
    self_total: Decimal
    appraised_total: Decimal
    complete: bool  # submitted, and every self criterion appraised
    sipas: Decimal | None
    system: dict[str, tuple[int, int] | None]  # criterion → its 766 figures (None: not available)
    rank: int | None = None
    group: str | None = None
    previous_index: Decimal | None = None


def _score_unit(framework: engine.Framework, unit: AssessmentUnit, scores: list[Score], year: int) -> UnitRow:
    points: dict[str, Decimal | None] = {}
    self_total = appraised_total = Decimal(0)
    appraised = 0
    for s in scores:
        self_total += s.self_score or 0
        if s.appraised_score is not None:
            appraised += 1
            appraised_total += s.appraised_score
            points[s.criterion] = s.appraised_score
    leaves = framework.leaves()
    overall = None
    if any(leaf.method == "survey" for _f, leaf in leaves):
        overall = sipas_overall(unit.agency, year)
    figures: dict[str, tuple[int, int]] = {}
    if any(leaf.method == "system" for _f, leaf in leaves):
        figures = figures_766(unit.agency, year)
    system: dict[str, tuple[int, int] | None] = {}
    for _f, leaf in leaves:
        if leaf.method == "survey":
            points[leaf.code] = engine.survey_points(leaf.max_points, overall)
        elif leaf.method == "system":
            found = figures.get(engine.METRIC_ALIASES.get(leaf.metric, leaf.metric))
            system[leaf.code] = found
            points[leaf.code] = None if found is None else engine.system_points(leaf.max_points, *found)
    self_leaves = sum(1 for _f, leaf in leaves if leaf.method == "self")
    return UnitRow(
        unit=unit,
        score=engine.score_unit(framework, points),
        self_total=self_total,
        appraised_total=appraised_total,
        complete=unit.submitted_at is not None and appraised == self_leaves,
        sipas=overall,
        system=system,
    )


def _rows(assessment: Assessment) -> list[UnitRow]:
    framework = framework_of(assessment)
    units = list(assessment.units.select_related("agency").order_by("agency__path"))
    by_unit: dict[int, list[Score]] = {u.pk: [] for u in units}
    for s in Score.objects.filter(unit__in=units):
        by_unit[s.unit_id].append(s)
    return [_score_unit(framework, u, by_unit[u.pk], assessment.year) for u in units]


def index(assessment: Assessment) -> list[UnitRow]:
    """Every unit, ranked best first (equal indices share a rank), with its group and last year's
    index from the latest assessment of the year before that scored it."""
    rows = _rows(assessment)
    ranks = engine.ranks([(r.unit.agency.code, r.score.index) for r in rows])
    previous: dict[str, Decimal | None] = {}
    earlier = (
        Assessment.objects.filter(year=assessment.year - 1, units__agency__in=[r.unit.agency for r in rows])
        .distinct()
        .order_by("-id")
        .first()
    )
    if earlier is not None:
        previous = {r.unit.agency.code: r.score.index for r in _rows(earlier)}
    out = [
        UnitRow(
            **{
                **r.__dict__,
                "rank": ranks[r.unit.agency.code],
                "group": engine.group_for(r.score.index),
                "previous_index": previous.get(r.unit.agency.code),
            }
        )
        for r in rows
    ]
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.agency.path))
    return out


def unit_row(assessment: Assessment, unit: AssessmentUnit) -> UnitRow:
    framework = framework_of(assessment)
    return _score_unit(framework, unit, list(unit.scores.all()), assessment.year)


def change(row: UnitRow) -> Decimal | None:
    if row.score.index is None or row.previous_index is None:
        return None
    return row.score.index - row.previous_index


def unit_payload(row: UnitRow, *, detail: bool = False) -> dict[str, Any]:
    score = row.score
    body: dict[str, Any] = {
        "unit_code": row.unit.agency.code,
        "name": row.unit.agency.name,
        "self_total": float(row.self_total),
        "appraised_total": float(row.appraised_total),
        "survey_points": float(score.by_method["survey"]),
        "system_points": float(score.by_method["system"]),
        "bonus_points": float(score.bonus),
        "penalty_points": float(score.penalty),
        "applicable_max": float(score.applicable_max),
        "index": None if score.index is None else float(score.index),
        "rank": row.rank,
        "group": row.group,
        "previous_index": None if row.previous_index is None else float(row.previous_index),
        "change": None if change(row) is None else float(change(row) or 0),
        "submitted": row.unit.submitted_at is not None,
        "complete": row.complete,
        "fields": [
            {
                "code": f.code,
                "name": f.name,
                "kind": f.kind,
                "score": float(f.score),
                "max_points": float(f.max_points),
            }
            for f in score.fields
        ],
    }
    if detail:
        body["sipas_overall"] = None if row.sipas is None else float(row.sipas)
        body["criteria"] = {
            code: None if points is None else float(points) for code, points in score.criteria.items()
        }
        body["system_figures"] = {
            code: None if f is None else {"numerator": f[0], "denominator": f[1]}
            for code, f in row.system.items()
        }
    return body
