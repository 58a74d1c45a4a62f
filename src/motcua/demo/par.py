"""A PAR INDEX assessment of the demo province's departments, deterministic for a seed: the example
framework loaded for the year, each department's self-scores, submission and the appraisal
council's scores (a little below the self-scores, as councils usually find); the `survey` points
come from the demo's SIPAS survey and the `system` points from the demo's dossiers. One department
has a criterion returned for explanation and one has not submitted yet, so that the workspace and
the review queue have something to show."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction

from motcua.accounts.models import User
from motcua.agencies.models import Agency, AgencyKind
from motcua.demo.users import DEMO_PASSWORD
from motcua.par import engine, services
from motcua.par.models import Assessment, Score, ScoreState

APPRAISER = ("thamdinh.snv", "supervisor", "H15.SNV", "Hoàng Văn Nam")  # Sở Nội vụ, the council's secretariat
RETURNED = ("H15.STC", "1.2")  # lanhdao.stc / chuyenvien.stc can answer it in the workspace
NOT_SUBMITTED = "H15.52"


@dataclass(frozen=True)
class Report:
    assessment: int
    units: int
    seconds: float


def exists(year: int) -> bool:
    return Assessment.objects.filter(year=year).exists()


def appraiser() -> User:
    """The appraisal council's officer: a supervisor of the Department of Home Affairs given the
    appraiser permission (docs/decisions.md)."""
    username, role, agency, name = APPRAISER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            full_name=name,
            agency=Agency.objects.get(code=agency),
        )
    user.user_permissions.add(Permission.objects.get(codename="appraise_assessment"))
    return user


@transaction.atomic
def generate(*, year: int, seed: int = 1) -> Report:
    started = time.monotonic()
    data = json.loads(services.EXAMPLE.read_text(encoding="utf-8"))
    data["year"] = year
    framework, _state = services.load_framework(data=data)
    appraiser()
    units = list(
        Agency.objects.filter(kind=AgencyKind.DEPARTMENT, valid_to__isnull=True)
        .order_by("path")
        .values_list("code", flat=True)
    )
    assessment = services.create_assessment(
        actor=None,
        year=year,
        framework_code=framework.code,
        unit_codes=units,
        deadline=date(year + 1, 1, 15),
    )
    leaves = [leaf for _f, leaf in engine.parse(framework.tree).leaves() if leaf.method == "self"]
    rng = random.Random(seed)  # noqa: S311 — synthetic data, reproducible by seed
    # The scores go in by bulk_create (a thousand service calls would take seconds); the submission
    # and the return for explanation go through the services, which check them.
    for unit in assessment.units.select_related("agency").order_by("agency__path"):
        quality = rng.uniform(0.72, 0.97)  # each department's own standard of work
        scores = []
        for leaf in leaves:
            bonus_or_penalty = leaf.code.startswith("9")
            share = rng.choice([0, 0, 0, 0.5, 1]) if bonus_or_penalty else min(1.0, rng.gauss(quality, 0.1))
            claimed = engine.round2(leaf.max_points * Decimal(str(max(0.0, share))))
            cut = Decimal(str(rng.choice([0, 0, 0, 0.1, 0.25])))
            scores.append(
                Score(
                    unit=unit,
                    criterion=leaf.code,
                    self_score=claimed,
                    note="Tài liệu kiểm chứng: báo cáo CCHC năm" if claimed else "",
                    appraised_score=engine.round2(claimed * (1 - cut)),
                    comment="Điều chỉnh theo tài liệu kiểm chứng" if cut else "",
                    state=ScoreState.APPRAISED,
                )
            )
        code = unit.agency.code
        if code == NOT_SUBMITTED:
            for score in scores:
                score.appraised_score, score.comment, score.state = None, "", ScoreState.DRAFT
            Score.objects.bulk_create(scores)
            continue
        Score.objects.bulk_create(scores)
        services.submit(actor=None, assessment_id=assessment.pk, unit_code=code)
        if code == RETURNED[0]:
            services.appraise(
                actor=None,
                assessment_id=assessment.pk,
                unit_code=code,
                criterion=RETURNED[1],
                returned=True,
                comment="Đề nghị giải trình: báo cáo quý III gửi chậm so với quy định.",
            )
    return Report(assessment.pk, len(units), time.monotonic() - started)
