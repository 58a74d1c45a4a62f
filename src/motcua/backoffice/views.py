"""Staff pages: work queues, counter intake, the dossier page with its actions, search.

Views parse the request, ask a selector or call a service, and render. Which actions a page
offers comes from ``workflow`` (allowed now, and may this user take it).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from motcua.accounts.roles import Role
from motcua.agencies.selectors import agency_names
from motcua.backoffice import presenters as actions
from motcua.backoffice import selectors
from motcua.backoffice.forms import IntakeForm, PopulationLookupForm, form_for
from motcua.backoffice.payments import payment_link
from motcua.calendar.selectors import get_calendar
from motcua.catalog import selectors as catalog
from motcua.core.errors import NotFound, ServiceError
from motcua.dossiers import commands, services, signing
from motcua.dossiers import selectors as dossiers
from motcua.dossiers.models import Dossier, ResultSigning
from motcua.dossiers.workflow import Action
from motcua.integrations import config, registry
from motcua.integrations.population import services as population_services
from motcua.notifications import selectors as notifications
from motcua.web import presenters, ratelimit
from motcua.web.access import staff_required
from motcua.web.forms import ApplicantForm, StyledForm, show_service_error
from motcua.web.uploads import store


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    queues = selectors.queues_for(user)
    keys = [q.key for q in queues]
    key = request.GET.get("hang", "")
    key = key if key in keys else keys[0]
    current = next(q for q in queues if q.key == key)
    page = Paginator(selectors.queue(user, key), 25).get_page(request.GET.get("page"))
    calendar = get_calendar()
    return render(
        request,
        "backoffice/queue.html",
        {
            "queues": [(q, selectors.queue(user, q.key).count()) for q in queues],
            "current": current,
            "page": page,
            "rows": [(d, presenters.clock(d, calendar)) for d in page],
        },
    )


# --- the dossier page ------------------------------------------------------------------------------


def _offer(dossier: Dossier, action: Action, form: StyledForm, open_: bool) -> actions.OfferedAction:
    return actions.OfferedAction(
        url=reverse("backoffice:act", args=[dossier.pk, action.value]),
        label=str(actions.ACTION_LABELS[action]),
        help=str(actions.ACTION_HELP[action]),
        form=form,
        open=open_,
        destructive=action in actions.DESTRUCTIVE,
        multipart=action in (Action.RESOLVE, Action.SUPPLEMENT),
    )


def _get(request: HttpRequest, pk: int) -> Dossier:
    try:
        return dossiers.dossier_get(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _extra(dossier: Dossier, allowed: list[Action]) -> dict[str, Any]:
    pending = presenters.open_supplement(dossier)
    return {
        "items": presenters.supplement_items(dossier, pending) if pending else [],
        "agencies": selectors.agencies_for_forwarding() if Action.FORWARD in allowed else [],
        "amount_due": presenters.open_payment_amount(dossier),
    }


def _standin_app_url(row: ResultSigning | None) -> str:
    """With the signing stand-in, where the leader "confirms in the app" (its approval page)."""
    found = config.system("signing")
    if row is None or row.state != "pending" or found is None or not found.standin:
        return ""
    return f"{found.url}/confirm/{row.tran_code}"


def _dossier_page(
    request: HttpRequest, dossier: Dossier, bound: tuple[Action, StyledForm] | None = None, status: int = 200
) -> HttpResponse:
    allowed = actions.ordered(presenters.actions_for(request.user, dossier))
    extra = _extra(dossier, allowed)
    action_forms = []
    for i, action in enumerate(allowed):
        if bound and bound[0] is action:
            action_forms.append(_offer(dossier, action, bound[1], True))
        else:
            form = form_for(action, dossier, **extra)
            action_forms.append(
                _offer(dossier, action, form, bound is None and i == 0 and action not in actions.DESTRUCTIVE)
            )
    # An action no longer open (someone else was quicker): its error goes on top of the page.
    stray = [str(e) for e in bound[1].non_field_errors()] if bound and bound[0] not in allowed else []
    events = list(dossiers.dossier_events(request.user, dossier.pk))
    latest_signing = signing.latest(dossier.pk)
    names = agency_names(str((e.data or {}).get("to", "")) for e in events)
    return render(
        request,
        "backoffice/dossier.html",
        {
            "stray_errors": stray,
            "d": dossier,
            "clock": presenters.clock(dossier, get_calendar()),
            "events": events,
            "steps": presenters.timeline(dossier, events, names, for_citizen=False),
            "sheet": selectors.control_sheet(dossier),
            "actions": action_forms,
            "pending": presenters.open_supplement(dossier),
            "printable": actions.printable_forms(dossier),
            "notices": notifications.for_dossier(dossier.pk),
            "channels_off": notifications.channels_off(),
            "payment_link": payment_link(request, dossier),
            "signing_on": signing.is_on(),
            "signing": latest_signing,
            "signing_app_url": _standin_app_url(latest_signing),
            "resolve_open": Action.RESOLVE in allowed,
        },
        status=status,
    )


@staff_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    return _dossier_page(request, _get(request, pk))


def _perform(
    request: HttpRequest, dossier: Dossier, action: Action, form: StyledForm, extra: dict[str, Any]
) -> ResultSigning | None:
    """Store what the form uploaded, then take the action through the one service door. A resolve
    still waiting for the leader's signature answers its signing request."""
    data = dict(form.cleaned_data)
    if action is Action.SUPPLEMENT:
        documents = []
        for i, (code, name) in enumerate(extra["items"]):
            file_id = None
            if upload := data.get(f"item_{i}"):
                file_id, errors = store(request, upload)
                for error in errors:
                    form.add_error(f"item_{i}", error)
            documents.append(commands.DocumentIn(code=code, name=name, file_id=file_id))
        data["documents"] = documents
    elif action is Action.PAY:
        data["method"] = "counter"
    elif action is Action.RESOLVE and (upload := data.get("result_file")):
        data["result_file_id"], errors = store(request, upload)
        for error in errors:
            form.add_error("result_file", error)
    elif action is Action.RESOLVE and signing.is_on() and (waiting := signing.pending(dossier.pk)):
        data["result_file_id"] = str(waiting.source_file_id)  # "check again": the result being signed
    if form.errors:
        form.mark_invalid()
        return None
    command = commands.build(action, data)
    if isinstance(command, commands.Resolve) and command.result_file_id and signing.is_on():
        # The leader's approval is the signing step: resolved only once the signed result verifies.
        outcome = signing.resolve(actor=user_of(request), dossier_id=dossier.pk, command=command)
        return outcome.signing if outcome.dossier is None else None
    services.act(actor=user_of(request), dossier_id=dossier.pk, command=command)
    return None


SIGNING_WAIT = gettext_lazy(
    "The result was sent to your signing app. Confirm it there, then press “Check the signature”: the "
    "dossier is resolved once the signed result is back and verified."
)

DONE = {
    Action.RECEIVE: gettext_lazy("Received. Print the receipt for the applicant."),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Supplement requested; the clock is paused."),
    Action.SUPPLEMENT: gettext_lazy("Supplement recorded; the clock runs again."),
    Action.REFUSE: gettext_lazy("The dossier was refused."),
    Action.FORWARD: gettext_lazy("Handed over."),
    Action.REQUEST_PAYMENT: gettext_lazy("Payment requested; the clock is paused."),
    Action.PAY: gettext_lazy("Payment recorded; the clock runs again."),
    Action.EXTEND: gettext_lazy("The due date was extended. Send the apology letter to the applicant."),
    Action.RESOLVE: gettext_lazy("Resolved. The result goes back to the one-stop desk."),
    Action.RETURN_RESULT: gettext_lazy("The result was handed over. The dossier is finished."),
    Action.WITHDRAW: gettext_lazy("The dossier was withdrawn."),
    Action.STOP: gettext_lazy("Processing was stopped."),
}


@staff_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        chosen = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    found = _get(request, pk)
    allowed = presenters.actions_for(request.user, found)
    extra = _extra(found, [*allowed, chosen])
    form = form_for(chosen, found, request.POST, request.FILES, **extra)
    status = 400
    if form.is_valid():
        try:
            waiting = _perform(request, found, chosen, form, extra)
        except NotFound as exc:
            raise Http404 from exc
        except ServiceError as exc:
            show_service_error(form, exc)
            status = exc.status
        else:
            if waiting is not None:
                messages.info(request, str(SIGNING_WAIT))
                return redirect("backoffice:dossier", pk=pk)
            if not form.errors:
                messages.success(request, str(DONE[chosen]))
                if chosen is Action.RECEIVE:
                    return redirect("backoffice:received", pk=pk)
                return redirect("backoffice:dossier", pk=pk)
    return _dossier_page(request, found, bound=(chosen, form), status=status)


@staff_required
def received(request: HttpRequest, pk: int) -> HttpResponse:
    """Right after receipt: the code, the appointment, and the receipt to print at once."""
    found = _get(request, pk)
    allowed = presenters.actions_for(request.user, found)
    forward = None
    if Action.FORWARD in allowed:
        forward = form_for(Action.FORWARD, found, agencies=selectors.agencies_for_forwarding())
    return render(
        request,
        "backoffice/received.html",
        {"d": found, "receipt_url": actions.form_url(found, "receipt"), "forward": forward},
    )


# --- counter intake ----------------------------------------------------------------------------------


def _receiver_only(request: HttpRequest) -> HttpResponse | None:
    if user_of(request).role != Role.RECEIVER:
        return render(request, "backoffice/receivers_only.html", status=403)
    return None


@staff_required
def intake_pick(request: HttpRequest) -> HttpResponse:
    if refused := _receiver_only(request):
        return refused
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(catalog.procedure_list(search=q or None), 20).get_page(request.GET.get("page"))
    return render(request, "backoffice/intake_pick.html", {"q": q, "page": page})


@staff_required
def intake(request: HttpRequest, code: str) -> HttpResponse:
    if refused := _receiver_only(request):
        return refused
    try:
        version = catalog.procedure_get(code)
    except NotFound as exc:
        raise Http404 from exc
    required = list(version.required_documents.all())
    organisations = "organization" in version.applicant_types
    if request.method != "POST":
        form = IntakeForm(
            required_documents=required, initial={"documents": [d.code for d in required if d.required]}
        )
        applicant = ApplicantForm(prefix="applicant", organisations=organisations)
        return _intake_page(request, version, form, applicant, _Population())
    if "population_lookup" in request.POST:
        return _intake_lookup(request, version, required, organisations)
    form = IntakeForm(request.POST, required_documents=required)
    applicant = ApplicantForm(request.POST, prefix="applicant", organisations=organisations)
    lookup_id = request.POST.get("population_lookup_id", "").strip()[:36]
    population = _Population(form=PopulationLookupForm(prefix="pop", initial=_posted(request, "pop")))
    population.lookup_id = lookup_id
    if form.is_valid() & applicant.is_valid():
        names = {d.code: d.name for d in required}
        try:
            created, _new = services.create_dossier(
                actor=user_of(request),
                procedure_code=code,
                channel=form.cleaned_data["channel"],
                applicant=commands.Applicant(**applicant.cleaned_data),
                documents=[
                    commands.DocumentIn(code=c, name=names[c]) for c in form.cleaned_data["documents"]
                ],
                population_lookup_id=lookup_id or None,
            )
        except ServiceError as exc:
            show_service_error(applicant, exc, {"channel": "__all__", "receiving_agency_code": "__all__"})
        else:
            messages.success(request, _("Received. Print the receipt for the applicant."))
            return redirect("backoffice:received", pk=created.pk)
    return _intake_page(request, version, form, applicant, population, status=400)


@dataclass
class _Population:
    """The look-up block of the intake page: on or off, its form, the look-up in use, what it said."""

    form: PopulationLookupForm | None = None
    lookup_id: str = ""
    message: str = ""
    failed: bool = False

    @property
    def on(self) -> bool:
        return registry.population_registry() is not None


def _posted(request: HttpRequest, prefix: str) -> dict[str, str]:
    """What was typed in the fields of ``prefix``, as initial values (no errors shown for them)."""
    return {
        key.removeprefix(f"{prefix}-"): str(value)
        for key, value in request.POST.items()
        if key.startswith(f"{prefix}-")
    }


def _intake_lookup(
    request: HttpRequest, version: Any, required: list[Any], organisations: bool
) -> HttpResponse:
    """The look-up button: ask the population database and fill the applicant's blank fields from
    what it holds, keeping everything else that was typed. Nothing is received yet."""
    typed = _posted(request, "applicant")
    form = IntakeForm(
        required_documents=required,
        initial={"documents": request.POST.getlist("documents"), "channel": request.POST.get("channel")},
    )
    lookup = PopulationLookupForm(request.POST, prefix="pop")
    population = _Population(form=lookup)
    status = 200
    if not population.on:
        population.form = None
    elif not lookup.is_valid():
        status = 400
    elif (wait := ratelimit.wait_seconds_for_user(user_of(request), "population")) is not None:
        population.message = _("Too many look-ups. Please wait %(seconds)s seconds and try again.") % {
            "seconds": wait
        }
        population.failed, status = True, 429
    else:
        row = population_services.lookup_citizen(officer=user_of(request), query=lookup.query())
        try:
            record = population_services.raise_unless_found(row)
        except ServiceError as exc:
            population.message, population.failed = str(exc.message), True
        else:
            filled = population_services.filled_applicant(
                commands.Applicant(
                    kind=typed.get("kind", "individual"),
                    full_name=typed.get("full_name", "").strip(),
                    id_number=typed.get("id_number", "").strip(),
                    address=typed.get("address", "").strip(),
                ),
                record,
            )
            typed.update(full_name=filled.full_name, id_number=filled.id_number, address=filled.address)
            population.lookup_id = str(row.lookup_id)
            population.message = _(
                "Found in the National Population Database: %(name)s. The applicant's empty fields are filled in."
            ) % {"name": record.full_name}
    applicant = ApplicantForm(prefix="applicant", organisations=organisations, initial=typed)
    return _intake_page(request, version, form, applicant, population, status=status)


def _intake_page(
    request: HttpRequest,
    version: Any,
    form: IntakeForm,
    applicant: ApplicantForm,
    population: _Population,
    status: int = 200,
) -> HttpResponse:
    if population.form is None and population.on:
        population.form = PopulationLookupForm(prefix="pop")
    return render(
        request,
        "backoffice/intake.html",
        {"p": version, "form": form, "applicant": applicant, "population": population},
        status=status,
    )


# --- search ------------------------------------------------------------------------------------------


class SearchForm(StyledForm):
    q = forms.CharField(
        label=gettext_lazy("Dossier code, applicant name or ID number"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


@staff_required
def search(request: HttpRequest) -> HttpResponse:
    """POST only for the query: a personal ID number must never land in a URL or an access log."""
    if request.method != "POST":
        return render(request, "backoffice/search.html", {"form": SearchForm(auto_id="s_%s")})
    form = SearchForm(request.POST, auto_id="s_%s")
    results = None
    if form.is_valid():
        found = selectors.search(request.user, form.cleaned_data["q"])
        results = list(found[:51])
    calendar = get_calendar()
    return render(
        request,
        "backoffice/search.html",
        {
            "form": form,
            "results": [(d, presenters.clock(d, calendar)) for d in (results or [])[:50]],
            "searched": results is not None,
            "more": results is not None and len(results) > 50,
        },
    )
