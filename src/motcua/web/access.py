"""Who may open which pages. What they then see is decided by the dossier selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import STAFF_ROLES, Role

View = Callable[..., HttpResponseBase]


def is_staff_user(user: Any) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or user.role in STAFF_ROLES))


def is_citizen(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.CITIZEN and not is_admin(user))


def home_for(user: Any) -> str:
    """Where a user lands after logging in."""
    return reverse("backoffice:queue") if is_staff_user(user) else reverse("portal:my_dossiers")


def forbidden(request: HttpRequest, *, staff_page: bool) -> HttpResponse:
    return render(request, "portal/forbidden.html", {"staff_page": staff_page}, status=403)


def _required(allowed: Callable[[Any], bool], *, staff_page: bool) -> Callable[[View], View]:
    """A view for logged-in users that ``allowed`` accepts: anyone else logs in (on the staff or the
    portal login page) or is shown the 403 page."""
    login = "backoffice:login" if staff_page else "portal:login"

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login))
            if not allowed(request.user):
                return forbidden(request, staff_page=staff_page)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


citizen_required = _required(is_citizen, staff_page=False)
staff_required = _required(is_staff_user, staff_page=True)
admin_required = _required(is_admin, staff_page=True)  # pages for the province's administrators only
