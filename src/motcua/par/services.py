"""PAR INDEX writes: loading a framework, opening an assessment, a unit's self-scores and its
submission, and the appraisal council's scores, comments and returns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.files.models import StoredFile
from motcua.files.sniff import ALLOWED
from motcua.monitoring.index import RULESETS
from motcua.par import engine, selectors
from motcua.par.models import Assessment, AssessmentUnit, Framework, Score, ScoreState

EXAMPLE = Path(__file__).resolve().parent / "data" / "par-2025-so-nganh.json"
EVIDENCE_TYPES = frozenset(ALLOWED)  # PDF, JPEG, PNG, DOCX, XLSX, checked by content on upload
UNIT_ROLES = (Role.RECEIVER, Role.SPECIALIST, Role.LEADER)

# engine.py is plain Python: its messages are marked here for the catalogue and translated on the way out.
ENGINE_MESSAGES = [
    gettext_noop("a non-empty string is required"),
    gettext_noop("a number of points is required"),
    gettext_noop("zero or more points, at most 2 decimals"),
    gettext_noop("an object is required"),
    gettext_noop("this code is used twice"),
    gettext_noop("a list is required"),
    gettext_noop("self, survey or system"),
    gettext_noop("a system criterion names its metric"),
    gettext_noop("only a system criterion has a metric"),
    gettext_noop("a string is required"),
    gettext_noop("a JSON object is required"),
    gettext_noop("a year is required"),
    gettext_noop("a non-empty list is required"),
    gettext_noop("score, bonus or penalty"),
    gettext_noop("bonus and penalty points are self-declared, then appraised"),
]


def known_metrics() -> set[str]:
    return {code for ruleset in RULESETS for code in ruleset.indicator_codes()}


def check(data: Any) -> engine.Framework:
    try:
        return engine.parse(data, known_metrics=known_metrics())
    except engine.FrameworkError as error:
        raise InvalidInput(fields={error.field: [_(error.message)]}) from None


@transaction.atomic
def load_framework(*, data: Any) -> tuple[Framework, str]:
    """Create or update the framework of (year, code) from its file; a file whose points do not
    add up changes nothing; the same file again changes nothing either ("unchanged"). The tree of an assessed framework is fixed once a unit has submitted."""
    parsed = check(data)
    found = Framework.objects.select_for_update().filter(year=parsed.year, code=parsed.code).first()
    submitted = AssessmentUnit.objects.filter(assessment__framework=found, submitted_at__isnull=False)
    if found is not None and found.tree != data and submitted.exists():
        raise Conflict(
            _("Units have already submitted self-assessments under this framework."),
            code="framework_in_use",
            fields={"code": [_("In use.")]},
        )
    if found is not None and found.tree == data and found.name == parsed.name:
        return found, "unchanged"
    framework, created = Framework.objects.update_or_create(
        year=parsed.year, code=parsed.code, defaults={"name": parsed.name, "tree": data}
    )
    return framework, "loaded" if created else "updated"


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def is_appraiser(user: User) -> bool:
    return user.role == Role.ADMIN or user.has_perm("par.appraise_assessment")


@transaction.atomic
def create_assessment(
    *,
    actor: User | None,
    year: int,
    framework_code: str,
    unit_codes: Sequence[str],
    deadline: date | None = None,
) -> Assessment:
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden()
    framework = Framework.objects.filter(year=year, code=framework_code).first()
    if framework is None:
        raise InvalidInput(
            fields={
                "framework": [_("No framework %(code)s is loaded for this year.") % {"code": framework_code}]
            }
        )
    if not unit_codes:
        raise InvalidInput(fields={"unit_codes": [_("At least one unit.")]})
    agencies = {a.code: a for a in Agency.objects.filter(code__in=unit_codes, valid_to__isnull=True)}
    unknown = [c for c in unit_codes if c not in agencies]
    if unknown:
        raise InvalidInput(
            fields={"unit_codes": [_("Unknown agency %(code)s.") % {"code": c} for c in unknown]}
        )
    # The units report to the Department of Home Affairs in January (Hà Nội Plan 307/KH-UBND).
    assessment = Assessment.objects.create(
        year=year,
        framework=framework,
        deadline=_end_of(deadline or date(year + 1, 1, 15)),
        created_by=actor,
    )
    AssessmentUnit.objects.bulk_create(
        AssessmentUnit(assessment=assessment, agency=agencies[c]) for c in dict.fromkeys(unit_codes)
    )
    return assessment


def _unit_for(
    actor: User | None, assessment_id: int, unit_code: str, *, lock: bool = False
) -> AssessmentUnit:
    """``actor`` None: the system itself (the demo data), which every check of a person skips."""
    if actor is None:
        assessment = Assessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise NotFound()
    else:
        assessment = selectors.assessment_get(actor, assessment_id)
    rows = AssessmentUnit.objects.select_related("agency", "assessment__framework")
    if lock:
        rows = rows.select_for_update(of=("self",))
    unit = rows.filter(assessment=assessment, agency__code=unit_code).first()
    if unit is None:
        raise NotFound(_("This unit is not in the assessment."))
    return unit


def _leaf(unit: AssessmentUnit, code: str) -> engine.Criterion:
    found = selectors.framework_of(unit.assessment).criterion(code)
    if found is None:
        raise NotFound(_("No criterion %(code)s in this framework.") % {"code": code})
    criterion = found[1]
    if criterion.method != "self":
        raise InvalidInput(
            _("This criterion is computed, not self-scored."),
            fields={"criterion": [_("A %(method)s criterion is computed.") % {"method": criterion.method}]},
        )
    return criterion


def _points(value: Any, criterion: engine.Criterion, name: str) -> Decimal:
    try:
        points = Decimal(str(value))
    except ArithmeticError:
        raise InvalidInput(fields={name: [_("A number is required.")]}) from None
    if (
        not points.is_finite()
        or points < 0
        or points > criterion.max_points
        or points != engine.round2(points)
    ):
        raise InvalidInput(
            fields={
                name: [_("Between 0 and %(max)s points, at most 2 decimals.") % {"max": criterion.max_points}]
            }
        )
    return points


def _own_unit(actor: User | None, unit: AssessmentUnit, roles: Sequence[str]) -> None:
    if actor is None or actor.role == Role.ADMIN:
        return
    if actor.role not in roles or actor.agency is None or not actor.agency.path.startswith(unit.agency.path):
        raise Forbidden(_("Only the unit's own officers may do this."))


@transaction.atomic
def set_self_score(
    *,
    actor: User | None,
    assessment_id: int,
    unit_code: str,
    criterion: str,
    self_score: Any,
    evidence_file_ids: Sequence[str] = (),
    note: str = "",
) -> Score:
    """Save a self-score with its evidence and note: before submission and the deadline, or, after
    submission, to explain a criterion the appraisers returned."""
    unit = _unit_for(actor, assessment_id, unit_code, lock=True)
    _own_unit(actor, unit, UNIT_ROLES)
    leaf = _leaf(unit, criterion)
    points = _points(self_score, leaf, "self_score")
    score = Score.objects.filter(unit=unit, criterion=criterion).first()
    if unit.submitted_at is not None:
        if score is None or score.state != ScoreState.RETURNED:
            raise Conflict(_("The self-assessment has been submitted."), code="already_submitted")
    elif timezone.now() > unit.assessment.deadline:
        raise Conflict(
            _("The deadline has passed."), code="deadline_passed", fields={"deadline": [_("Passed.")]}
        )
    files = _evidence(evidence_file_ids)
    if score is None:
        score = Score(unit=unit, criterion=criterion)
    score.self_score = points
    score.note = note
    if score.state == ScoreState.RETURNED:
        score.state = ScoreState.EXPLAINED
    score.save()
    score.evidence.set(files)
    return score


def _evidence(ids: Sequence[str]) -> list[StoredFile]:
    wanted: list[str] = []
    parsed: list[uuid.UUID] = []
    for raw in ids:
        try:
            parsed.append(uuid.UUID(str(raw)))
            wanted.append(str(parsed[-1]))
        except ValueError:
            wanted.append(str(raw))
    files = {str(f.pk): f for f in StoredFile.objects.filter(pk__in=parsed)}
    for position, file_id in enumerate(wanted):
        found = files.get(file_id)
        if found is None:
            raise InvalidInput(fields={f"evidence_file_ids.{position}": [_("Unknown file.")]})
        if found.content_type not in EVIDENCE_TYPES:
            raise InvalidInput(
                code="file_type_not_allowed",
                fields={
                    f"evidence_file_ids.{position}": [_("Evidence must be PDF, JPEG, PNG, DOCX or XLSX.")]
                },
            )
    return list(files.values())


@transaction.atomic
def submit(*, actor: User | None, assessment_id: int, unit_code: str) -> AssessmentUnit:
    """The unit's leader submits every self criterion scored, by the deadline."""
    unit = _unit_for(actor, assessment_id, unit_code, lock=True)
    if actor is not None and (
        actor.role != Role.LEADER
        or actor.agency is None
        or not actor.agency.path.startswith(unit.agency.path)
    ):
        raise Forbidden(_("Only the unit's leader submits its self-assessment."))
    if unit.submitted_at is not None:
        raise Conflict(_("The self-assessment has already been submitted."), code="already_submitted")
    if timezone.now() > unit.assessment.deadline:
        raise Conflict(
            _("The deadline has passed."), code="deadline_passed", fields={"deadline": [_("Passed.")]}
        )
    framework = selectors.framework_of(unit.assessment)
    scored = set(unit.scores.filter(self_score__isnull=False).values_list("criterion", flat=True))
    missing = [
        leaf.code for _f, leaf in framework.leaves() if leaf.method == "self" and leaf.code not in scored
    ]
    if missing:
        raise InvalidInput(
            _("Every self-assessed criterion needs a score."),
            fields={f"scores.{code}": [_("Not scored.")] for code in missing},
        )
    unit.submitted_at = timezone.now()
    unit.submitted_by = actor
    unit.save(update_fields=["submitted_at", "submitted_by"])
    return unit


@transaction.atomic
def appraise(
    *,
    actor: User | None,
    assessment_id: int,
    unit_code: str,
    criterion: str,
    appraised_score: Any = None,
    comment: str = "",
    returned: bool = False,
) -> Score:
    """The council's score and comment on a submitted criterion, or its return for explanation."""
    if actor is not None and not is_appraiser(actor):
        raise Forbidden(_("Only the appraisal council appraises."))
    unit = _unit_for(actor, assessment_id, unit_code, lock=True)
    leaf = _leaf(unit, criterion)
    if unit.submitted_at is None:
        raise Conflict(_("The unit has not submitted its self-assessment."), code="not_submitted")
    score = Score.objects.get(unit=unit, criterion=criterion)
    if returned:
        if not comment.strip():
            raise InvalidInput(fields={"comment": [_("Say what needs explaining.")]})
        score.state = ScoreState.RETURNED
        score.appraised_score = None
    else:
        if appraised_score is None:
            raise InvalidInput(fields={"appraised_score": [_("A score is required.")]})
        if score.state == ScoreState.RETURNED:
            raise Conflict(_("The unit has not explained this criterion yet."), code="awaiting_explanation")
        score.appraised_score = _points(appraised_score, leaf, "appraised_score")
        score.state = ScoreState.APPRAISED
    score.comment = comment
    score.appraised_by = actor
    score.save()
    return score
