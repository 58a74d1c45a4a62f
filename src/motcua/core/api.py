"""API plumbing shared by every area: the error envelope and pagination (contract §2)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from motcua.core.errors import ServiceError

logger = logging.getLogger(__name__)


def error_body(code: str, message: Any, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details → {"applicant.id_number": ["..."], "documents.0.code": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("non_field_errors", "__all__") and not prefix else key
            out.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


_DRF_CODES: list[tuple[type[exceptions.APIException], str, Any]] = [
    (exceptions.ParseError, "malformed_request", lambda: _("The request body is not valid JSON.")),
    (
        exceptions.NotAuthenticated,
        "not_authenticated",
        lambda: _("Authentication credentials were not provided."),
    ),
    (exceptions.AuthenticationFailed, "authentication_failed", lambda: _("Invalid or expired credentials.")),
    (exceptions.PermissionDenied, "permission_denied", lambda: _("You are not allowed to do this.")),
    (exceptions.NotFound, "not_found", lambda: _("Not found.")),
    (exceptions.MethodNotAllowed, "method_not_allowed", lambda: _("This method is not allowed here.")),
    (exceptions.NotAcceptable, "not_acceptable", lambda: _("The requested format is not available.")),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", lambda: _("Unsupported content type.")),
]


# A database that cannot be reached (the primary restarting, a connection it dropped) is a clean
# 503 with Retry-After, never a 500: the client sends the same request again (a POST with the same
# Idempotency-Key), and Django closes the broken connection at the end of the request, so the next
# one connects afresh (docs/decisions.md, "Redis or the primary away for a few seconds").
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """OperationalError covers a lost or refused connection, a server shutting down, a transaction
    the server cancelled (deadlock, serialization): each worth the same request again, moments later."""
    return isinstance(exc, OperationalError | InterfaceError)


def _unavailable_message() -> str:
    return _("The service is briefly unavailable. Please try again in a few seconds.")


def _log_unavailable(request: Any, exc: BaseException) -> None:
    # The class only: a driver's message may quote the statement's values.
    logger.warning(
        "Database unavailable (%s): 503 for %s %s", type(exc).__name__, request.method, request.path
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503: the contract's error envelope under /api/, a small page in both languages elsewhere.
    Rendered without the request's context: nothing in it may need the database."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("service_unavailable", _unavailable_message()), status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error the API returns is {"error": {"code", "message", "fields"}} (contract §2)."""
    if database_unavailable(exc):
        _log_unavailable(context["request"], exc)
        response = Response(error_body("service_unavailable", _unavailable_message()), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body("permission_denied", _("You are not allowed to do this.")), status=403)
    if isinstance(exc, DjangoValidationError):
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        message = exc.messages[0] if exc.messages else _("The data sent is not valid.")
        return Response(error_body("validation_error", message, fields), status=400)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return Response(error_body("validation_error", _("The data sent is not valid."), fields), status=400)
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {"seconds": wait}
        response = Response(error_body("rate_limited", message), status=429)
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, exceptions.APIException):
        for klass, code, message in _DRF_CODES:
            if isinstance(exc, klass):
                response = Response(error_body(code, message()), status=exc.status_code)
                break
        else:
            response = Response(error_body(exc.default_code, exc.detail), status=exc.status_code)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    return None


def not_found_handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Http404())


def server_error_handler(request: HttpRequest) -> HttpResponse:
    """Django's handler500, also for what failed outside a DRF view (a middleware, a page): called
    while the exception is being handled, so ``sys.exc_info()`` names it."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("server_error", _("An unexpected error occurred. It has been logged.")), status=500
        )
    from django.views.defaults import server_error

    return server_error(request)


class Pagination(PageNumberPagination):
    """?page=N&page_size=M → {"count", "next", "previous", "results"}."""

    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "Invalid page."
