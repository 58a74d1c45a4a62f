"""One login for both sides; each lands where its work is (citizens: their dossiers, staff: their queue)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.integrations import registry
from motcua.web.access import home_for
from motcua.web.forms import StyledForm
from motcua.web.ratelimit import too_many, wait_seconds


class LoginForm(StyledForm, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")


class Login(LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    staff = False
    layout = "portal/layout.html"  # the public pages' header and footer, on both sides' login

    def get_default_redirect_url(self) -> str:
        return home_for(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        vneid = None if self.staff else registry.citizen_idp()
        return super().get_context_data(
            staff=self.staff, layout=self.layout, vneid_on=vneid is not None, **kwargs
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if wait := wait_seconds(request, "login"):
            form = self.get_form()
            form.errors  # noqa: B018 — bind the form so the page shows what was typed
            return too_many(request, self.template_name, self.get_context_data(form=form), wait)
        return super().post(request, *args, **kwargs)
