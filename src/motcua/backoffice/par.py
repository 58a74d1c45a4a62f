"""Staff pages for the PAR INDEX: the assessments one may see; an assessment's published ranking
with each unit's fields, and the appraisers' review queue; a unit's self-assessment workspace (its
officers score and attach evidence, its leader submits; appraisers set scores or return criteria)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.current import user_of
from motcua.accounts.roles import Role
from motcua.core.errors import NotFound, ServiceError
from motcua.files.services import store_upload
from motcua.par import selectors, services
from motcua.par.models import Assessment, AssessmentUnit, Score, ScoreState
from motcua.web.access import staff_required


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    try:
        return selectors.assessment_get(user_of(request), pk)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def assessments(request: HttpRequest) -> HttpResponse:
    rows = selectors.visible_assessments(user_of(request))[:50]
    return render(request, "backoffice/par_assessments.html", {"assessments": rows})


@staff_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _assessment(request, pk)
    user = user_of(request)
    rows = selectors.index(found)
    queue: list[dict[str, Any]] = []
    if services.is_appraiser(user):
        waiting = {
            state: dict(
                Score.objects.filter(unit__assessment=found, state=state)
                .values_list("unit_id")
                .annotate(n=Count("id"))
                .values_list("unit_id", "n")
            )
            for state in (ScoreState.DRAFT, ScoreState.EXPLAINED, ScoreState.RETURNED)
        }
        queue = [
            {
                "unit": unit,
                "to_appraise": waiting[ScoreState.DRAFT].get(unit.pk, 0)
                + waiting[ScoreState.EXPLAINED].get(unit.pk, 0),
                "returned": waiting[ScoreState.RETURNED].get(unit.pk, 0),
            }
            for unit in found.units.select_related("agency").filter(submitted_at__isnull=False)
        ]
    return render(
        request,
        "backoffice/par_assessment.html",
        {
            "assessment": found,
            "framework": selectors.framework_of(found),
            "rows": [(r, selectors.change(r)) for r in rows],
            "queue": queue,
            "appraiser": services.is_appraiser(user),
        },
    )


def _unit(found: Assessment, code: str) -> AssessmentUnit:
    unit = found.units.select_related("agency").filter(agency__code=code).first()
    if unit is None:
        raise Http404
    return unit


@staff_required
def unit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    found = _assessment(request, pk)
    current = _unit(found, code)
    user = user_of(request)
    if request.method == "POST":
        _act(request, found, current)
        return redirect("backoffice:par-unit", pk=pk, code=code)
    framework = selectors.framework_of(found)
    row = selectors.unit_row(found, current)
    scores = {s.criterion: s for s in current.scores.prefetch_related("evidence")}
    own = user.role == Role.ADMIN or bool(user.agency and user.agency.path.startswith(current.agency.path))
    open_for_scores = current.submitted_at is None and timezone.now() <= found.deadline
    lines = []
    for field, criterion, depth in framework.all_criteria():
        score = scores.get(criterion.code)
        returned = score is not None and score.state == ScoreState.RETURNED
        lines.append(
            {
                "field": field,
                "criterion": criterion,
                "depth": depth,
                "leaf": not criterion.children,
                "points": row.score.criteria.get(criterion.code),
                "score": score,
                "editable": own
                and not criterion.children
                and criterion.method == "self"
                and (open_for_scores or returned),
                "appraisable": services.is_appraiser(user)
                and current.submitted_at is not None
                and not criterion.children
                and criterion.method == "self",
                "figures": row.system.get(criterion.code),
            }
        )
    return render(
        request,
        "backoffice/par_unit.html",
        {
            "assessment": found,
            "unit": current,
            "row": row,
            "framework": framework,
            "lines": lines,
            "can_submit": current.submitted_at is None
            and user.role == Role.LEADER
            and user.agency is not None
            and user.agency.path.startswith(current.agency.path),
        },
    )


def _act(request: HttpRequest, found: Assessment, current: AssessmentUnit) -> None:
    user = user_of(request)
    post = request.POST
    action = post.get("action", "")
    criterion = post.get("criterion", "")
    try:
        if action == "score":
            existing = Score.objects.filter(unit=current, criterion=criterion).first()
            files = [str(f.pk) for f in existing.evidence.all()] if existing else []
            upload = request.FILES.get("evidence")
            if upload is not None:
                stored = store_upload(
                    actor=user, name=upload.name or "", stream=upload, size=upload.size or 0
                )
                files.append(str(stored.pk))
            services.set_self_score(
                actor=user,
                assessment_id=found.pk,
                unit_code=current.agency.code,
                criterion=criterion,
                self_score=post.get("self_score", "").replace(",", "."),
                evidence_file_ids=files,
                note=post.get("note", ""),
            )
            messages.success(request, _("Self-score of %(code)s saved.") % {"code": criterion})
        elif action == "submit":
            services.submit(actor=user, assessment_id=found.pk, unit_code=current.agency.code)
            messages.success(request, _("Self-assessment submitted."))
        elif action in ("appraise", "return"):
            services.appraise(
                actor=user,
                assessment_id=found.pk,
                unit_code=current.agency.code,
                criterion=criterion,
                appraised_score=(post.get("appraised_score", "").replace(",", ".") or None)
                if action == "appraise"
                else None,
                comment=post.get("comment", ""),
                returned=action == "return",
            )
            messages.success(request, _("Appraisal of %(code)s saved.") % {"code": criterion})
        else:
            messages.error(request, _("Unknown action."))
    except ServiceError as exc:
        details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
        messages.error(request, f"{exc.message}" + (f" ({details})" if details else ""))
