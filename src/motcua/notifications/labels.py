"""What the pages call channels, events and statuses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CHANNELS = {"sms": _("SMS"), "zalo": _("Zalo"), "email": _("E-mail")}
EVENTS = {
    "received": _("Received: code and appointment"),
    "supplement_requested": _("Supplement requested"),
    "payment_requested": _("Payment requested"),
    "extended": _("Appointment extended, with an apology"),
    "refused": _("Refused"),
    "stopped": _("Processing stopped"),
    "result_ready": _("Result ready"),
}
STATUSES = {
    "pending": _("Waiting to be sent"),
    "delivered": _("Sent"),
    "failed": _("Could not be sent"),
    "skipped": _("Not sent: unusable number or address"),
}
TONES = {"pending": "info", "delivered": "success", "failed": "danger", "skipped": "warning"}
