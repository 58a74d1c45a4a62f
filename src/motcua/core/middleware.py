"""Input no view should see."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from motcua.core.api import error_body

NUL = "\x00"


class RejectNullCharacters:
    """A NUL character in the path, the query string or a cookie is bad input (400), never a 500:
    PostgreSQL text cannot hold one, so ``?search=%00`` failed in the database, and so did a session
    cookie with one. Bodies are the serializers' and forms' to check (their CharFields refuse NUL).
    After LocaleMiddleware, so that the message is in the caller's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = sorted(
            {name for name, values in request.GET.lists() if NUL in name or any(NUL in v for v in values)}
            | {name for name, value in request.COOKIES.items() if NUL in name or NUL in value}
        )
        if NUL not in request.path and not fields:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if not request.path.startswith("/api/"):
            raise BadRequest(message)
        body = error_body("validation_error", message, {name.replace(NUL, ""): [message] for name in fields})
        return JsonResponse(body, status=400)
