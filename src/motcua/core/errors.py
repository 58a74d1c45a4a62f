"""Errors that services raise; the API turns each into the contract's error envelope.

Services are called from the API, the pages and the command line alike, so they raise these
plain exceptions rather than HTTP ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400
    code = "invalid"
    default_message: Any = _("The request is not valid.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        super().__init__(str(self.message))


class InvalidInput(ServiceError):
    status = 400
    code = "validation_error"
    default_message = _("The data sent is not valid.")


class NotFound(ServiceError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(ServiceError):
    status = 403
    code = "permission_denied"
    default_message = _("You are not allowed to do this.")


class Conflict(ServiceError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")
