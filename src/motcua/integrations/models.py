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


class ProcedureMapping(models.Model):
    """Which local procedure, settled by which agency, a national procedure code means for dossiers
    from the national channels (integrations.md §10.1: effective-dated, because of the 2025 mergers).
    ``national_agency_code`` blank matches any agency the channel names; a row naming the channel's
    agency wins over it. ``valid_to`` is the first day the row no longer applies."""

    national_procedure_code = models.CharField(_("national procedure code"), max_length=40)
    national_agency_code = models.CharField(_("national agency code"), max_length=40, blank=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency that settles these dossiers; they are received at its one-stop centre."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("national procedure mapping")
        verbose_name_plural = _("national procedure mappings")
        ordering = ["national_procedure_code", "national_agency_code", "-valid_from"]
        indexes = [models.Index(fields=["national_procedure_code", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="procedure_mapping_valid_period",
            )
        ]

    def __str__(self) -> str:
        agency = self.national_agency_code or "*"
        return f"{self.national_procedure_code}@{agency} → {self.procedure_id} ({self.valid_from}–{self.valid_to or ''})"


class ChannelSource(models.TextChoices):
    """The national channel a dossier came from (integrations.md §5; ``inbound.ports.SOURCES``)."""

    DVCQG = "dvcqg", _("the National Public Service Portal")
    LIENTHONG = "lienthong", _("inter-connected public services (DVC liên thông)")
    VNEID = "vneid", _("the VNeID app")


class ExternalDossier(models.Model):
    """A dossier that came from a national channel, under the channel's own code (integrations.md §5:
    kept as a cross-reference). Unique on (source, code): a re-delivered dossier is the same one."""

    source = models.CharField(max_length=12, choices=ChannelSource.choices)
    external_code = models.CharField(max_length=100)
    national_procedure_code = models.CharField(max_length=40)
    national_agency_code = models.CharField(max_length=40, blank=True)
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="external")
    received_at = models.DateTimeField()
    payload_digest = models.CharField(max_length=64)  # sha256 of the first delivery, as sent
    deliveries = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_code"], name="external_dossier_source_code")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_code}"
