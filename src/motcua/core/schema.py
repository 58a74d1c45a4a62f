"""The OpenAPI document says what the API answers, errors included (contract §2).

Every 4xx body is the one envelope ``{"error": {"code", "message", "fields"}}``, so the error responses
are added here, in one place, from what each view is: every operation can be 400 (a NUL character in
the URL is refused before any view, core/middleware.py; a body or a parameter can be invalid); a view
that authenticates answers 401 for a bad token, and for none when it refuses anonymous callers; an
unsafe method on an authenticated view can be 403 (a role, or a session without its CSRF token); a
request body can be 415; a path parameter or a page number can be 404; a rate-limited view answers
429; the actions endpoints answer 409. A view whose answers differ declares them in its
``extend_schema`` with :func:`error_response`; what it declares is kept.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS

ERROR_MEDIA_TYPE = "application/json"

DESCRIPTIONS = {
    400: "Invalid input (`validation_error` or a more precise code); `fields` names each bad field."
    " A NUL character anywhere in the URL or a cookie is refused too.",
    401: "No token, or an invalid or expired one (`not_authenticated`, `authentication_failed`).",
    403: "Authenticated but not allowed (`permission_denied`), or a session without its CSRF token.",
    404: "Unknown, or not visible to you (`not_found`).",
    409: "Not allowed in the current state, or a duplicate (`conflict` or a more precise code).",
    415: "The body is not in a content type this operation reads (`unsupported_media_type`).",
    429: "Rate-limited (`rate_limited`); `Retry-After` says how many seconds to wait.",
}
HEADERS = {
    401: {
        "WWW-Authenticate": {
            "required": True,
            "schema": {"type": "string"},
            "description": 'How to authenticate: `Bearer realm="api"`.',
        }
    },
    429: {
        "Retry-After": {
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
            "description": "Seconds to wait before trying again.",
        }
    },
}
_LOGIN_OPTIONAL = "An invalid or expired token (`authentication_failed`); no token at all is fine here."
_BAD_PAGE = "Unknown, or not visible to you (`not_found`); also a page number past the last page."


class ErrorBodySerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="snake_case, stable: what went wrong, for programs.")
    message = serializers.CharField(help_text="For people: Vietnamese, or English with Accept-Language: en.")
    fields = serializers.DictField(  # type: ignore[assignment]  # the contract's field is named like Serializer.fields
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Each bad field with its messages, e.g. {"applicant.id_number": ["..."]}; may be empty.',
    )


class ErrorSerializer(serializers.Serializer[Any]):
    """The error envelope of contract §2: every 4xx body."""

    error = ErrorBodySerializer()


def error_response(description: str) -> OpenApiResponse:
    """An error answer a view declares itself, for what the rules of :class:`AutoSchema` cannot see."""
    return OpenApiResponse(ErrorSerializer, description=description)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with the error responses of each operation and honest security."""

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if auths and {} not in auths and self._anonymous_allowed():
            auths.append({})  # e.g. the catalog's public reads behind PublicReadAdminWrite
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for status, description in self._error_statuses(operation).items():
            responses.setdefault(str(status), self._error(status, description))
        for code, response in responses.items():
            content = response.get("content")
            if int(code) >= 400 and content and ERROR_MEDIA_TYPE in content:
                # Errors are JSON even where the answer is a PDF or a spreadsheet.
                response["content"] = {ERROR_MEDIA_TYPE: content[ERROR_MEDIA_TYPE]}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_statuses(self, operation: dict[str, Any]) -> dict[int, str]:
        statuses = {400: DESCRIPTIONS[400]}
        authenticators = self.view.get_authenticators()
        anonymous = self._anonymous_allowed()
        if authenticators:
            statuses[401] = _LOGIN_OPTIONAL if anonymous else DESCRIPTIONS[401]
        unsafe = self.method not in SAFE_METHODS
        session = any(isinstance(a, SessionAuthentication) for a in authenticators)
        if not anonymous and unsafe and session:
            statuses[403] = DESCRIPTIONS[403]
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            statuses[404] = DESCRIPTIONS[404]
        elif self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            statuses[404] = _BAD_PAGE
        if self.path.endswith("/actions"):
            statuses[409] = (
                "The action is not allowed in the current state; the message lists those that are."
            )
        if "requestBody" in operation:
            statuses[415] = DESCRIPTIONS[415]
        if self.view.get_throttles():
            statuses[429] = DESCRIPTIONS[429]
        return statuses

    def _anonymous_allowed(self) -> bool:
        """Whether the view's permissions let a caller without credentials use this method."""
        probe = SimpleNamespace(method=self.method, user=AnonymousUser(), auth=None)
        return all(p.has_permission(probe, self.view) for p in self.view.get_permissions())  # type: ignore[arg-type]  # the permissions read only the method and the user

    def _error(self, status: int, description: str) -> dict[str, Any]:
        component = self.resolve_serializer(ErrorSerializer, "response")
        response: dict[str, Any] = {
            "description": description,
            "content": {ERROR_MEDIA_TYPE: {"schema": component.ref}},
        }
        if status in HEADERS:
            response["headers"] = HEADERS[status]
        return response
