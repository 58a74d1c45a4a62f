"""The national channels' pushes (integrations.md §5, §10.2 item 5), outside ``/api/v1`` and outside
the public schema: each answers in its channel's own shape, not the contract's envelope.

- ``POST /api/integrations/dvcqg/dossiers`` (model B, the national portal): the shared secret in the
  ``X-Api-Key`` header; answers ``{error_code 0 | -1, message}``.
- ``POST /api/integrations/vneid/dossiers`` (model D, VNeID's LLTP e-form): the secret as
  ``?CodeGet=`` (as VNeID sends it) or in the ``X-Code-Get`` header; answers ``{statusCode, data,
  errorDetail}``.

Secrets are compared in constant time; pushes are rate-limited per client address like the other
public endpoints. A refusal creates nothing. Nothing personal is logged.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core.throttling import WindowThrottle
from motcua.integrations import config
from motcua.integrations.inbound import services, wire
from motcua.integrations.inbound.ports import DVCQG, VNEID, InboundDossier

log = logging.getLogger("motcua.integrations.inbound")

Answer = Callable[[int, bool, str, Any], JsonResponse]


def _dvcqg(status: int, ok: bool, message: str, data: Any) -> JsonResponse:
    return JsonResponse(
        wire.dvcqg_answer(ok, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def _vneid(status: int, ok: bool, message: str, data: Any) -> JsonResponse:
    body = wire.vneid_answer(status, data if ok else None, None if ok else message)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _take(
    request: HttpRequest,
    source: str,
    given: str,
    read: Callable[[Any], InboundDossier],
    answer: Answer,
) -> JsonResponse:
    with translation.override("vi"):  # the national systems read Vietnamese
        if not WindowThrottle().allow_client(request, "inbound"):
            return answer(429, False, _("Too many requests; try again later."), None)
        secret = config.inbound_secret(source)
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("inbound %s: refused, bad or missing shared secret", source)
            return answer(401, False, _("The shared secret is missing or wrong."), None)
        try:
            inbound = read(json.loads(request.body))
        except ValueError as exc:  # not JSON, or a WireError naming the field
            message = exc.message if isinstance(exc, wire.WireError) else _("The body is not JSON.")
            field = exc.field if isinstance(exc, wire.WireError) else "body"
            return answer(400, False, _("The dossier cannot be read (%(field)s: %(problem)s).") % {
                "field": field, "problem": message}, None)  # fmt: skip
        try:
            dossier, created = services.create_external(inbound)
        except services.Refused as exc:
            log.warning("inbound %s:%s refused (%s)", source, inbound.external_code, exc.code)
            return answer(400, False, exc.message, None)
        message = _("Dossier received.") if created else _("This dossier had already been received.")
        return answer(200, True, message, {"maHoSo": inbound.external_code, "id": dossier.pk})


@csrf_exempt
@require_POST
def dvcqg_dossiers(request: HttpRequest) -> JsonResponse:
    """Model B: a dossier pushed by the national portal."""
    return _take(request, DVCQG, request.headers.get("X-Api-Key", ""), wire.business_notice, _dvcqg)


@csrf_exempt
@require_POST
def vneid_dossiers(request: HttpRequest) -> JsonResponse:
    """Model D: a criminal-record certificate e-form pushed by VNeID."""
    given = request.GET.get("CodeGet", "") or request.headers.get("X-Code-Get", "")
    return _take(request, VNEID, given, wire.lltp_form, _vneid)


urlpatterns = [
    path("dvcqg/dossiers", dvcqg_dossiers, name="inbound-dvcqg"),
    path("vneid/dossiers", vneid_dossiers, name="inbound-vneid"),
]
