"""DRF permission classes by role."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from motcua.accounts.roles import Role


def is_admin(user: Any) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN)
    )


class IsAdminRole(BasePermission):
    """Only MotCua administrators (role ``admin``) or superusers."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_admin(request.user)


class PublicReadAdminWrite(BasePermission):
    """Catalog and calendar: anyone may read (no login), only admins write (contract §3)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_admin(request.user)
