"""SIPAS: the questionnaire as data (versioned by years), surveys with their sampling plan, the
responses (online through a one-time invitation, or paper forms keyed in by officers)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """One form for a run of years (1001/QĐ-BNV: 2023–2026). Part A and the perception questions
    (Q1–Q8, Q10) are kept as loaded (``extra``); the 5-level matrix (Q9) is the tree below."""

    year_from = models.PositiveSmallIntegerField(_("from year"), unique=True)
    year_to = models.PositiveSmallIntegerField(_("to year"))
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    wording = models.CharField(
        _("wording"), max_length=20, help_text=_("official, or replica when not the official text")
    )
    scale = models.JSONField(default=list)
    extra = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-year_from"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_from}–{self.year_to})"


class Pillar(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="sipas_pillar_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Element(models.Model):
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["pillar", "code"], name="sipas_element_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Item(models.Model):
    """One question of the 5-level matrix. ``local``: added by the province (in the admin), kept
    when ``motcua load-sipas`` runs again."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    local = models.BooleanField(_("added by the province"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="sipas_item_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.questionnaire_id = self.element.pillar.questionnaire_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """The admin leaves ``questionnaire`` out of its form, so Django would not check the code's
        uniqueness before saving: checked here, on the element's questionnaire."""
        if self.element_id is None:
            return
        taken = Item.objects.filter(questionnaire_id=self.element.pillar.questionnaire_id, code=self.code)
        if taken.exclude(pk=self.pk).exists():
            raise ValidationError({"code": _("This code is already used in the questionnaire.")})


class Survey(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"SIPAS {self.year} — {self.agency_id}"


class SurveyUnit(models.Model):
    """A line of the sampling plan: a department or commune and its quota."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="units")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    frame = models.PositiveIntegerField(default=0)  # dossiers returned in the year before the survey
    quota = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["survey", "agency"], name="sipas_unit_once")]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.quota}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    PAPER = "paper", _("Paper form")


class Response(models.Model):
    """One respondent's form. ``answers``: {item code: 1..5 | null}; ``perceptions``: {question
    code: option}; ``respondent``: Part A, nothing that names the person. Counted once submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(SurveyUnit, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answers = models.JSONField(default=dict)
    perceptions = models.JSONField(default=dict)
    respondent = models.JSONField(default=dict)
    form_number = models.CharField(_("form number"), max_length=40, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "form_number"],
                condition=~models.Q(form_number=""),
                name="sipas_form_number_once",
            )
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk} ({self.channel})"


class Invitation(models.Model):
    """A one-time, expiring link for the applicant of a returned dossier. Only the SHA-256 of the
    token is kept; the token is in the link alone."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(SurveyUnit, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "dossier"], name="sipas_invite_once")]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.dossier_id}"
