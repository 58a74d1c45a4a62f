"""Public pages: the procedure catalog, the look-up, the rating form, and logging in and out.

Views parse the request, ask a selector or call a service, and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog import selectors as catalog
from motcua.catalog.models import OnlineLevel
from motcua.core.errors import Conflict, InvalidInput, NotFound, ServiceError
from motcua.core.replica import reads_from_replica
from motcua.dossiers import selectors as dossiers
from motcua.dossiers import services, signing
from motcua.dossiers.labels import where_label
from motcua.dossiers.models import Payment, PaymentStatus
from motcua.dossiers.workflow import FINISHED, Status
from motcua.files.downloads import download
from motcua.portal import selectors as portal
from motcua.portal.forms import LookupForm, RatingForm, VerifyForm
from motcua.web.ratelimit import too_many, wait_seconds

NOT_FOUND = gettext_lazy(
    "No dossier matches this code and ID number. Check both against your receipt and try again."
)
NO_RESULT = gettext_lazy(
    "No electronic result can be downloaded with this code and ID number: it may not have been handed over yet."
)
ONLINE = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


@reads_from_replica
def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "").strip()[:200]
    agency = request.GET.get("agency", "").strip()[:35]
    procedures = catalog.procedure_list(search=q or None, field=field or None, agency_code=agency or None)
    page = Paginator(procedures, 20).get_page(request.GET.get("page"))
    fields = catalog.fields_with_counts()
    filters = {k: v for k, v in (("q", q), ("field", field), ("agency", agency)) if v}
    return render(
        request,
        "portal/home.html",
        {
            "q": q,
            "field": field,
            "agency": agency,
            "page": page,
            "fields": fields,
            "agencies": portal.agencies_with_counts(),
            "total": sum(n for _f, n in fields),
            "filtered": bool(filters),
            "keep": "&" + urlencode(filters) if filters else "",
            "lookup_form": LookupForm(auto_id="home_%s"),
        },
    )


@reads_from_replica
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = catalog.procedure_get(code)
    except NotFound as exc:
        raise Http404 from exc
    labels = {"individual": _("Individuals"), "organization": _("Organisations")}
    return render(
        request,
        "portal/procedure.html",
        {
            "p": version,
            "applicant_types": [labels.get(t, t) for t in version.applicant_types],
            "online": version.online_level in ONLINE,
            "fully_online": version.online_level == OnlineLevel.FULL,
        },
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu hồ sơ. The ID number comes in the body only; the QR code on the receipt brings ?ma=."""
    if request.method != "POST":
        form = LookupForm(initial={"code": request.GET.get("ma", "").strip()[:60]})
        return render(request, "portal/lookup.html", {"form": form})
    form = LookupForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if wait := wait_seconds(request, "lookup"):
        return too_many(request, "portal/lookup.html", context, wait)
    if form.is_valid():
        try:
            found = dossiers.lookup(code=form.cleaned_data["code"], id_number=form.cleaned_data["id_number"])
        except NotFound:
            form.add_error(None, NOT_FOUND)
        else:
            context |= {
                "found": found,
                "where": where_label(found.status, found.step),
                "id_number": form.cleaned_data["id_number"],  # for the download form, in the body again
                "receipts": list(Payment.objects.filter(dossier_id=found.pk, status=PaymentStatus.PAID)),
            }
            if Status(found.status) in FINISHED and not portal.is_rated(found.pk):
                context["rating_form"] = RatingForm(
                    initial={"code": found.code, "id_number": form.cleaned_data["id_number"]},
                    auto_id="rate_%s",
                )
    return render(request, "portal/lookup.html", context)


@require_POST
def lookup_result(request: HttpRequest) -> HttpResponseBase:
    """The electronic result by code and ID number, both in the body; once it has been handed over."""
    form = LookupForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if wait := wait_seconds(request, "lookup"):
        return too_many(request, "portal/lookup.html", context, wait)
    status = 400
    if form.is_valid():
        try:
            stored = dossiers.lookup_result_file(
                code=form.cleaned_data["code"], id_number=form.cleaned_data["id_number"]
            )
        except NotFound:
            form.add_error(None, NO_RESULT)
            status = 404
        else:
            return download(stored, f"ket-qua-{form.cleaned_data['code']}.pdf")
    return render(request, "portal/lookup.html", context, status=status)


def rate(request: HttpRequest) -> HttpResponse:
    """Đánh giá mức độ hài lòng: by code and ID number, once the result is ready."""
    if request.method != "POST":
        form = RatingForm(initial={"code": request.GET.get("ma", "").strip()[:60]})
        return render(request, "portal/rate.html", {"form": form})
    form = RatingForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if wait := wait_seconds(request, "lookup"):
        return too_many(request, "portal/rate.html", context, wait)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rate(
                code=data["code"],
                id_number=data["id_number"],
                satisfied=data["satisfied"],
                comment=data["comment"],
            )
        except NotFound:
            form.add_error(None, NOT_FOUND)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(
                request, "portal/rated.html", {"code": data["code"], "satisfied": data["satisfied"]}
            )
    return render(request, "portal/rate.html", context)


def verify_result(request: HttpRequest) -> HttpResponse:
    """Kiểm tra kết quả điện tử: anyone uploads a result PDF and learns whether its signature holds,
    who signed it, when, and for which dossier. Nothing is kept. Rate-limited like the API."""
    if request.method != "POST":
        return render(request, "portal/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if wait := wait_seconds(request, "verify"):
        return too_many(request, "portal/verify.html", context, wait)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["verdict"] = signing.verify_result(upload.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1))
            status = 200
        except InvalidInput as exc:
            for message in exc.fields.get("file", [str(exc.message)]):
                form.add_error("file", message)
        except ServiceError as exc:
            context["error"] = exc.message
            status = exc.status
    return render(request, "portal/verify.html", context, status=status)
