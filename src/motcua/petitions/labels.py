"""The words the pages use for petitions, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.petitions import lifecycle
from motcua.petitions.lifecycle import Action, Timeliness

ACTION_LABELS = {
    Action.ACCEPT: _("Accept for handling"),
    Action.FORWARD: _("Forward to the competent agency"),
    Action.REFUSE: _("Refuse"),
    Action.REQUEST_SUPPLEMENT: _("Ask the sender for more information"),
    Action.SUPPLEMENT: _("Record the sender's additional information"),
    Action.ANSWER: _("Answer"),
    Action.PUBLISH: _("Publish the answer"),
}
ACTION_HELP = {
    Action.ACCEPT: _(
        "The petition is within this agency's competence: the answer is due in 15 working days."
    ),
    Action.FORWARD: _("Send it to the agency competent for it, with the reason."),
    Action.REFUSE: _("It does not meet the requirements of a petition. Give the reason."),
    Action.REQUEST_SUPPLEMENT: _("The clock stops until the sender answers."),
    Action.SUPPLEMENT: _("What the sender sent by phone, letter or e-mail."),
    Action.ANSWER: _("A specialist's answer is a draft; a leader's answer approves it."),
    Action.PUBLISH: _("The question and the answer become public, without the sender's personal data."),
}
DESTRUCTIVE = frozenset({Action.REFUSE})
TIMELINESS_LABELS = {
    Timeliness.ON_TIME: _("On time"),
    Timeliness.LATE: _("Late"),
    Timeliness.ON_TRACK: _("On track"),
    Timeliness.OVERDUE: _("Overdue"),
}
EVENT_LABELS: dict[str, Any] = {"submit": _("Received"), "classify": _("Classified")} | {
    a.value: t for a, t in ACTION_LABELS.items()
}


def status_label(status: str) -> str:
    return lifecycle.label(lifecycle.Status(status), translation.get_language())
