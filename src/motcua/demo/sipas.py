"""A SIPAS survey of the demo province's departments and communes with generated forms,
deterministic for a seed. Each unit gets a service quality of its own, so that the ranking and the
weakest items differ from unit to unit; a few answers are left blank ("không trả lời"). Forms go
in by ``bulk_create``: two thousand take about a second."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.db import transaction
from django.utils import timezone

from motcua.agencies.models import Agency, AgencyKind
from motcua.sipas import selectors, services
from motcua.sipas.models import Channel, Response, Survey


@dataclass(frozen=True)
class Report:
    survey: int
    responses: int
    seconds: float


def _level(rng: random.Random, quality: float) -> int | None:
    """One answer: 1..5, mostly around the unit's quality; None one time in thirty."""
    if rng.random() < 1 / 30:
        return None
    return max(1, min(5, round(rng.gauss(quality, 0.8))))


@transaction.atomic
def generate(*, year: int, sample_size: int = 2000, seed: int = 1) -> Report | None:
    """The survey of ``year`` (1 January to 31 December) with forms for about three quarters of
    each unit's quota; None when no questionnaire covers the year."""
    started = time.monotonic()
    data = json.loads(services.DEFAULT_FORM.read_text(encoding="utf-8"))
    services.load_questionnaire(data=data)
    try:
        selectors.questionnaire_for(year)
    except services.NotFound:
        return None
    province = Agency.objects.filter(kind=AgencyKind.PROVINCE, valid_to__isnull=True).order_by("path").first()
    if province is None:
        raise ValueError("no province: load the demo province first")
    survey = services.create_survey(
        actor=None,
        year=year,
        agency_code=province.code,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        sample_size=sample_size,
    )
    rng = random.Random(seed)  # noqa: S311 — synthetic data, reproducible by seed
    tree = selectors.tree_of(survey.questionnaire)
    codes = tree.item_codes()
    extra = survey.questionnaire.extra
    single = [q for q in extra["questions"] if not q.get("per") and not q.get("multiple")]
    tz = timezone.get_default_timezone()
    today = min(timezone.localdate(), date(year, 12, 31))
    span = max((today - date(year, 1, 1)).days, 1)
    rows: list[Response] = []
    serial = 0
    for unit in survey.units.select_related("agency").order_by("agency__path"):
        quality = rng.uniform(4.0, 4.7)  # about 74–93 % satisfied, published provinces are 75–91 %
        weak = set(rng.sample(codes, 3))  # what this unit does worst
        for _ in range(round(unit.quota * rng.uniform(0.6, 0.95))):
            answers = {c: _level(rng, quality - (1.2 if c in weak else 0)) for c in codes}
            online = rng.random() < 0.3
            serial += 1
            day = date(year, 1, 1) + timedelta(days=rng.randrange(span))
            rows.append(
                Response(
                    survey=survey,
                    unit=unit,
                    channel=Channel.ONLINE if online else Channel.PAPER,
                    answers=answers,
                    perceptions={q["code"]: rng.choice(q["options"]) for q in single if rng.random() < 0.8},
                    respondent={
                        q["code"]: rng.choice(q["options"]) for q in extra["respondent"] if rng.random() < 0.7
                    },
                    form_number="" if online else f"{year}-{serial:05d}",
                    submitted_at=datetime.combine(day, clock(9, 0), tz)
                    + timedelta(minutes=rng.randrange(480)),
                )
            )
    Response.objects.bulk_create(rows, batch_size=500)
    return Report(survey.pk, len(rows), time.monotonic() - started)


def exists(year: int) -> bool:
    return Survey.objects.filter(year=year).exists()
