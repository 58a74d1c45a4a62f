"""The logged-in citizen's pages: online submission, "my dossiers", supplements, withdrawal.

The submission is a draft in the session until the citizen confirms it on the review page: each
file is stored the moment it arrives, so a mistake elsewhere on the form never costs a re-upload.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts import identity, sessions
from motcua.accounts.current import user_of
from motcua.agencies.models import Agency
from motcua.agencies.selectors import agency_names
from motcua.calendar.selectors import get_calendar
from motcua.catalog import selectors as catalog
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import implementing_agencies
from motcua.core.errors import NotFound, ServiceError
from motcua.dossiers import commands, services
from motcua.dossiers import selectors as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Status
from motcua.files.downloads import download
from motcua.integrations import registry
from motcua.integrations.population import services as population_services
from motcua.integrations.population.ports import CitizenQuery
from motcua.notifications import selectors as notifications
from motcua.notifications import services as notification_services
from motcua.portal import selectors as portal
from motcua.portal.forms import ChannelsForm, DocumentsForm, PlaceForm, RatingForm, place_from_address
from motcua.portal.presenters import next_step
from motcua.portal.views import ONLINE
from motcua.warehouse import selectors as warehouse
from motcua.web import presenters, ratelimit
from motcua.web.access import citizen_required
from motcua.web.forms import ApplicantForm, ReasonForm, SupplementForm, show_service_error
from motcua.web.uploads import store


def _online_procedure(code: str) -> ProcedureVersion:
    try:
        version = catalog.procedure_get(code)
    except NotFound as exc:
        raise Http404 from exc
    if version.online_level not in ONLINE:
        raise Http404
    return version


def _draft_key(code: str) -> str:
    return f"portal:draft:{code}"


@citizen_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the applicant (prefilled from the account) and one upload per required document."""
    version = _online_procedure(code)
    required = list(version.required_documents.all())
    organisations = "organization" in version.applicant_types
    draft: dict[str, Any] = request.session.get(_draft_key(code)) or {}
    stored = {d["code"]: d for d in draft.get("documents", [])}
    user = user_of(request)
    places = list(implementing_agencies(version).select_related("admin_unit"))
    offers = warehouse.offers(user, required)
    if request.method != "POST":
        draft = _population_prefill(request, code, draft)
        prefill = draft.get("population_prefill") or {}
        initial = draft.get("applicant") or {
            "kind": "individual",
            "full_name": prefill.get("full_name") or user.full_name,
            "id_number": prefill.get("id_number") or user.id_number or "",
            "phone": user.phone,
            "email": user.email,
            "address": prefill.get("address", ""),
        }
        applicant = ApplicantForm(initial=initial, organisations=organisations)
        documents = DocumentsForm(
            documents=required, kept=_uploaded(stored), offers=offers, chosen=_from_warehouse(stored)
        )
        where = draft.get("resolving_agency_code") or _place_for(version, initial.get("address", ""), places)
        place = (
            PlaceForm(initial={"resolving_agency_code": where}, agencies=places) if len(places) > 1 else None
        )
        return _submit_page(request, version, applicant, documents, place)

    applicant = ApplicantForm(request.POST, organisations=organisations)
    applicant_ok = applicant.is_valid()
    place = None
    if len(places) > 1:
        posted = request.POST.copy()
        if not posted.get("resolving_agency_code"):  # as the page offers it: from the address
            posted["resolving_agency_code"] = _place_for(version, posted.get("address", ""), places)
        place = PlaceForm(posted, agencies=places)
    place_ok = place is None or place.is_valid()
    upload_errors: dict[int, list[str]] = {}
    for i, doc in enumerate(required):
        choice = request.POST.get(f"use_{i}", "")
        if choice:  # a document of the warehouse: nothing is uploaded twice
            picked = next((w for w in offers.get(doc.code, []) if str(w.pk) == choice), None)
            if picked is None:
                upload_errors[i] = [_("Choose one of the documents offered.")]
            else:
                stored[doc.code] = {
                    "code": doc.code,
                    "name": doc.name,
                    "warehouse_id": picked.pk,
                    "filename": picked.name,
                }
            continue
        if f"use_{i}" in request.POST and stored.get(doc.code, {}).get("warehouse_id"):
            del stored[doc.code]  # the citizen went back to attaching a file
        upload = request.FILES.get(f"doc_{i}")
        if upload is None:
            continue
        file_id, errors = store(request, upload)
        if errors:
            upload_errors[i] = errors
        else:
            stored[doc.code] = {
                "code": doc.code,
                "name": doc.name,
                "file_id": file_id,
                "filename": upload.name,
            }
    for i, doc in enumerate(required):
        if doc.required and doc.code not in stored and i not in upload_errors:
            upload_errors[i] = [_("Attach this document: it is required.")]
    draft = {
        "applicant": applicant.cleaned_data if applicant_ok else draft.get("applicant"),
        "resolving_agency_code": place.cleaned_data["resolving_agency_code"]
        if place is not None and place_ok
        else draft.get("resolving_agency_code"),
        "documents": [stored[d.code] for d in required if d.code in stored],
        "key": draft.get("key") or uuid.uuid4().hex,
        "population_tried": draft.get("population_tried", False),
        "population_prefill": draft.get("population_prefill"),
        "population_lookup_id": draft.get("population_lookup_id", ""),
    }
    request.session[_draft_key(code)] = draft
    if applicant_ok and place_ok and not upload_errors:
        return redirect("portal:review", code=code)
    chosen = _from_warehouse(stored)
    documents = DocumentsForm(
        data={f"use_{i}": str(chosen[d.code]) for i, d in enumerate(required) if d.code in chosen},
        files={},
        documents=required,
        kept=_uploaded(stored),
        offers=offers,
        chosen=chosen,
    )
    documents.is_valid()
    for i, errors in upload_errors.items():
        for error in errors:
            documents.add_error(f"doc_{i}", error)
    documents.mark_invalid()
    return _submit_page(request, version, applicant, documents, place, status=400)


def _uploaded(stored: dict[str, Any]) -> dict[str, str]:
    """The draft's documents attached as files: code → file name."""
    return {c: d["filename"] for c, d in stored.items() if not d.get("warehouse_id")}


def _from_warehouse(stored: dict[str, Any]) -> dict[str, int]:
    """The draft's documents taken from the warehouse: code → warehouse id."""
    return {c: int(d["warehouse_id"]) for c, d in stored.items() if d.get("warehouse_id")}


def _population_prefill(request: HttpRequest, code: str, draft: dict[str, Any]) -> dict[str, Any]:
    """A citizen logged in with VNeID: look them up in the population database once per draft, so the
    form comes filled with what the State already holds ("provide data only once"). The look-up is
    audited with the citizen as the one who asked. Nothing happens when the registry is off, the
    claims are missing, or the citizen is over the look-up rate; the form is then filled as usual."""
    claims = sessions.vneid_claims(request)
    if (
        draft.get("population_tried")
        or not isinstance(claims, dict)
        or registry.population_registry() is None
    ):
        return draft
    draft = {**draft, "population_tried": True}
    request.session[_draft_key(code)] = draft
    user = user_of(request)
    query = _claims_query(claims)
    if query is None or ratelimit.wait_seconds_for_user(user, "population") is not None:
        return draft
    row = population_services.lookup_citizen(officer=user, query=query)
    try:
        record = population_services.raise_unless_found(row)
    except ServiceError:
        return draft
    filled = population_services.filled_applicant(
        commands.Applicant(kind="individual", full_name="", id_number=""), record
    )
    draft["population_prefill"] = {
        "full_name": filled.full_name,
        "id_number": filled.id_number,
        "address": filled.address,
    }
    draft["population_lookup_id"] = str(row.lookup_id)
    request.session[_draft_key(code)] = draft
    return draft


def _claims_query(claims: dict[str, Any]) -> CitizenQuery | None:
    """The look-up the VNeID claims allow: the personal ID, the name, and the birth date, or else the
    birth year the personal ID itself encodes."""
    try:
        id_number = identity.check_personal_id(str(claims.get("id_number") or ""))
        born = str(claims.get("birth_date") or "")
        birth_date = date.fromisoformat(born) if born else None
    except (identity.InvalidIdentifier, ValueError):
        return None
    name = str(claims.get("full_name") or "").strip()
    if not name:
        return None
    year = None if birth_date else identity.birth_year(id_number)
    return CitizenQuery(id_number=id_number, full_name=name, birth_date=birth_date, birth_year=year)


def _population_lookup_for(draft: dict[str, Any]) -> str | None:
    """The draft's look-up, while the personal ID is still the one it found (else its data is not used)."""
    prefill = draft.get("population_prefill") or {}
    applicant = draft.get("applicant") or {}
    if draft.get("population_lookup_id") and prefill.get("id_number") == applicant.get("id_number"):
        return str(draft["population_lookup_id"])
    return None


def _place_for(version: ProcedureVersion, address: str, places: list[Agency]) -> str:
    """The agency to offer first: the one the address names, else the procedure's own."""
    found = place_from_address(address, places)
    return (found or version.agency).code


def _submit_page(
    request: HttpRequest,
    version: ProcedureVersion,
    applicant: ApplicantForm,
    documents: DocumentsForm,
    place: PlaceForm | None,
    status: int = 200,
) -> HttpResponse:
    draft = request.session.get(_draft_key(version.procedure.code)) or {}
    note = (
        _("Your name, personal ID and address come from the National Population Database.")
        if draft.get("population_prefill")
        else ""
    )
    return render(
        request,
        "portal/submit.html",
        {
            "p": version,
            "applicant": applicant,
            "documents": documents,
            "place": place,
            "step": 1,
            "population_note": note,
        },
        status=status,
    )


@citizen_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: everything at a glance, then submit."""
    version = _online_procedure(code)
    draft = request.session.get(_draft_key(code))
    have = {d["code"] for d in (draft or {}).get("documents", [])}
    missing = [d for d in version.required_documents.all() if d.required and d.code not in have]
    if not draft or not draft.get("applicant") or missing:
        return redirect("portal:submit", code=code)
    errors: list[str] = []
    if request.method == "POST":
        try:
            dossier, _created = services.create_dossier(
                actor=user_of(request),
                procedure_code=code,
                channel="online",
                applicant=commands.Applicant(**draft["applicant"]),
                documents=commands.documents(draft["documents"]),
                resolving_agency_code=draft.get("resolving_agency_code"),
                idempotency_key=f"portal:{draft['key']}",
                vneid_verified=sessions.vneid_verified(request),
                population_lookup_id=_population_lookup_for(draft),
            )
        except ServiceError as exc:
            errors = [m for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]
        else:
            del request.session[_draft_key(code)]
            return redirect("portal:submitted", pk=dossier.pk)
    place = next(
        (a for a in implementing_agencies(version) if a.code == draft.get("resolving_agency_code")),
        version.agency,
    )
    return render(
        request,
        "portal/review.html",
        {"p": version, "draft": draft, "place": place, "errors": errors, "step": 2},
        status=400 if errors else 200,
    )


def _own(request: HttpRequest, pk: int) -> Dossier:
    try:
        return dossiers.dossier_get(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@citizen_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the confirmation, and what happens next."""
    return render(request, "portal/submitted.html", {"d": _own(request, pk), "step": 3})


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(dossiers.dossier_list(request.user), 20).get_page(request.GET.get("page"))
    rated = portal.rated_ids([d.pk for d in page])
    rows = [(d, next_step(d, rated=d.pk in rated)) for d in page]
    return render(request, "portal/my_dossiers.html", {"page": page, "rows": rows})


@citizen_required
def my_documents(request: HttpRequest) -> HttpResponse:
    """Kho dữ liệu của tôi: what the State already holds for the citizen, to download or reuse."""
    kept = warehouse.documents_of(request.user).select_related("dossier")
    page = Paginator(kept, 20).get_page(request.GET.get("page"))
    return render(request, "portal/my_documents.html", {"page": page})


@citizen_required
def notification_channels(request: HttpRequest) -> HttpResponseBase:
    """Cách nhận thông báo: the channels the citizen wants to be told by (all, by default)."""
    user = user_of(request)
    chosen = notification_services.chosen_channels(user)
    form = ChannelsForm(
        request.POST or None, initial={"sms": chosen.sms, "zalo": chosen.zalo, "email": chosen.email}
    )
    if request.method == "POST" and form.is_valid():
        notification_services.choose_channels(user=user, **form.cleaned_data)
        messages.success(request, _("Your choice of notification channels is saved."))
        return redirect("portal:notification_channels")
    return render(
        request,
        "portal/notification_channels.html",
        {"form": form, "channels_off": notifications.channels_off()},
    )


@citizen_required
def my_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own(request, pk)
    events = list(dossiers.dossier_events(request.user, pk))
    names = agency_names(str((e.data or {}).get("to", "")) for e in events)
    rated = portal.is_rated(pk)
    allowed = presenters.actions_for(request.user, dossier)
    context = {
        "d": dossier,
        "steps": presenters.timeline(dossier, events, names, for_citizen=True),
        "next": next_step(dossier, rated=rated),
        "clock": presenters.clock(dossier, get_calendar(), for_citizen=True),
        "pending": presenters.open_supplement(dossier),
        "withdraw_form": ReasonForm(auto_id="withdraw_%s") if Action.WITHDRAW in allowed else None,
        "rating_form": None,
        "notices": notifications.for_dossier(pk),
    }
    if dossier.result_file_id is not None and dossier.status == Status.RETURNED:
        context["result_url"] = reverse("portal:result", args=[pk])
    if dossier.code and not rated and Status(dossier.status) in (Status.RESOLVED, Status.RETURNED):
        context["rating_form"] = RatingForm(
            initial={"code": dossier.code, "id_number": dossier.applicant_id_number}, auto_id="rate_%s"
        )
    return render(request, "portal/my_dossier.html", context)


@citizen_required
def result(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Kết quả điện tử: the citizen's own result, once the desk has handed it over."""
    try:
        stored = dossiers.result_file(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.info(request, str(exc.message))
        return redirect("portal:my_dossier", pk=pk)
    return download(stored, f"ket-qua-{pk}.pdf")


@citizen_required
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """Bổ sung hồ sơ: only the items asked for; everything already sent is kept."""
    dossier = _own(request, pk)
    pending = presenters.open_supplement(dossier)
    if dossier.status != Status.AWAITING_SUPPLEMENT or pending is None:
        messages.info(request, _("No documents are being asked for on this dossier."))
        return redirect("portal:my_dossier", pk=pk)
    items = presenters.supplement_items(dossier, pending)
    posted = request.method == "POST"
    form = SupplementForm(request.POST if posted else None, request.FILES if posted else None, items=items)
    if posted and form.is_valid():
        documents: list[commands.DocumentIn] = []
        for i, (code, name) in enumerate(items):
            file_id, errors = store(request, form.cleaned_data[f"item_{i}"])
            for error in errors:
                form.add_error(f"item_{i}", error)
            documents.append(commands.DocumentIn(code=code, name=name, file_id=file_id))
        form.mark_invalid()
        if not form.errors:
            try:
                services.act(
                    actor=user_of(request),
                    dossier_id=pk,
                    command=commands.Supplement(documents=documents),
                )
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(
                    request, _("Thank you. The documents were sent and the processing clock runs again.")
                )
                return redirect("portal:my_dossier", pk=pk)
    return render(
        request,
        "portal/supplement.html",
        {"d": dossier, "pending": pending, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@citizen_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to withdraw the dossier."))
        return redirect("portal:my_dossier", pk=pk)
    try:
        services.act(
            actor=user_of(request),
            dossier_id=pk,
            command=commands.Close(closing=Action.WITHDRAW, reason=form.cleaned_data["reason"]),
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your dossier was withdrawn."))
    return redirect("portal:my_dossier", pk=pk)
