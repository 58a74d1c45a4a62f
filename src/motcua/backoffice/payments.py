"""The desk's side of payments: each order's state and channel, the link to send the applicant, and the
confirmation of a bank transfer (VietQR) seen on the agency's account. A payment at the counter is the
dossier's ``pay`` action, on the page's action list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.current import user_of
from motcua.core.errors import NotFound, ServiceError
from motcua.core.public_url import public_base_url
from motcua.dossiers.models import Dossier
from motcua.integrations.payment import services
from motcua.web.access import staff_required


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
