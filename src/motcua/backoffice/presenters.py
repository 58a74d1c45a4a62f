"""What the back-office's dossier page offers: the actions, in the order a desk wants them, and the
printable forms that apply now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from motcua.core.errors import Conflict
from motcua.dossiers.forms.render import FORMS
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action

ACTION_LABELS = {
    Action.RECEIVE: gettext_lazy("Receive the dossier"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Request a supplement"),
    Action.SUPPLEMENT: gettext_lazy("Record the supplement handed in at the desk"),
    Action.REFUSE: gettext_lazy("Refuse to receive"),
    Action.FORWARD: gettext_lazy("Hand over for processing"),
    Action.REQUEST_PAYMENT: gettext_lazy("Request payment of fees"),
    Action.PAY: gettext_lazy("Record the payment"),
    Action.EXTEND: gettext_lazy("Extend the due date (apology letter)"),
    Action.RESOLVE: gettext_lazy("Resolve: the result is ready"),
    Action.RETURN_RESULT: gettext_lazy("Hand over the result"),
    Action.WITHDRAW: gettext_lazy("Withdraw at the applicant's request"),
    Action.STOP: gettext_lazy("Stop processing"),
}
ACTION_HELP = {
    Action.RECEIVE: gettext_lazy(
        "The dossier gets its code and due date now; print the receipt (form 01) for the applicant."
    ),
    Action.REQUEST_SUPPLEMENT: gettext_lazy(
        "Ask once and in full. The clock stops until the applicant answers (form 02)."
    ),
    Action.SUPPLEMENT: gettext_lazy(
        "The applicant brought the missing documents to the desk. The clock runs again."
    ),
    Action.REFUSE: gettext_lazy("The dossier is not received; the applicant gets the refusal (form 03)."),
    Action.FORWARD: gettext_lazy("A row is added to the control sheet (form 06)."),
    Action.REQUEST_PAYMENT: gettext_lazy("The clock stops until the fees are paid."),
    Action.PAY: gettext_lazy("Paid at the desk. The clock runs again."),
    Action.EXTEND: gettext_lazy(
        "Once only, before the due date. The first appointment is kept for the statistics (form 04)."
    ),
    Action.RESOLVE: gettext_lazy("The result goes back to the one-stop desk that received the dossier."),
    Action.RETURN_RESULT: gettext_lazy("The applicant has the result; the dossier is finished."),
    Action.WITHDRAW: gettext_lazy("Only on the applicant's written request."),
    Action.STOP: gettext_lazy("Processing ends without a result (form 05)."),
}
DESTRUCTIVE = frozenset({Action.REFUSE, Action.WITHDRAW, Action.STOP})
# The action most likely wanted comes first and is shown open.
ACTION_ORDER = [
    Action.RECEIVE,
    Action.RETURN_RESULT,
    Action.RESOLVE,
    Action.FORWARD,
    Action.REQUEST_SUPPLEMENT,
    Action.SUPPLEMENT,
    Action.PAY,
    Action.REQUEST_PAYMENT,
    Action.EXTEND,
    Action.REFUSE,
    Action.WITHDRAW,
    Action.STOP,
]


def ordered(actions: Iterable[Action]) -> list[Action]:
    wanted = set(actions)
    return [a for a in ACTION_ORDER if a in wanted]


def form_url(dossier: Dossier, form: str) -> str:
    return f"/api/v1/dossiers/{dossier.pk}/forms/{form}"


FORM_LABELS = {
    "receipt": gettext_lazy("Receipt and appointment slip (form 01)"),
    "supplement": gettext_lazy("Supplement request (form 02)"),
    "refusal": gettext_lazy("Refusal to receive (form 03)"),
    "apology": gettext_lazy("Apology and new appointment (form 04)"),
    "stop": gettext_lazy("Stop of processing (form 05)"),
    "control-sheet": gettext_lazy("Process control sheet (form 06)"),
}


def printable_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(label, URL) of the PDF forms that apply to this dossier now, as each form's spec decides."""
    out: list[tuple[str, str]] = []
    for key, spec in FORMS.items():
        try:
            spec.check(dossier)
        except Conflict:
            continue
        out.append((str(FORM_LABELS[key]), form_url(dossier, key)))
    return out


@dataclass(frozen=True)
class OfferedAction:
    """One action's fold-out form on a staff page, a dossier's or a petition's: what
    ``backoffice/includes/action.html`` draws."""

    url: str
    label: str
    help: str
    form: Any  # a web.forms.StyledForm
    open: bool
    destructive: bool = False
    multipart: bool = False
