"""The public SIPAS form at /khao-sat/<token>: one page per pillar of the 5-level matrix, then the
perception questions and Part A (all optional, nothing that names the respondent). Each page is
saved when sent, so the respondent may stop and come back with the same link until they submit;
the link then closes (one-time) and it closes anyway when it expires."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, NotFound, ServiceError
from motcua.sipas import selectors, services
from motcua.sipas.models import Invitation
from motcua.web.ratelimit import too_many, wait_seconds

SCOPE = "survey"


def _closed(request: HttpRequest, error: ServiceError) -> HttpResponse:
    status = 404 if isinstance(error, NotFound) else error.status
    return render(request, "portal/survey_closed.html", {"message": error.message}, status=status)


def _questions(invitation: Invitation) -> list[dict[str, Any]]:
    """The last page: perception questions, then Part A, as fields named by their codes."""
    saved = {
        **(invitation.response.perceptions if invitation.response else {}),
        **(invitation.response.respondent if invitation.response else {}),
    }
    extra = invitation.survey.questionnaire.extra
    fields: list[dict[str, Any]] = []
    for section in ("questions", "respondent"):
        for question in extra.get(section, []):
            subs = [
                (f"{question['code']}.{n}", sub) for n, sub in enumerate(question.get("per", []), start=1)
            ]
            for name, label in subs or [(question["code"], "")]:
                fields.append(
                    {
                        "section": section,
                        "name": name,
                        "question": question["text"],
                        "label": label,
                        "options": question["options"],
                        "multiple": bool(question.get("multiple")),
                        "value": saved.get(name, [] if question.get("multiple") else ""),
                    }
                )
    return fields


def _read_choices(request: HttpRequest, fields: list[dict[str, Any]], section: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        if field["section"] != section:
            continue
        if field["multiple"]:
            chosen = request.POST.getlist(field["name"])
            if chosen:
                out[field["name"]] = chosen
        elif value := request.POST.get(field["name"], ""):
            out[field["name"]] = value
    return out


def answer(request: HttpRequest, token: str) -> HttpResponse:
    if wait := wait_seconds(request, SCOPE):
        return too_many(request, "portal/survey_closed.html", {"message": ""}, wait)
    try:
        invitation = services.open_invitation(token)
    except ServiceError as error:
        return _closed(request, error)
    tree = selectors.tree_of(invitation.survey.questionnaire)
    pillars = tree.pillars
    last = len(pillars) + 1
    try:
        step = min(max(int(request.GET.get("buoc", "1")), 1), last)
    except ValueError:
        step = 1
    fields = _questions(invitation)
    saved = invitation.response.answers if invitation.response else {}
    context: dict[str, Any] = {
        "token": token,
        "step": step,
        "steps": range(1, last + 1),
        "last": last,
        "unit": invitation.unit.agency.name,
        "scale": invitation.survey.questionnaire.scale,
        "no_answer": invitation.survey.questionnaire.extra.get("no_answer_label") or _("No answer"),
    }
    if step < last:
        pillar = pillars[step - 1]
        context["pillar"] = pillar
        context["elements"] = [
            (e, [(i, saved.get(i.code, "")) for i in tree.items[e.pk]]) for e in tree.elements[pillar.pk]
        ]
    else:
        context["fields"] = fields
    if request.method != "POST":
        return render(request, "portal/survey.html", context)
    try:
        if step < last:
            answers: dict[str, int | None] = {}
            for element in tree.elements[pillars[step - 1].pk]:
                for item in tree.items[element.pk]:
                    raw = request.POST.get(item.code)
                    if raw is None:
                        continue
                    if raw not in ("", "1", "2", "3", "4", "5"):
                        raise InvalidInput(fields={f"answers.{item.code}": [_("Choose one of the levels.")]})
                    answers[item.code] = int(raw) if raw else None
            services.save_online_answers(token=token, answers=answers, submit=False)
            return redirect(f"{request.path}?buoc={step + 1}")
        services.save_online_answers(
            token=token,
            answers={},
            perceptions=_read_choices(request, fields, "questions"),
            respondent=_read_choices(request, fields, "respondent"),
            submit=True,
        )
    except InvalidInput:
        context["error"] = _("Some answers are not valid. Please check and send again.")
        return render(request, "portal/survey.html", context, status=400)
    except ServiceError as error:
        return _closed(request, error)
    return render(request, "portal/survey_done.html", {"unit": context["unit"]})
