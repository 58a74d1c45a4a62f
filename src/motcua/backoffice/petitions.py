"""Staff pages for petitions (PAKN): the queue (overdue and due first), the petition with its
actions, classification, and desk entry of a petition received by letter or phone.

Views parse, call ``petitions.services`` or ``petitions.selectors``, and render. Which actions a page
offers comes from ``petitions.lifecycle`` (allowed now, and may this user take it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.current import user_of
from motcua.backoffice import selectors as backoffice
from motcua.backoffice.presenters import OfferedAction
from motcua.core.errors import NotFound, ServiceError
from motcua.petitions import commands, labels, lifecycle, selectors, services
from motcua.petitions.lifecycle import Action
from motcua.petitions.models import About, Channel, Petition
from motcua.web import pickers
from motcua.web.access import staff_required
from motcua.web.forms import StyledForm, set_choices, show_service_error

REASON = forms.CharField(
    label=gettext_lazy("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
)


class ActionForm(StyledForm):
    """The fields of one action (contract §9): forward needs the agency and, on this page, the reason."""

    def __init__(self, action: Action, petition: Petition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action is Action.FORWARD:
            self.fields["agency_code"] = forms.ChoiceField(label=gettext_lazy("To the agency"))
            set_choices(
                self,
                "agency_code",
                pickers.agency_choices(
                    [a for a in backoffice.agencies_for_forwarding() if a.pk != petition.agency_id]
                ),
            )
        if action in (Action.FORWARD, Action.REFUSE, Action.REQUEST_SUPPLEMENT):
            self.fields["reason"] = REASON
        if action is Action.SUPPLEMENT:
            self.fields["note"] = forms.CharField(
                label=gettext_lazy("What the sender added"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if action is Action.ANSWER:
            self.fields["answer"] = forms.CharField(
                label=gettext_lazy("Answer"),
                max_length=10_000,
                initial=petition.answer_draft,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        self.style_fields()


def _offer(petition: Petition, action: Action, form: StyledForm, open_: bool) -> OfferedAction:
    return OfferedAction(
        url=reverse("backoffice:petition_act", args=[petition.pk, action.value]),
        label=str(labels.ACTION_LABELS[action]),
        help=str(labels.ACTION_HELP[action]),
        form=form,
        open=open_,
        destructive=action in labels.DESTRUCTIVE,
    )


class ClassifyForm(StyledForm):
    about = forms.ChoiceField(label=gettext_lazy("About"), choices=About.choices)


def _offered(user: Any, petition: Petition) -> list[Action]:
    who = lifecycle.Actor(user_id=user.pk, role=user.role, agency_id=user.agency_id)
    status = lifecycle.Status(petition.status)
    return [
        a
        for a in lifecycle.allowed_actions(status)
        if lifecycle.may_act(who, a, petition.agency_id)
        and not (a is Action.PUBLISH and not petition.publish_consent)
    ]


def _get(request: HttpRequest, pk: int) -> Petition:
    try:
        return selectors.petition_get(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.queue(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/petitions.html",
        {"page": page, "rows": [(p, selectors.timeliness_of(p)) for p in page]},
    )


def _page(
    request: HttpRequest,
    petition: Petition,
    bound: tuple[Action, StyledForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = _offered(request.user, petition)
    offered = []
    for i, action in enumerate(allowed):
        if bound and bound[0] is action:
            offered.append(_offer(petition, action, bound[1], True))
        else:
            offered.append(_offer(petition, action, ActionForm(action, petition), bound is None and i == 0))
    stray = [str(e) for e in bound[1].non_field_errors()] if bound and bound[0] not in allowed else []
    may_classify = petition.closed_at is None and user_of(request).agency_id == petition.agency_id
    return render(
        request,
        "backoffice/petition.html",
        {
            "p": petition,
            "timeliness": labels.TIMELINESS_LABELS[selectors.timeliness_of(petition)],
            "status_label": labels.status_label(petition.status),
            "actions": offered,
            "stray_errors": stray,
            "events": [
                (e, labels.EVENT_LABELS.get(e.action, e.action))
                for e in selectors.petition_events(request.user, petition.pk)
            ],
            "classify": ClassifyForm(initial={"about": petition.about}) if may_classify else None,
        },
        status=status,
    )


@staff_required
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _get(request, pk))


DONE = {
    Action.ACCEPT: gettext_lazy("Accepted: the answer is due in 15 working days."),
    Action.FORWARD: gettext_lazy("Forwarded to the competent agency."),
    Action.REFUSE: gettext_lazy("The petition was refused."),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("More information requested; the clock is paused."),
    Action.SUPPLEMENT: gettext_lazy("The additional information was recorded; the clock runs again."),
    Action.ANSWER: gettext_lazy("The answer was approved."),
    Action.PUBLISH: gettext_lazy("The answer is published."),
}


@staff_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        chosen = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    found = _get(request, pk)
    form = ActionForm(chosen, found, request.POST)
    status = 400
    if form.is_valid():
        try:
            done = services.act(
                actor=user_of(request),
                petition_id=found.pk,
                command=commands.build({"action": chosen.value, **form.cleaned_data}),
            )
        except NotFound as exc:
            raise Http404 from exc
        except ServiceError as exc:
            show_service_error(form, exc)
            status = exc.status
        else:
            draft = chosen is Action.ANSWER and done.status == lifecycle.Status.ACCEPTED
            messages.success(
                request, _("Draft saved for the leader's approval.") if draft else str(DONE[chosen])
            )
            return redirect("backoffice:petition", pk=pk)
    return _page(request, found, bound=(chosen, form), status=status)


@staff_required
@require_POST
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get(request, pk)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        try:
            services.classify(actor=user_of(request), petition_id=found.pk, about=form.cleaned_data["about"])
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Classified."))
    return redirect("backoffice:petition", pk=pk)


class EntryForm(StyledForm):
    """A petition received by letter, by phone or at the desk, keyed in by an officer."""

    channel = forms.ChoiceField(
        label=gettext_lazy("Received"),
        choices=[(c.value, c.label) for c in (Channel.LETTER, Channel.PHONE, Channel.COUNTER)],
        widget=forms.RadioSelect,
        initial=Channel.LETTER,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    content = forms.CharField(
        label=gettext_lazy("Content"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    about = forms.ChoiceField(label=gettext_lazy("About"), choices=About.choices)
    full_name = forms.CharField(label=gettext_lazy("Sender's full name"), max_length=200)
    phone = forms.RegexField(r"^\+?\d{8,15}$", label=gettext_lazy("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=500, required=False)
    publish_consent = forms.BooleanField(
        label=gettext_lazy("The sender agrees to publication"), required=False
    )


@staff_required
def entry(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "backoffice/petition_entry.html", {"form": EntryForm()})
    form = EntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submit(
                actor=user_of(request),
                title=data["title"],
                content=data["content"],
                about=data["about"],
                channel=data["channel"],
                submitter=commands.SubmitterIn(
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                ),
                publish_consent=data["publish_consent"],
            )
        except ServiceError as exc:
            show_service_error(form, exc, {"submitter.phone": "phone", "submitter.full_name": "full_name"})
        else:
            messages.success(request, _("Received with the code %(code)s.") % {"code": created.code})
            return redirect("backoffice:petition", pk=created.pk)
    return render(request, "backoffice/petition_entry.html", {"form": form}, status=400)
