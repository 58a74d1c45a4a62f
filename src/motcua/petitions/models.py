"""Petitions and feedback (PAKN — phản ánh, kiến nghị) and everything that happens to them.

What may be published (the petition row) and who sent it (``Submitter``) are kept apart, so that no
query behind a public page ever reads a phone number, an e-mail address or an ID number. The event
log is appended to, never edited; the petition row carries the current state and the clock so that
queues and the public list are single indexed queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.petitions.lifecycle import Status


class About(models.TextChoices):
    """The classification the 766 index reports (procedure vs staff conduct shares)."""

    REGULATION = "regulation", _("Administrative regulation")
    PROCEDURE = "procedure", _("Administrative procedure")
    STAFF_CONDUCT = "staff_conduct", _("Conduct of an officer")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Online")
    LETTER = "letter", _("By letter")
    PHONE = "phone", _("By phone")
    COUNTER = "counter", _("At the desk")


class StatusChoices(models.TextChoices):
    RECEIVED = Status.RECEIVED, _("Received")
    ACCEPTED = Status.ACCEPTED, _("Accepted, being handled")
    FORWARDED = Status.FORWARDED, _("Forwarded to the competent agency")
    REFUSED = Status.REFUSED, _("Refused")
    AWAITING_SUPPLEMENT = Status.AWAITING_SUPPLEMENT, _("More information requested")
    ANSWERED = Status.ANSWERED, _("Answered")
    PUBLISHED = Status.PUBLISHED, _("Answer published")


class Petition(models.Model):
    code = models.CharField(_("petition code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"))
    about = models.CharField(_("about"), max_length=20, choices=About.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="petitions"
    )
    # Where it was sent first, and the agency holding it now (forwarding moves it).
    first_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=24, choices=StatusChoices.choices)
    publish_consent = models.BooleanField(_("the sender agrees to publication"), default=False)
    # Title and content without diacritics, lower case (core.text.fold), for the search.
    search = models.TextField(blank=True, editable=False)

    received_at = models.DateTimeField(_("received at"))
    held_since = models.DateTimeField()  # received by the agency holding it (receipt or forward)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)  # of the current step
    answer_due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    missed = models.BooleanField(default=False)  # a step finished after its deadline
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # refused, published, or answered unpublished

    answer_draft = models.TextField(blank=True)  # a specialist's, for the leader to approve
    answer = models.TextField(_("answer"), blank=True)
    answer_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)  # of a refusal, a forward or a supplement request

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["first_agency", "status"]),
            models.Index(fields=["received_at"]),
            # The public list: published answers, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                name="petition_published",
                condition=models.Q(status="published"),
            ),
            # The search of published answers (a trigram GIN index on PostgreSQL) is migration 0002.
        ]

    def __str__(self) -> str:
        return self.code


class Submitter(models.Model):
    """Who sent the petition: personal data, never published, never in a URL or a log line."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="submitter")
    kind = models.CharField(max_length=12, default="individual")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    id_number = models.CharField(_("personal ID or tax code"), max_length=14, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="petitions"
    )

    def __str__(self) -> str:
        return self.full_name


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.file_id)


class PetitionEvent(models.Model):
    """The append-only history: who did what, when, from which status to which."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["petition", "at", "id"]
        indexes = [models.Index(fields=["agency", "petition"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Evaluation(models.Model):
    """The sender's one judgement of the answer (satisfied or not)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="evaluation")
    satisfied = models.BooleanField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return "satisfied" if self.satisfied else "not satisfied"


class PetitionSerial(models.Model):
    """The last serial handed out per day, for codes PAKN-{YYMMDD}-{NNNN}."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
