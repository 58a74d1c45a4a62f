"""What a dossier's status and place are called, in the reader's language, for the API and the pages.

The state machine (``workflow``) names statuses and placements; the words are chosen here, when a
response or a page is drawn, never stored with the dossier.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Placement, Status

PLACEMENT_LABELS = {
    Placement.AWAITING_RECEIPT: _("Waiting to be received"),
    Placement.AT_DESK: _("Received at the one-stop desk"),
    Placement.IN_PROCESS: _("Being processed"),
    Placement.AWAITING_APPLICANT: _("Waiting for the applicant"),
    Placement.RESULT_READY: _("Result ready"),
    Placement.RESULT_RETURNED: _("Result returned"),
    Placement.CLOSED: _("Closed"),
}


def status_label(status: str) -> str:
    """The national portal's label of a status (Vietnamese, or English when asked for)."""
    try:
        return workflow.label(Status(status), translation.get_language())
    except ValueError:
        return status


def where(dossier: Dossier) -> str:
    """Where the dossier stands: the procedure's step it is at, else what its status says."""
    step = dossier.current_step if dossier.current_step_id is not None else None
    return where_label(dossier.status, step.name if step is not None else "")


def where_label(status: str, step: str) -> str:
    if step and status == Status.PROCESSING:
        return step
    return str(PLACEMENT_LABELS[workflow.placement(Status(status))])
