"""The demo's SIPAS survey: the province's departments and communes sampled, forms generated the same
way for the same seed, an index that differs from unit to unit."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from motcua.agencies.models import Agency
from motcua.demo import sipas
from motcua.sipas import selectors
from motcua.sipas.models import Response, Survey


def test_demo_survey_is_deterministic_and_ranks_the_units(db: Any) -> None:
    out = io.StringIO()
    call_command("demo-data", dossiers=0, petitions=0, survey_forms=0, stdout=out)
    first = sipas.generate(year=2026, sample_size=600, seed=1)
    assert first is not None
    survey = Survey.objects.get()
    units = survey.units.select_related("agency")
    kinds = {u.agency.kind for u in units}
    assert kinds == {"department", "commune"}
    assert units.count() == Agency.objects.filter(kind__in=kinds, valid_to__isnull=True).count()
    assert sum(u.quota for u in units) == 600
    assert 0.6 * 600 - len(units) <= first.responses <= 0.95 * 600 + len(units)
    ranked = selectors.index_by_unit(survey)
    scored = [u.result.overall for u in ranked if u.result.overall is not None]
    assert len(set(scored)) > 1 and 50 < selectors.index(survey).overall < 100  # type: ignore[operator]
    answers = list(Response.objects.order_by("pk").values_list("answers", flat=True))
    Response.objects.all().delete()
    Survey.objects.all().delete()
    sipas.generate(year=2026, sample_size=600, seed=1)
    assert list(Response.objects.order_by("pk").values_list("answers", flat=True)) == answers
    # No questionnaire for 2031: nothing generated.
    assert sipas.generate(year=2031, sample_size=10, seed=1) is None
