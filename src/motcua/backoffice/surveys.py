"""Staff pages for SIPAS: the surveys one may see, and a survey's progress against its quotas with
its index — pillars, elements, and each unit's overall and weakest items."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.current import user_of
from motcua.core.errors import NotFound
from motcua.core.replica import reads_from_replica
from motcua.sipas import selectors
from motcua.sipas.payloads import progress_payload
from motcua.web.access import staff_required


@staff_required
def surveys(request: HttpRequest) -> HttpResponse:
    rows = selectors.visible_surveys(user_of(request))[:50]
    return render(request, "backoffice/surveys.html", {"surveys": rows})


@staff_required
@reads_from_replica
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.survey_get(user_of(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    texts = selectors.tree_of(found.questionnaire).texts()
    units = [(unit, selectors.weakest_items(unit.result, texts)) for unit in selectors.index_by_unit(found)]
    return render(
        request,
        "backoffice/survey.html",
        {
            "survey": found,
            "progress": progress_payload(found),
            "result": selectors.index(found),
            "units": units,
            "perceptions": selectors.perceptions(found),
        },
    )
