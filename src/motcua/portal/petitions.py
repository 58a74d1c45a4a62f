"""Public pages for petitions (PAKN): the form (logged in or not), the receipt, the published
answers searchable without diacritics, and the sender's one evaluation.

Personal data go in the body of a POST only, never in a URL; the published pages never read them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency, AgencyKind
from motcua.core.errors import Conflict, InvalidInput, NotFound, ServiceError
from motcua.core.log_filters import mask
from motcua.files.models import StoredFile
from motcua.files.services import store_upload
from motcua.petitions import commands, selectors, services
from motcua.petitions.models import About
from motcua.web import pickers
from motcua.web.forms import StyledForm, set_choices, show_service_error, upload_field
from motcua.web.ratelimit import too_many, wait_seconds

ATTACHMENTS = 3


class PetitionForm(StyledForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    content = forms.CharField(
        label=gettext_lazy("Content"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Up to 10,000 characters."),
    )
    about = forms.ChoiceField(label=gettext_lazy("About"), choices=About.choices, widget=forms.RadioSelect)
    agency_code = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)
    dossier_code = forms.CharField(
        label=gettext_lazy("Dossier code (if it is about a dossier)"), max_length=60, required=False
    )
    full_name = forms.CharField(label=gettext_lazy("Your full name"), max_length=200)
    phone = forms.RegexField(r"^\+?\d{8,15}$", label=gettext_lazy("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    publish_consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the question and its answer are published, without my name or contact details"
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = (
            Agency.objects.filter(valid_to__isnull=True).exclude(kind=AgencyKind.CENTRE).order_by("path")
        )
        set_choices(
            self, "agency_code", [("", _("— the agency of the dossier —")), *pickers.agency_choices(agencies)]
        )
        for i in range(ATTACHMENTS):
            self.fields[f"file_{i}"] = upload_field(_("Attachment %(n)s") % {"n": i + 1})
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("Give a phone number or an e-mail address to receive the answer."))
        if not (data.get("agency_code") or data.get("dossier_code")):
            self.add_error("agency_code", _("Choose the agency the petition is about."))
        return data

    def clean_dossier_code(self) -> str:
        return str(self.cleaned_data.get("dossier_code") or "").strip().upper()

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"]).strip()
        if not content:
            raise ValidationError(_("Write what the petition is about."))
        return content


def _store(request: HttpRequest, form: PetitionForm) -> list[StoredFile]:
    """Store the attachments (checked by content); errors go on their fields."""
    stored = []
    actor = request.user if request.user.is_authenticated else None
    for i in range(ATTACHMENTS):
        upload = form.cleaned_data.get(f"file_{i}")
        if not upload:
            continue
        try:
            stored.append(
                store_upload(actor=actor, name=upload.name or "", stream=upload, size=upload.size or 0)
            )
        except InvalidInput as exc:
            for message in [m for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]:
                form.add_error(f"file_{i}", message)
    return stored


def send(request: HttpRequest) -> HttpResponse:
    """Gửi phản ánh, kiến nghị: logged in or not; ?ho-so= prefills the dossier (from its page)."""
    if request.method != "POST":
        initial: dict[str, Any] = {"dossier_code": request.GET.get("ho-so", "").strip()[:60]}
        if initial["dossier_code"]:
            initial["about"] = About.PROCEDURE
        user = request.user
        if user.is_authenticated:
            initial |= {"full_name": getattr(user, "full_name", "") or "", "email": user.email or ""}
        return render(request, "portal/petition_form.html", {"form": PetitionForm(initial=initial)})
    form = PetitionForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if wait := wait_seconds(request, "petition"):
        return too_many(request, "portal/petition_form.html", context, wait)
    if form.is_valid():
        attachments = _store(request, form)
        data = form.cleaned_data
        if not form.errors:
            try:
                petition = services.submit(
                    actor=request.user if request.user.is_authenticated else None,
                    title=data["title"],
                    content=data["content"],
                    about=data["about"],
                    agency_code=data["agency_code"] or None,
                    dossier_code=data["dossier_code"] or None,
                    submitter=commands.SubmitterIn(
                        full_name=data["full_name"], phone=data["phone"], email=data["email"]
                    ),
                    publish_consent=data["publish_consent"],
                    attachments=attachments,
                )
            except ServiceError as exc:
                show_service_error(
                    form,
                    exc,
                    {
                        "submitter.phone": "phone",
                        "submitter.full_name": "full_name",
                        "submitter.email": "email",
                    },
                )
            else:
                return redirect("portal:petition_sent", code=petition.code)
    form.mark_invalid()
    return render(request, "portal/petition_form.html", context, status=400)


def sent(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the code to look the answer up with. Nothing personal is shown."""
    return render(request, "portal/petition_sent.html", {"code": code[:20]})


def published(request: HttpRequest) -> HttpResponse:
    """The published answers: search without diacritics, by agency and topic."""
    q = request.GET.get("q", "").strip()[:200]
    agency = request.GET.get("agency", "").strip()[:35]
    about = request.GET.get("about", "").strip()[:20]
    about = about if about in About.values else ""
    page = Paginator(
        selectors.published_petitions(agency_code=agency or None, about=about or None, search=q or None), 20
    ).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("q", q), ("agency", agency), ("about", about)) if v}
    agencies = Agency.objects.filter(valid_to__isnull=True).exclude(kind=AgencyKind.CENTRE).order_by("path")
    return render(
        request,
        "portal/petitions.html",
        {
            "q": q,
            "agency": agency,
            "about": about,
            "abouts": About.choices,
            "agencies": [(a.code, a.name) for a in agencies],
            "page": page,
            "rows": [(p, mask(p.title)) for p in page],
            "keep": "&" + urlencode(filters) if filters else "",
        },
    )


class EvaluationForm(StyledForm):
    proof = forms.CharField(
        label=gettext_lazy("The phone number or personal ID number you sent the petition with"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    satisfied = forms.TypedChoiceField(
        label=gettext_lazy("Are you satisfied with the answer?"),
        choices=[("yes", gettext_lazy("Satisfied")), ("no", gettext_lazy("Not satisfied"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One published answer, and the sender's evaluation of it (the proof in the body, once)."""
    try:
        petition = selectors.published_get(code)
    except NotFound as exc:
        raise Http404 from exc
    context: dict[str, Any] = {
        "p": petition,
        "title": mask(petition.title),
        "content": mask(petition.content),
        "form": EvaluationForm(auto_id="ev_%s"),
    }
    if request.method != "POST":
        return render(request, "portal/petition_answer.html", context)
    form = EvaluationForm(request.POST, auto_id="ev_%s")
    context["form"] = form
    if wait := wait_seconds(request, "lookup"):
        return too_many(request, "portal/petition_answer.html", context, wait)
    status = 400
    if form.is_valid():
        proof = form.cleaned_data["proof"].strip()
        by = {"id_number": proof} if len(proof) == 12 and proof.isdigit() else {"phone": proof}
        try:
            services.evaluate(code=petition.code, satisfied=form.cleaned_data["satisfied"], **by)
        except NotFound:
            form.add_error(
                "proof", _("This is not the phone number or ID number the petition was sent with.")
            )
            status = 404
        except Conflict as exc:
            form.add_error(None, str(exc.message))
            status = 409
        else:
            context["evaluated"] = form.cleaned_data["satisfied"]
            context["form"] = None
            return render(request, "portal/petition_answer.html", context)
    return render(request, "portal/petition_answer.html", context, status=status)
