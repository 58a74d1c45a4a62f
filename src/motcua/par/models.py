"""PAR INDEX: the scoring framework as data (versioned by year), the assessments of a year over a
province's units, and each unit's self-scores with evidence and the appraisal of each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A framework as loaded by ``motcua load-par``. ``tree`` is the checked file itself (fields →
    criteria → sub-criteria); ``motcua.par.engine.parse`` reads it back."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    tree = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PAR framework")
        verbose_name_plural = _("PAR frameworks")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="par_framework_once")]

    def __str__(self) -> str:
        return f"{self.code} ({self.year})"


class Assessment(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    deadline = models.DateTimeField(_("self-assessment deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PAR assessment")
        verbose_name_plural = _("PAR assessments")
        ordering = ["-year", "-id"]
        # Appraisers are the admins and the users given this permission (docs/decisions.md).
        permissions = [("appraise_assessment", "Can appraise PAR INDEX self-assessments")]

    def __str__(self) -> str:
        return f"PAR {self.year} — {self.framework.code}"


class AssessmentUnit(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="units")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agency__path"]
        constraints = [models.UniqueConstraint(fields=["assessment", "agency"], name="par_unit_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.agency_id}"


class ScoreState(models.TextChoices):
    DRAFT = "draft", _("Self-scored")
    RETURNED = "returned", _("Returned for explanation")
    EXPLAINED = "explained", _("Explained")
    APPRAISED = "appraised", _("Appraised")


class Score(models.Model):
    """One ``self`` criterion of one unit: the self-score with its evidence and note, then the
    appraised score with the council's comment (or a return for explanation)."""

    unit = models.ForeignKey(AssessmentUnit, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=40)
    self_score = models.DecimalField(_("self score"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.ManyToManyField("files.StoredFile", blank=True, related_name="+")
    appraised_score = models.DecimalField(
        _("appraised score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("appraisal comment"), blank=True)
    state = models.CharField(max_length=12, choices=ScoreState.choices, default=ScoreState.DRAFT)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["unit", "criterion"], name="par_score_once")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.criterion}"
