"""What the citizen is asked to do next, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.web.presenters import local, open_payment_amount, status_label, vnd


@dataclass(frozen=True)
class NextStep:
    """What is asked of the citizen now."""

    tone: str
    title: str
    text: str
    action: str = ""  # "supplement", "rate", "download" or "" (no link)


def next_step(dossier: Dossier, *, rated: bool) -> NextStep:
    status = Status(dossier.status)
    due = local(dossier.due_at)
    if status is Status.SUBMITTED:
        return NextStep(
            "info",
            _("Nothing to do for now"),
            _(
                "An officer of %(agency)s will check your dossier and receive it, usually within one working day."
            )
            % {"agency": dossier.receiving_agency.name},
        )
    if status is Status.AWAITING_SUPPLEMENT:
        return NextStep(
            "warning",
            _("Action needed: add the missing documents"),
            _("The clock is paused until you send them. Everything you already sent is kept."),
            "supplement",
        )
    if status is Status.AWAITING_PAYMENT:
        return NextStep(
            "warning",
            _("Action needed: pay the fees"),
            _("Pay %(amount)s below, online or by bank transfer, or at the one-stop desk of %(agency)s.")
            % {"amount": vnd(open_payment_amount(dossier)), "agency": dossier.receiving_agency.name},
        )
    if status in (Status.RECEIVED, Status.PROCESSING):
        return NextStep(
            "info",
            _("Nothing to do for now"),
            _("Your dossier is being processed. The result is due by %(due)s.") % {"due": due},
        )
    if status is Status.RESOLVED:
        return NextStep(
            "success",
            _("Your result is ready"),
            _("Collect it at %(agency)s with your receipt and your ID card.")
            % {"agency": dossier.receiving_agency.name},
            "" if rated else "rate",
        )
    if status is Status.RETURNED and dossier.return_method == "online" and dossier.result_file_id is not None:
        return NextStep(
            "success",
            _("Your result is ready to download"),
            _(
                "The one-stop desk returned your result online. Download it here, or any time on the "
                "look-up page with your dossier code and ID number."
            ),
            "download",
        )
    if status is Status.RETURNED:
        if rated:
            return NextStep("success", _("Done"), _("The result was handed over. Thank you for your rating."))
        return NextStep(
            "success",
            _("Done — tell us how it went"),
            _("The result was handed over. Your rating helps the agency serve you better."),
            "rate",
        )
    return NextStep("muted", status_label(status), _("This dossier is closed."))
