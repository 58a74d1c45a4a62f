"""What is kept besides the outbox: the citizen's choice of channels, and the notifications that
could not even be written (an unusable number or address), so the lists say why nothing came."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelChoice(models.Model):
    """The channels a citizen wants to be told by. No row: every channel (the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels"
    )
    sms = models.BooleanField(_("SMS"), default=True)
    zalo = models.BooleanField(_("Zalo"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(sorted(self.wanted())) or '-'}"

    def wanted(self) -> set[str]:
        return {name for name in ("sms", "zalo", "email") if getattr(self, name)}


class Skipped(models.Model):
    """A notification not sent because its number or address cannot be used: recorded, never an
    error for the officer who acted."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40)
    channel = models.CharField(max_length=10)
    to = models.CharField(max_length=254)  # masked
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} skipped: {self.reason}"
