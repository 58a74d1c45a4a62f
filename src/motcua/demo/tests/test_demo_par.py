"""The demo's PAR INDEX assessment: the departments run from self-assessment to a published
ranking, the same for the same seed, with the `system` criteria from the demo's own dossiers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.management import call_command

from motcua.agencies.models import Agency
from motcua.demo import par
from motcua.monitoring import selectors as monitoring
from motcua.par import engine, selectors
from motcua.par.models import Assessment, Score, ScoreState


def test_demo_assessment_runs_to_a_ranking_and_is_deterministic(db: Any) -> None:
    out = io.StringIO()
    call_command("demo-data", dossiers=300, petitions=0, survey_forms=300, stdout=out)
    assert "PAR INDEX: assessment" in out.getvalue()
    assessment = Assessment.objects.get()
    departments = Agency.objects.filter(kind="department", valid_to__isnull=True).count()
    assert assessment.units.count() == departments
    rows = selectors.index(assessment)
    ranked = [r for r in rows if r.rank is not None]
    assert len(ranked) == departments and len({r.score.index for r in ranked}) > 1
    assert {r.group for r in ranked} <= {"A", "B", "C", "D"}
    assert Score.objects.filter(state=ScoreState.RETURNED).count() == 1
    assert not assessment.units.get(agency__code=par.NOT_SUBMITTED).submitted_at
    # The `system` points of a department are its 766 figures of the year.
    stc = next(r for r in rows if r.unit.agency.code == "H15.STC")
    whole, _u = monitoring.service_index(
        stc.unit.agency, date(assessment.year, 1, 1), date(assessment.year, 12, 31)
    )
    figures = {i.code: (i.numerator, i.denominator) for g in whole.result.groups for i in g.indicators}
    framework = selectors.framework_of(assessment)
    for _f, leaf in framework.leaves():
        if leaf.method == "system":
            n, d = figures[engine.METRIC_ALIASES[leaf.metric]]
            assert stc.score.criteria[leaf.code] == engine.system_points(leaf.max_points, n, d)
    assert any(stc.score.criteria[leaf.code] for _f, leaf in framework.leaves() if leaf.method == "system")
    assert stc.sipas is not None and stc.score.by_method["survey"] > 0
    scores = list(
        Score.objects.order_by("unit__agency__path", "criterion").values_list("self_score", "appraised_score")
    )
    Assessment.objects.all().delete()
    par.generate(year=assessment.year, seed=1)
    again = list(
        Score.objects.order_by("unit__agency__path", "criterion").values_list("self_score", "appraised_score")
    )
    assert again == scores
