"""The outbox: every message that leaves MotCua (notifications, payment reconciliation, the national
portal's sync) is first a row here, written in the same transaction as the change that causes it, so
a change is never made without its message nor a message sent for a change that was rolled back."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (dead letter)")


class OutboxMessage(models.Model):
    """One message for one counterpart. Messages of one ``stream`` (a dossier's, for one counterpart)
    are delivered in the order they were written; ``key`` is the idempotency key the receiver sees,
    so a message sent twice (a worker killed between sending and recording) is taken once."""

    target = models.CharField(max_length=30)  # which deliverer sends it: sms, zalo, email, …
    key = models.CharField(max_length=200, unique=True)
    stream = models.CharField(max_length=80, blank=True)  # "" = no order to keep
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    event = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease while it sends
    claimed_by = models.CharField(max_length=40, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["stream", "state", "id"], name="outbox_stream"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.key} ({self.state})"
