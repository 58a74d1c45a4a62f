"""The admins' page of what leaves MotCua: per counterpart the queue and the last delivery, and the
dead letters with their errors and a button to send each again (contract §8)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import ServiceError
from motcua.outbox import selectors, services
from motcua.outbox.models import State
from motcua.web.access import admin_required


@admin_required
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.messages(state=State.FAILED), 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/outbox.html", {"counterparts": selectors.counterparts(), "page": page})


@admin_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.retry(pk)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The message is back in line and will be sent shortly."))
    return redirect("backoffice:outbox")
