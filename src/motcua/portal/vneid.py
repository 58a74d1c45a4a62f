"""Log in with VNeID (contract §8.1): to the provider and back, then a citizen session.

The login in flight (state, nonce, PKCE verifier, where to land) waits in the session and is taken
out on return, so a callback is good once. Whatever goes wrong, the citizen is back on the login
page with a message and no session; the log says what went wrong with no personal data in it.
"""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts import services as accounts
from motcua.accounts.identity import InvalidIdentifier
from motcua.accounts.sessions import CLAIMS, VERIFIED
from motcua.core.errors import Forbidden
from motcua.core.public_url import public_base_url
from motcua.integrations import registry, transport
from motcua.integrations.vneid.ports import CitizenClaims, LoginRefused
from motcua.web.access import home_for
from motcua.web.ratelimit import wait_seconds

log = logging.getLogger("motcua.vneid")

PENDING = "vneid_pending"
PENDING_SECONDS = 600  # a login left open longer than this must start again


def _callback_url(request: HttpRequest) -> str:
    return public_base_url(request) + reverse("portal:vneid_callback")


def _refuse(request: HttpRequest, message: str, reason: str) -> HttpResponseRedirect:
    log.warning("vneid login refused: %s", reason)
    messages.error(request, message)
    return redirect("portal:login")


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """``GET /dang-nhap/vneid?next=PATH``: to the provider's authorization endpoint."""
    idp = registry.citizen_idp()
    if idp is None:
        messages.error(request, _("Logging in with VNeID is not connected on this system."))
        return redirect("portal:login")
    if wait_seconds(request, "login"):
        return _refuse(request, _("Too many attempts. Please wait a minute and try again."), "rate_limited")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    try:
        pending = idp.begin(redirect_uri=_callback_url(request))
    except transport.IntegrationError as exc:
        return _refuse(
            request,
            _("VNeID cannot be reached right now. Please try again in a few minutes."),
            f"unavailable:{exc.detail}",
        )
    request.session[PENDING] = {
        "state": pending.state,
        "nonce": pending.nonce,
        "verifier": pending.code_verifier,
        "next": target,
        "at": time.time(),
    }
    return HttpResponseRedirect(pending.url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """``GET /dang-nhap/vneid/callback?code&state``: check everything, then log the citizen in."""
    pending = request.session.pop(PENDING, None)
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not pending or not state or state != pending.get("state"):
        return _refuse(
            request, _("This VNeID login link is not valid any more. Please log in again."), "state_mismatch"
        )
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return _refuse(request, _("The VNeID login took too long. Please log in again."), "pending_expired")
    if request.GET.get("error"):
        reason = "access_denied" if request.GET["error"] == "access_denied" else "provider_error"
        return _refuse(request, _("The VNeID login was cancelled."), reason)
    idp = registry.citizen_idp()
    if idp is None or not code:
        return _refuse(request, _("Logging in with VNeID is not connected on this system."), "not_configured")
    try:
        claims = idp.complete(
            code=code,
            redirect_uri=_callback_url(request),
            nonce=pending["nonce"],
            code_verifier=pending["verifier"],
        )
    except LoginRefused as exc:
        return _refuse(request, _("VNeID did not confirm this login. Please log in again."), exc.reason)
    except transport.IntegrationError as exc:
        return _refuse(
            request,
            _("VNeID cannot be reached right now. Please try again in a few minutes."),
            f"unavailable:{exc.detail}",
        )
    if claims.account_type != "individual":
        return _refuse(
            request, _("Only personal VNeID accounts can log in here for now."), claims.account_type
        )
    try:
        user = accounts.citizen_from_vneid(
            id_number=claims.id_number,
            full_name=claims.full_name.title(),
            email=claims.email,
            phone=claims.phone,
        )
    except (Forbidden, InvalidIdentifier):
        return _refuse(
            request,
            _("This personal identification number cannot log in with VNeID here."),
            "account_not_linkable",
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[VERIFIED] = True
    request.session[CLAIMS] = _session_claims(claims)
    log.info("vneid login: user %s, assurance level %s", user.pk, claims.assurance_level)
    return redirect(pending.get("next") or home_for(user))


def _session_claims(claims: CitizenClaims) -> dict[str, str]:
    """What the portal's forms prefill from (the population look-up takes it from here)."""
    return {
        "id_number": claims.id_number,
        "full_name": claims.full_name.title(),
        "birth_date": claims.birth_date.isoformat() if claims.birth_date else "",
        "phone": claims.phone,
        "email": claims.email,
        "address": claims.current_address or claims.permanent_address,
    }
