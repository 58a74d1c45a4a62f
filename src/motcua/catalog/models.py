"""The procedure catalog (danh mục thủ tục hành chính), versioned.

A procedure keeps its national code for life; what it requires changes by decision, so every
change is a new version. A draft can be prepared while the current version is live; publishing
it retires the old one. Dossiers pin the version they started on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    DAYS = "days", _("days")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full-process online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class Level(models.TextChoices):
    """Cấp thực hiện, as the publication decision lists it. Who settles the procedure is the version's
    implementing agencies (every commune for most commune-level procedures)."""

    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    MINISTRY = "ministry", _("Ministry")


class ApplicantType(models.TextChoices):
    """Đối tượng thực hiện."""

    INDIVIDUAL = "individual", _("Individual")
    ORGANIZATION = "organization", _("Organization")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CURRENT = "current", _("In force")
    RETIRED = "retired", _("Retired")


class Procedure(models.Model):
    code = models.CharField(_("national code"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    # A context: django.contrib.auth, listed first, translates a bare "version" as "version".
    number = models.PositiveIntegerField(pgettext_lazy("procedure", "version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, db_index=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("resolving agency"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    processing_time_value = models.PositiveIntegerField(_("processing time"))
    processing_time_unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    processing_time_text = models.TextField(_("processing time as published"), blank=True)
    online_level = models.CharField(_("online service"), max_length=10, choices=OnlineLevel.choices)
    fee_vnd = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    fee_text = models.TextField(_("fees as published"), blank=True)
    result_is_document = models.BooleanField(_("the result is a document"), default=True)
    result_text = models.TextField(_("result"), blank=True)
    applicant_types = models.JSONField(_("applicant types"), default=list)
    conditions = models.TextField(_("conditions"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list)
    # Publication dates for the transparency indicators (Decision 766, group 1).
    decision_number = models.CharField(_("publication decision"), max_length=120, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    published_date = models.DateField(_("date made public"), null=True, blank=True)
    valid_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("in force until"), null=True, blank=True)
    implementing_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("implementing agencies"),
        related_name="implemented_procedures",
        help_text=_("Every agency that settles the procedure; the resolving agency is always one of them."),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique"),
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(status="current"), name="one_current_version"
            ),
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(status="draft"), name="one_draft_version"
            ),
            models.CheckConstraint(
                condition=models.Q(processing_time_value__gt=0), name="processing_time_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "agency"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name}"

    @property
    def code(self) -> str:
        return self.procedure.code


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("original")
    COPY = "copy", _("copy")


class RequiredDocument(models.Model):
    """Thành phần hồ sơ."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    name = models.TextField(_("name"))
    form = models.CharField(
        _("form"), max_length=10, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="document_code_unique")]

    def __str__(self) -> str:
        return self.name


class StepRole(models.TextChoices):
    RECEIVER = "receiver", _("One-stop desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")


class ProcessStep(models.Model):
    """Quy trình nội bộ: who does what, in how many working hours."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=300)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=StepRole.choices)
    working_hours = models.DecimalField(_("working hours"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name
