"""The user a request acts for, typed, once a permission or a page's decorator has let it through."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from motcua.accounts.models import User


def user_of(request: Any) -> User:
    """``request.user`` as a MotCua user (an anonymous visitor here is 403: the view forgot its guard)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
