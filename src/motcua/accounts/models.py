from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.roles import Role


class User(AbstractUser):
    """A civil servant or a citizen. Staff belong to one agency; citizens carry their personal ID."""

    class RoleChoices(models.TextChoices):
        ADMIN = Role.ADMIN, _("Administrator")
        RECEIVER = Role.RECEIVER, _("One-stop desk officer")
        SPECIALIST = Role.SPECIALIST, _("Specialist")
        LEADER = Role.LEADER, _("Leader")
        SUPERVISOR = Role.SUPERVISOR, _("Supervisor")
        CITIZEN = Role.CITIZEN, _("Citizen")

    role = models.CharField(_("role"), max_length=20, choices=RoleChoices.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    id_number = models.CharField(
        _("personal identification number"), max_length=12, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A Bearer token. Only its SHA-256 is stored, so a database leak does not leak sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token of {self.user_id}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
