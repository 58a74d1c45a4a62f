"""Reads for dossiers. ``visible_dossiers`` is the one place that decides who sees what (contract §5)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import NotFound
from motcua.dossiers.models import ControlSheetEntry, Dossier, DossierEvent
from motcua.dossiers.workflow import OPEN

OPEN_STATUSES = [s.value for s in OPEN]


def overdue_q(now: datetime) -> Q:
    """Unfinished dossiers past their due date: ``workflow.timeliness`` "overdue" as one indexed filter.
    A paused clock is judged where it stopped, so a dossier paused after its due date stays overdue."""
    running = Q(paused_at__isnull=True, due_at__lt=now)
    stopped_late = Q(paused_at__isnull=False, paused_at__gt=F("due_at"))
    return Q(status__in=OPEN_STATUSES, due_at__isnull=False) & (running | stopped_late)


def _worked_on_by(agency_id: int) -> Q:
    """Dossiers on whose control sheet the agency appears: an agency keeps read access to every
    dossier it has worked on, after it hands it on (contract §5)."""
    sheet = ControlSheetEntry.objects.filter(Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id))
    return Q(pk__in=sheet.values("dossier_id"))


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """Citizens their own; receivers what their agency received or holds; specialists and leaders what
    their agency resolves or holds; staff also what their agency worked on; supervisors everything
    under their agency; admins everything."""
    qs = Dossier.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_admin(user):
        return qs
    role, agency_id = user.role, user.agency_id
    if role == Role.CITIZEN:
        return qs.filter(applicant_user_id=user.pk)
    if agency_id is None:
        return qs.none()
    if role == Role.RECEIVER:
        return qs.filter(
            Q(receiving_agency_id=agency_id) | Q(current_agency_id=agency_id) | _worked_on_by(agency_id)
        )
    if role in (Role.SPECIALIST, Role.LEADER):
        return qs.filter(
            Q(resolving_agency_id=agency_id) | Q(current_agency_id=agency_id) | _worked_on_by(agency_id)
        )
    if role == Role.SUPERVISOR:
        path = user.agency.path
        return qs.filter(
            Q(receiving_agency__path__startswith=path)
            | Q(resolving_agency__path__startswith=path)
            | Q(current_agency__path__startswith=path)
        )
    return qs.none()


def _with_details(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "resolving_agency",
        "current_agency",
        "current_step",
    ).prefetch_related("documents", "supplement_requests", "payments")


def dossier_list(
    user: Any,
    *,
    status: str | None = None,
    agency_code: str | None = None,
    overdue: bool | None = None,
    procedure_code: str | None = None,
) -> QuerySet[Dossier]:
    qs = visible_dossiers(user)
    if status:
        qs = qs.filter(status=status)
    if agency_code:
        qs = qs.filter(
            Q(receiving_agency__code=agency_code)
            | Q(resolving_agency__code=agency_code)
            | Q(current_agency__code=agency_code)
        )
    if procedure_code:
        qs = qs.filter(procedure__code=procedure_code)
    if overdue is not None:
        late = overdue_q(timezone.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return _with_details(qs).order_by("-submitted_at", "-id")


def dossier_get(user: Any, dossier_id: int) -> Dossier:
    found = _with_details(visible_dossiers(user).filter(pk=dossier_id)).first()
    if found is None:
        raise NotFound()
    return found


def dossier_events(user: Any, dossier_id: int) -> QuerySet[DossierEvent]:
    dossier = dossier_get(user, dossier_id)
    return dossier.events.select_related("actor").order_by("at", "id")


def dossier_for_forms(user: Any, dossier_id: int) -> Dossier:
    """Everything the printed forms need, in a handful of queries."""
    found = (
        visible_dossiers(user)
        .filter(pk=dossier_id)
        .select_related(
            "procedure",
            "procedure_version",
            "receiving_agency__parent",
            "resolving_agency__parent",
            "current_agency",
            "current_step",
        )
        .prefetch_related(
            "documents",
            "supplement_requests",
            "payments",
            "procedure_version__required_documents",
            Prefetch(
                "control_sheet", queryset=ControlSheetEntry.objects.select_related("from_agency", "to_agency")
            ),
            "events",
        )
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What the public look-up shows: the dossier's progress, nothing personal."""

    id: int
    code: str
    procedure_name: str
    status: str
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    paused_at: datetime | None
    supplements_after_receipt: int

    @property
    def pk(self) -> int:
        return self.id


_LOOKUP_COLUMNS = [f.name for f in fields(LookupResult) if f.name != "procedure_name"]
# The busiest public query, so plain SQL: compiling the ORM query cost more than running it
# (about 1.2 ms of CPU against 0.2 ms, measured with benchmarks/profile_paths.py).
_LOOKUP_SQL = (  # noqa: S608 — table names from the models' metadata; values are bound parameters
    "SELECT {columns}, v.name FROM {dossier} d JOIN {version} v ON v.id = d.procedure_version_id "
    "WHERE d.code = %s AND d.applicant_id_number = %s"
).format(
    columns=", ".join(f"d.{name}" for name in _LOOKUP_COLUMNS),  # plain fields: column = field name
    dossier=Dossier._meta.db_table,
    version=ProcedureVersion._meta.db_table,
)


def lookup(*, code: str, id_number: str) -> LookupResult:
    """The public look-up. A wrong pair and an unknown code are the same 404."""
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP_SQL, [code, id_number])
        row = cursor.fetchone()
    if row is None:
        raise NotFound()
    values = dict(zip(_LOOKUP_COLUMNS, row[:-1], strict=True))
    for name, value in values.items():
        if isinstance(value, datetime) and timezone.is_naive(value):  # SQLite hands back naive UTC
            values[name] = value.replace(tzinfo=UTC)
    return LookupResult(procedure_name=row[-1], **values)
