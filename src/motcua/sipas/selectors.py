"""SIPAS reads: the questionnaire of a year, surveys and their progress, the index."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.core.errors import InvalidInput, NotFound
from motcua.sipas import engine
from motcua.sipas.models import Element, Item, Pillar, Questionnaire, Response, Survey, SurveyUnit


def questionnaire_for(year: int) -> Questionnaire:
    found = Questionnaire.objects.filter(year_from__lte=year, year_to__gte=year).first()
    if found is None:
        raise NotFound(code="not_found")
    return found


@dataclass(frozen=True)
class Tree:
    """The questionnaire's matrix in order, read in three queries."""

    pillars: list[Pillar]
    elements: dict[int, list[Element]]
    items: dict[int, list[Item]]

    def item_codes(self) -> list[str]:
        return [i.code for p in self.pillars for e in self.elements[p.pk] for i in self.items[e.pk]]

    def texts(self) -> dict[str, str]:
        return {i.code: i.text for p in self.pillars for e in self.elements[p.pk] for i in self.items[e.pk]}

    def scheme(self) -> engine.Scheme:
        weights: dict[str, float] = settings.MOTCUA_SIPAS_WEIGHTS
        return engine.Scheme(
            pillars=tuple(
                engine.Pillar(
                    p.code,
                    p.name,
                    tuple(
                        engine.Element(
                            e.code,
                            e.name,
                            tuple(engine.Item(i.code, weights.get(i.code, 1.0)) for i in self.items[e.pk]),
                            weights.get(e.code, 1.0),
                        )
                        for e in self.elements[p.pk]
                    ),
                    weights.get(p.code, 1.0),
                )
                for p in self.pillars
            )
        )


def tree_of(questionnaire: Questionnaire) -> Tree:
    pillars = list(questionnaire.pillars.all())
    elements: dict[int, list[Element]] = defaultdict(list)
    for element in Element.objects.filter(pillar__questionnaire=questionnaire):
        elements[element.pillar_id].append(element)
    items: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(questionnaire=questionnaire):
        items[item.element_id].append(item)
    return Tree(pillars, elements, items)


def ancestors(path: str) -> list[str]:
    """ "/H15/H15.100/X/" → ["/H15/", "/H15/H15.100/", "/H15/H15.100/X/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def related(unit_path: str, user_path: str) -> bool:
    """A unit is the officer's when it is their agency, under it, or above it (the commune's desk
    works for the commune)."""
    return unit_path.startswith(user_path) or user_path.startswith(unit_path)


def visible_surveys(user: User) -> QuerySet[Survey]:
    """Admins see every survey; staff the surveys run by their agency or above it that sample
    their agency, a unit under it or a unit above it."""
    surveys = Survey.objects.select_related("agency", "questionnaire")
    if user.role == Role.ADMIN:
        return surveys
    if user.role == Role.CITIZEN or user.agency is None:
        return surveys.none()
    path = user.agency.path
    ids = SurveyUnit.objects.filter(
        Q(agency__path__startswith=path) | Q(agency__path__in=ancestors(path))
    ).values("survey_id")
    return surveys.filter(Q(agency__path__startswith=path) | Q(pk__in=ids))


def survey_get(user: User, survey_id: int) -> Survey:
    survey = visible_surveys(user).filter(pk=survey_id).first()
    if survey is None:
        raise NotFound()
    return survey


def progress(survey: Survey) -> list[dict[str, Any]]:
    """Each unit of the plan: its quota and the forms submitted (online, paper)."""
    units = (
        survey.units.select_related("agency")
        .annotate(
            online=Count(
                "responses", filter=Q(responses__submitted_at__isnull=False, responses__channel="online")
            ),
            paper=Count(
                "responses", filter=Q(responses__submitted_at__isnull=False, responses__channel="paper")
            ),
        )
        .order_by("agency__path")
    )
    rows = []
    for unit in units:
        done = unit.online + unit.paper
        rows.append(
            {
                "unit_code": unit.agency.code,
                "name": unit.agency.name,
                "quota": unit.quota,
                "responses": done,
                "online": unit.online,
                "paper": unit.paper,
                "percent": engine.round2(100.0 * done / unit.quota) if unit.quota else None,
            }
        )
    return rows


def _answers(survey: Survey, units: QuerySet[SurveyUnit]) -> dict[int, list[dict[str, int | None]]]:
    by_unit: dict[int, list[dict[str, int | None]]] = defaultdict(list)
    rows = Response.objects.filter(survey=survey, submitted_at__isnull=False, unit__in=units)
    for unit_id, answers in rows.values_list("unit_id", "answers"):
        by_unit[unit_id].append(answers)
    return by_unit


def units_under(survey: Survey, agency_code: str | None) -> QuerySet[SurveyUnit]:
    units = survey.units.select_related("agency")
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            raise InvalidInput(fields={"agency": [_("Unknown agency %(code)s.") % {"code": agency_code}]})
        units = units.filter(agency__path__startswith=agency.path)
    return units


def index(survey: Survey, *, agency_code: str | None = None) -> engine.Result:
    tree = tree_of(survey.questionnaire)
    answers = _answers(survey, units_under(survey, agency_code))
    return engine.compute(
        tree.scheme(),
        [a for rows in answers.values() for a in rows],
        cut=settings.MOTCUA_SIPAS_SATISFIED_CUT,
    )


@dataclass(frozen=True)
class UnitIndex:
    unit_code: str
    name: str
    result: engine.Result
    rank: int | None


def index_by_unit(survey: Survey, *, agency_code: str | None = None) -> list[UnitIndex]:
    """Every unit under the agency, best first; equal indices share a rank; units with no answer last,
    unranked."""
    tree = tree_of(survey.questionnaire)
    scheme = tree.scheme()
    units = list(units_under(survey, agency_code).order_by("agency__path"))
    answers = _answers(survey, survey.units.filter(pk__in=[u.pk for u in units]))
    cut = settings.MOTCUA_SIPAS_SATISFIED_CUT
    scored = [(u, engine.compute(scheme, answers.get(u.pk, []), cut=cut)) for u in units]
    scored.sort(key=lambda pair: (pair[1].overall is None, -(pair[1].overall or 0)))
    out: list[UnitIndex] = []
    previous: float | None = None
    rank = 0
    for position, (unit, result) in enumerate(scored, start=1):
        if result.overall is not None and result.overall != previous:
            rank = position
            previous = result.overall
        out.append(
            UnitIndex(
                unit.agency.code, unit.agency.name, result, rank if result.overall is not None else None
            )
        )
    return out


def weakest_items(result: engine.Result, texts: dict[str, str], count: int = 3) -> list[dict[str, Any]]:
    items = [
        {"code": i.code, "text": texts.get(i.code, i.code), "index": i.index, "n": i.n}
        for p in result.pillars
        for e in p.elements
        for i in e.items
        if i.index is not None
    ]
    items.sort(key=lambda row: (row["index"], row["code"]))
    return items[:count]


def perceptions(survey: Survey, *, agency_code: str | None = None) -> list[dict[str, Any]]:
    """The share (%) of the submitted forms that picked each option of the single-choice perception
    questions (e.g. Q4, "no officer causes trouble"), among those that answered the question."""
    questions = [
        q
        for q in survey.questionnaire.extra.get("questions", [])
        if not q.get("per") and not q.get("multiple")
    ]
    rows = list(
        Response.objects.filter(
            survey=survey, submitted_at__isnull=False, unit__in=units_under(survey, agency_code)
        ).values_list("perceptions", flat=True)
    )
    return [
        {
            "code": q["code"],
            "text": q["text"],
            "answers": sum(1 for r in rows if r.get(q["code"]) is not None),
            "shares": list(engine.perception_shares([r.get(q["code"]) for r in rows], q["options"]).items()),
        }
        for q in questions
    ]
