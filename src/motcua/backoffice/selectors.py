"""Read-only helpers for the back-office: work queues, search, the control sheet.

Everything starts from ``dossiers.selectors.visible_dossiers``, so a queue can never show a
dossier its reader may not see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.catalog.models import StepRole
from motcua.core.text import fold
from motcua.dossiers.models import ControlSheetEntry, Dossier
from motcua.dossiers.selectors import OPEN_STATUSES, overdue_q, visible_dossiers
from motcua.dossiers.workflow import IN_HAND, WAITING, Status


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    hint: Promise


QUEUES: dict[str, list[Queue]] = {
    Role.RECEIVER: [
        Queue(
            "online",
            _("Online submissions to check"),
            _("Check each dossier, then receive it, ask for a supplement or refuse it."),
        ),
        Queue(
            "to_forward", _("Received, to hand over"), _("Hand these over to the agency that resolves them.")
        ),
        Queue("results", _("Results to hand over"), _("The result is ready: hand it to the applicant.")),
        Queue(
            "waiting", _("Waiting for the applicant"), _("The clock is paused until the applicant answers.")
        ),
    ],
    Role.SPECIALIST: [
        Queue(
            "here",
            _("Dossiers at my agency"),
            _("Received or being processed at your agency, most urgent first."),
        ),
        Queue(
            "waiting", _("Waiting for the applicant"), _("The clock is paused until the applicant answers.")
        ),
    ],
    Role.LEADER: [
        Queue(
            "approval",
            _("Awaiting approval"),
            _("Handed to the leaders' step: approve and resolve, or send back."),
        ),
        Queue(
            "here",
            _("Dossiers at my agency"),
            _("Received or being processed at your agency, most urgent first."),
        ),
    ],
    Role.SUPERVISOR: [
        Queue("overdue", _("Overdue"), _("Past the due date and still running.")),
        Queue("open", _("All open dossiers"), _("Everything not yet finished, most urgent first.")),
    ],
}


def queues_for(user: Any) -> list[Queue]:
    if is_admin(user):
        return QUEUES[Role.SUPERVISOR]
    return QUEUES.get(user.role, QUEUES[Role.SUPERVISOR])


def _urgent_first(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Overdue first, then due soonest (an overdue dossier has the earliest due date); dossiers not
    yet received by how long they have waited."""
    return qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "id")


def queue(user: Any, key: str) -> QuerySet[Dossier]:
    qs = visible_dossiers(user)
    mine = user.agency_id
    if key == "online":
        qs = qs.filter(status=Status.SUBMITTED, receiving_agency_id=mine)
    elif key == "to_forward":
        qs = qs.filter(status=Status.RECEIVED, current_agency_id=mine)
    elif key == "results":
        qs = qs.filter(status=Status.RESOLVED, receiving_agency_id=mine)
    elif key == "waiting":
        place = Q(receiving_agency_id=mine) if user.role == Role.RECEIVER else Q(current_agency_id=mine)
        qs = qs.filter(place, status__in=WAITING)
    elif key == "here":
        qs = qs.filter(current_agency_id=mine, status__in=IN_HAND)
    elif key == "approval":
        qs = qs.filter(current_step__role=StepRole.LEADER, current_agency_id=mine, status=Status.PROCESSING)
    elif key == "overdue":
        qs = qs.filter(overdue_q(timezone.now()))
    else:  # "open"
        qs = qs.filter(status__in=OPEN_STATUSES)
    return _urgent_first(
        qs.select_related(
            "procedure_version", "receiving_agency", "current_agency", "resolving_agency", "current_step"
        )
    )


ID_NUMBER = re.compile(r"^\d{10}(-\d{3})?$|^\d{12}$")


def search(user: Any, text: str) -> QuerySet[Dossier]:
    """By dossier code, applicant name or procedure name; a personal ID or tax code matches exactly."""
    text = text.strip()
    qs = visible_dossiers(user)
    if ID_NUMBER.match(text):
        qs = qs.filter(applicant_id_number=text)
    else:
        # Without diacritics or case, as the catalog search: "nie" finds "Niê", "dang ky" "Đăng ký".
        key = fold(text)
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(applicant_search__contains=key)
            | Q(procedure_version__search_text__contains=key)
        )
    return qs.select_related("procedure_version", "current_agency", "current_step").order_by(
        "-submitted_at", "-id"
    )


def control_sheet(dossier: Dossier) -> QuerySet[ControlSheetEntry]:
    return dossier.control_sheet.select_related("from_agency", "to_agency", "handed_over_by").order_by(
        "handed_over_at", "id"
    )


def agencies_for_forwarding() -> QuerySet[Agency]:
    return Agency.objects.filter(valid_to__isnull=True).order_by("path").only("code", "name", "kind", "path")
