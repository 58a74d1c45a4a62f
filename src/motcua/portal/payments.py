"""Thanh toán: the citizen pays a payment order of their dossier — on the national payment platform or by
bank transfer (VietQR) — and comes back from the platform to a page that says where the payment stands.

The page never trusts what the platform's redirect says (``responseCode``): the order is paid when the
platform's signed confirmation (or a QUERY) says so; until then the page says it is being confirmed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.current import user_of
from motcua.core.errors import NotFound, ServiceError
from motcua.core.public_url import public_base_url
from motcua.dossiers.models import Payment, PaymentStatus
from motcua.integrations.payment import api as payment_api
from motcua.integrations.payment import receipts, services
from motcua.portal.forms import LookupForm
from motcua.web.access import citizen_required
from motcua.web.ratelimit import too_many, wait_seconds


@citizen_required
@require_POST
def pay(request: HttpRequest, pk: int, payment_id: int) -> HttpResponseBase:
    channel = request.POST.get("channel", "")
    try:
        started = services.checkout(
            actor=user_of(request),
            dossier_id=pk,
            payment_id=payment_id,
            channel=channel,
            base_url=public_base_url(request),
            client_ip=str(request.META.get("REMOTE_ADDR", "")),
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:my_dossier", pk=pk)
    if started.redirect_url:
        # A page with a link, not a 302: the dossier page's CSP (form-action 'self') forbids a form's
        # POST to end on another site, and Chromium checks the redirect against it.
        return render(
            request, "portal/payment_redirect.html", {"redirect_url": started.redirect_url, "pk": pk}
        )
    payment = services.order_for(user_of(request), pk, payment_id)
    account = services.collecting_account(payment.dossier.receiving_agency)
    return render(
        request,
        "portal/payment_qr.html",
        {
            "d": payment.dossier,
            "payment": payment,
            "account": account,
            "purpose": services.transfer_purpose(payment),
            "qr_payload": started.qr_payload,
            "qr_image_url": payment_api.qr_image_path(payment),
        },
    )


@citizen_required
def returned(request: HttpRequest) -> HttpResponse:
    """Where the platform sends the payer's browser back (``?data=<MaThamChieu>&responseCode=…``)."""
    reference = request.GET.get("data", "")[:40]
    payment = (
        Payment.objects.select_related("dossier")
        .filter(reference=reference, dossier__applicant_user=user_of(request))
        .first()
        if reference
        else None
    )
    if payment is None:
        raise Http404
    return render(
        request,
        "portal/payment_result.html",
        {"payment": payment, "d": payment.dossier, "declined": request.GET.get("responseCode", "00") != "00"},
    )


@require_POST
def lookup_receipt(request: HttpRequest) -> HttpResponseBase:
    """The e-receipt from the public look-up: code, personal ID and the order, all in the body."""
    form = LookupForm(request.POST)
    if wait := wait_seconds(request, "lookup"):
        return too_many(request, "portal/lookup.html", {"form": form}, wait)
    payment_id = request.POST.get("payment_id", "")
    if not form.is_valid() or not payment_id.isdigit():
        raise Http404
    payment = (
        Payment.objects.select_related("dossier", "dossier__procedure_version", "dossier__receiving_agency")
        .filter(
            pk=int(payment_id),
            status=PaymentStatus.PAID,
            dossier__code=form.cleaned_data["code"],
            dossier__applicant_id_number=form.cleaned_data["id_number"],
        )
        .first()
    )
    if payment is None:
        raise Http404
    response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.filename(payment)}"'
    response["Cache-Control"] = "private, no-store"
    return response
