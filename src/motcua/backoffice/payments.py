"""The desk's side of payments: each order's state and channel, the link to send the applicant, and the
confirmation of a bank transfer (VietQR) seen on the agency's account. A payment at the counter is the
dossier's ``pay`` action, on the page's action list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.current import user_of
from motcua.accounts.roles import Role
from motcua.core.errors import NotFound, ServiceError
from motcua.core.public_url import public_base_url
from motcua.dossiers.models import Dossier
from motcua.integrations.payment import services, statements
from motcua.notifications import services as notifications
from motcua.web.access import forbidden, staff_required


def payment_link(request: HttpRequest, dossier: Dossier) -> str:
    """Where the applicant pays: their dossier page on the portal (they log in with their account or VNeID)."""
    return f"{public_base_url(request)}{reverse('portal:my_dossier', args=[dossier.pk])}#thanh-toan"


@staff_required
@require_POST
def confirm_transfer(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    transaction_id = request.POST.get("transaction_id", "").strip()[:100]
    try:
        services.confirm_transfer(
            actor=user_of(request), dossier_id=pk, payment_id=payment_id, transaction_id=transaction_id
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Transfer confirmed; the clock runs again."))
    return redirect("backoffice:dossier", pk=pk)


@staff_required
@require_POST
def resend_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the applicant the payment request again, through the outbox (SMS, Zalo, e-mail)."""
    try:
        sent = notifications.resend_payment_request(actor=user_of(request), dossier_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The payment request is sent again (%(n)s messages).") % {"n": sent})
    return redirect("backoffice:dossier", pk=pk)


STATEMENT_ROLES = frozenset({Role.RECEIVER, Role.LEADER})
MAX_STATEMENT_BYTES = 5 * 1024 * 1024


@staff_required
def statement(request: HttpRequest) -> HttpResponse:
    """Sao kê: the collecting account's statement (CSV or XLSX) settles the VietQR transfers it lists, for
    the dossiers the officer can see."""
    if user_of(request).role not in STATEMENT_ROLES:
        return forbidden(request, staff_page=True)
    context: dict[str, object] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_STATEMENT_BYTES:
            context["error"] = _("Choose a CSV or XLSX file of at most 5 MB.")
        else:
            try:
                transfers = statements.read(upload.read(), upload.name or "")
            except Exception:  # noqa: BLE001 — a broken CSV or workbook: say so, never a 500
                context["error"] = _("The file is not a statement with the columns amount and description.")
            else:
                context["result"] = services.apply_statement(transfers, actor=user_of(request))
    return render(request, "backoffice/statement.html", context, status=400 if "error" in context else 200)
