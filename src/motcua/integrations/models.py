"""The audit trail of the national systems MotCua calls."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LookupOutcome(models.TextChoices):
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("No match")
    UNAVAILABLE = "unavailable", _("Registry unavailable")
    REJECTED = "rejected", _("Refused by the registry")


class PopulationLookup(models.Model):
    """One look-up in the National Population Database: who asked, when, for which dossier, and what
    came back (integrations.md §2.3: the data owner expects every look-up logged). The personal ID
    asked for is kept only as a keyed hash; the record found is kept to fill a dossier from it."""

    lookup_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="population_lookups",
    )
    request_id = models.CharField(max_length=40, unique=True)  # MaYeuCau
    id_number_hash = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=12, choices=LookupOutcome.choices)
    record = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.outcome}"


class PortalSync(models.Model):
    """How far a dossier has been published to the national portal: the last event whose progress
    the portal accepted. The outbox delivers in order per dossier, so this only moves forward."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="portal_sync")
    record_accepted_at = models.DateTimeField(null=True, blank=True)
    last_event_id = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.dossier_id} ≤ event {self.last_event_id}"
