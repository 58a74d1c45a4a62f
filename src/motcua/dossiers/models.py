"""Dossiers (hồ sơ) and everything that happens to them.

The event log, the control sheet and the supplement and payment episodes are appended to, never
edited; the dossier row carries the current state and the clock so that lists and queues are
single indexed queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Status


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")


class StatusChoices(models.TextChoices):
    SUBMITTED = Status.SUBMITTED, _("Submitted, awaiting receipt")
    RECEIVED = Status.RECEIVED, _("Received")
    REFUSED = Status.REFUSED, _("Refused at receipt")
    PROCESSING = Status.PROCESSING, _("Being processed")
    AWAITING_SUPPLEMENT = Status.AWAITING_SUPPLEMENT, _("Supplement requested")
    AWAITING_PAYMENT = Status.AWAITING_PAYMENT, _("Awaiting payment")
    WITHDRAWN = Status.WITHDRAWN, _("Withdrawn by the applicant")
    STOPPED = Status.STOPPED, _("Processing stopped")
    RESOLVED = Status.RESOLVED, _("Resolved, result ready")
    RETURNED = Status.RETURNED, _("Result returned")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PaymentChannel(models.TextChoices):
    NATIONAL_PORTAL = "national_portal", _("National public service portal")
    LOCAL_GATEWAY = "local_gateway", _("Provincial payment gateway")
    COUNTER = "counter", _("At the counter")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True, null=True, blank=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    # Dossiers stay pinned to the version they started on, whatever is published later.
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    receiving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # The receiving agency's province, copied at creation and never changed: with the year of
    # ``submitted_at`` (never changed either) the partition key on PostgreSQL (partitioning.py).
    province = models.CharField(max_length=2, blank=True, editable=False)
    resolving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    current_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=24, choices=StatusChoices.choices)
    left_status = models.CharField(
        max_length=24, blank=True
    )  # the status a wait for the applicant returns to
    # The step of the procedure the dossier is at, when it is at one; where it stands otherwise
    # follows from its status (workflow.placement). Labels are rendered when a page is drawn.
    current_step = models.ForeignKey(
        "catalog.ProcessStep",
        verbose_name=_("current step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    applicant_kind = models.CharField(max_length=12)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    # The name without diacritics, lower case (core.text.fold): staff search "nie" finds "Niê".
    applicant_search = models.CharField(max_length=200, blank=True, editable=False)
    applicant_id_number = models.CharField(max_length=14, db_index=True)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.CharField(max_length=254, blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001 — NULLs stay distinct under the unique constraint
    request_digest = models.CharField(max_length=64, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # refused, withdrawn or stopped
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, null=True, blank=True)  # noqa: DJ001 — null until resolved (contract §5)
    # The clock while waiting for the applicant: working seconds left to due_at and original_due_at.
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    original_remaining_seconds = models.BigIntegerField(null=True, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    supplements_after_receipt = models.PositiveSmallIntegerField(default=0)
    result_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_method = models.CharField(max_length=10, blank=True)

    # What the Decision 766 indicators count.
    fee_vnd = models.PositiveBigIntegerField(default=0)
    payment_channel = models.CharField(max_length=20, choices=PaymentChannel.choices, null=True, blank=True)  # noqa: DJ001 — null: no payment (contract §6)
    e_result = models.BooleanField(default=False)
    result_pushed_to_warehouse = models.BooleanField(default=False)
    vneid_verified = models.BooleanField(default=False)
    population_data_used = models.BooleanField(default=False)
    synced_to_national_portal = models.BooleanField(default=False)
    imported = models.BooleanField(default=False)
    # Bumped by every write; the monitoring roll-ups read what changed since their watermark.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["resolving_agency", "status"]),
            models.Index(fields=["current_agency", "status", "due_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="dossier_idempotency_key"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class DossierDocument(models.Model):
    """Thành phần hồ sơ as submitted, with the flags the digitisation indicators count."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=2000)
    file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    digitized = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    from_warehouse = models.BooleanField(default=False)
    added_at = models.DateTimeField()
    supplement = models.ForeignKey(
        "SupplementRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (form 02)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.JSONField(default=list)
    reason = models.TextField()
    after_receipt = models.BooleanField(default=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.requested_at:%Y-%m-%d %H:%M}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")


class OrderChannel(models.TextChoices):
    """How an order was paid (contract §8.3); ``vietqr`` is a bank transfer to the agency's account."""

    NATIONAL_PORTAL = "national_portal", _("National payment platform")
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    COUNTER = "counter", _("At the counter")
    LOCAL_GATEWAY = "local_gateway", _("Provincial payment gateway")


class Payment(models.Model):
    """Nghĩa vụ tài chính: a payment order, asked for, then paid (or failed) through one channel.

    ``reference`` is the order's MaThamChieu on the national payment platform and the text a bank
    transfer must carry; ``transaction_id`` what the payer's side calls it (the platform's
    MaGiaoDich, the bank's transaction, the cashier's receipt number).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    amount_vnd = models.PositiveBigIntegerField()
    items = models.JSONField(default=list, blank=True)  # [{"name", "amount_vnd", "kind": "fee"|"charge"}]
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    channel = models.CharField(max_length=20, choices=OrderChannel.choices, null=True, blank=True)  # noqa: DJ001 — null until chosen
    reference = models.CharField(max_length=200, blank=True)
    checkout_at = models.DateTimeField(null=True, blank=True)  # the last INIT sent to the platform
    transaction_id = models.CharField(max_length=100, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_amount_vnd = models.PositiveBigIntegerField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="payment_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_vnd} VND"

    @property
    def receipt_available(self) -> bool:
        return self.status == PaymentStatus.PAID


class DossierEvent(models.Model):
    """The append-only history: who did what, when, from which status to which."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    province = models.CharField(max_length=2, blank=True, editable=False)  # the dossier's
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ControlSheetEntry(models.Model):
    """One row of form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ): a hand-over between units."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="control_sheet")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=300, blank=True)
    handed_over_at = models.DateTimeField()
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    step_due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=10, blank=True)  # early / on_time / late, once the step is done
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "handed_over_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_agency_id} → {self.to_agency_id}"


class DailySerial(models.Model):
    """The last serial handed out per receiving agency and day, for codes {agency}-{YYMMDD}-{NNNN}."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_serial_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class Rating(models.Model):
    """Đánh giá: one per finished dossier, by the applicant."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    satisfied = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return "satisfied" if self.satisfied else "not satisfied"


class SigningState(models.TextChoices):
    PENDING = "pending", _("waiting for the leader's confirmation")
    SIGNED = "signed", _("signed and verified")
    REJECTED = "rejected", _("rejected in the signing app")
    EXPIRED = "expired", _("expired before confirmation")
    FAILED = "failed", _("the signature did not verify")


class ResultSigning(models.Model):
    """A leader's resolve with a result, waiting for (or done with) the remote signature (§8.6).

    The dossier is resolved only when the signed result verifies; until then it is untouched.
    ``tx`` keeps the adapter's state of the request (the prepared PDF, the digest, the certificate)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="signings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=SigningState.choices, default=SigningState.PENDING)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(blank=True)
    source_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    signed_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tran_code = models.CharField(max_length=100)
    signer = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=300, blank=True)
    tx = models.JSONField(default=dict)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["dossier", "state"])]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.state}"
