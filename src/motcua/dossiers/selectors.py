"""Reads for dossiers. ``visible_dossiers`` is the one place that decides who sees what (contract §5)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.core.errors import Conflict, NotFound
from motcua.dossiers import workflow
from motcua.dossiers.codes import CODE
from motcua.dossiers.models import ControlSheetEntry, Dossier, DossierEvent
from motcua.dossiers.workflow import OPEN, Status
from motcua.files.models import StoredFile

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


def route_of(dossier: Dossier) -> tuple[workflow.Route, list[ProcessStep]]:
    """The procedure's steps (by role) and the one the dossier is at, for the leader's-approval rule."""
    steps = sorted(dossier.procedure_version.steps.all(), key=lambda s: s.position)
    at = next((i for i, s in enumerate(steps) if s.pk == dossier.current_step_id), None)
    return workflow.Route(tuple(s.role for s in steps), at), steps


def _with_details(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "resolving_agency",
        "current_agency",
        "current_step",
        "external",  # the national channel it came from, if any (integrations.inbound)
    ).prefetch_related("documents", "supplement_requests", "payments", "procedure_version__steps")


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
class Handover:
    """One row of the control sheet as the public may see it: which agency, which step, when."""

    agency: str
    step: str
    at: datetime
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What the public look-up shows: the dossier's progress, nothing personal."""

    id: int
    code: str
    status: str
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    paused_at: datetime | None
    supplements_after_receipt: int
    return_method: str
    e_result: bool
    result_file_id: Any
    procedure_name: str = ""
    holder: str = ""  # the agency that holds the dossier now
    step: str = ""  # the procedure's step it is at, if any
    handovers: tuple[Handover, ...] = ()

    @property
    def pk(self) -> int:
        return self.id

    @property
    def result_downloadable(self) -> bool:
        """An electronic result the applicant may download: once it has been handed over."""
        return self.result_file_id is not None and self.status == Status.RETURNED


_LOOKUP_COLUMNS = [
    f.name for f in fields(LookupResult) if f.name not in ("procedure_name", "holder", "step", "handovers")
]
# The busiest public query, so plain SQL: compiling the ORM query cost more than running it
# (about 1.2 ms of CPU against 0.2 ms, measured with benchmarks/profile_paths.py). One statement: the
# hand-overs come as LEFT JOINed rows (one row per hand-over, one row of NULLs when none), since each
# statement is a round trip and a backend's CPU on the same two cores (bench_lookup's ratio).
_LOOKUP_SQL = (  # noqa: S608 — table names from the models' metadata; values are bound parameters
    "SELECT {columns}, v.name, a.name, s.name, ha.name, c.step, c.handed_over_at, c.completed_at "
    "FROM {dossier} d "
    "JOIN {version} v ON v.id = d.procedure_version_id JOIN {agency} a ON a.id = d.current_agency_id "
    "LEFT JOIN {step} s ON s.id = d.current_step_id "
    "LEFT JOIN {sheet} c ON c.dossier_id = d.id AND d.received_at IS NOT NULL "
    "LEFT JOIN {agency} ha ON ha.id = c.to_agency_id "
    "WHERE d.code = %s AND d.applicant_id_number = %s AND d.province {province} "
    "ORDER BY c.handed_over_at, c.id"
).format(
    columns=", ".join(f"d.{name}" for name in _LOOKUP_COLUMNS),  # plain fields and FK ids: column = name
    dossier=Dossier._meta.db_table,
    version=ProcedureVersion._meta.db_table,
    agency=Agency._meta.db_table,
    step=ProcessStep._meta.db_table,
    sheet=ControlSheetEntry._meta.db_table,
    province="{province}",
)
# The code names its receiving agency, so its province: on a partitioned table (core.partitioning)
# PostgreSQL reads that province's partitions only ('': received before the agency had one). An array
# of text, not varchar: one cast from varchar[] would hide the list from the pruning.
_PROVINCE = f"(SELECT CAST(p.province AS text) FROM {Agency._meta.db_table} p WHERE p.code = %s)"  # noqa: S608 — as above
_LOOKUP_SQL_BY_VENDOR = {
    "postgresql": _LOOKUP_SQL.format(province=f"= ANY (ARRAY['', {_PROVINCE}])"),
    "sqlite": _LOOKUP_SQL.format(province=f"IN ('', {_PROVINCE})"),
}


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_naive(value):  # SQLite hands back naive UTC
        return value.replace(tzinfo=UTC)
    return value


def lookup(*, code: str, id_number: str) -> LookupResult:
    """The public look-up: status, times, where the dossier is and the hand-overs so far. A wrong pair
    and an unknown code are the same 404."""
    with connection.cursor() as cursor:
        match = CODE.match(code)
        sql = _LOOKUP_SQL_BY_VENDOR[connection.vendor]
        cursor.execute(sql, [code, id_number, match.group("unit") if match else ""])
        rows = cursor.fetchall()
    if not rows:
        raise NotFound()
    row = rows[0]
    values = {name: _aware(value) for name, value in zip(_LOOKUP_COLUMNS, row[:-7], strict=True)}
    procedure, holder, step = row[-7:-4]
    handovers = tuple(
        Handover(name, sheet_step, _aware(at), _aware(done))
        for name, sheet_step, at, done in (r[-4:] for r in rows)
        if name is not None  # the one row of NULLs of a dossier without hand-overs
    )
    return LookupResult(
        procedure_name=procedure, holder=holder, step=step or "", handovers=handovers, **values
    )


def result_file(user: Any, dossier_id: int) -> StoredFile:
    """The dossier's electronic result, for whoever may see the dossier; the applicant gets it once
    it has been handed over (returned)."""
    dossier = dossier_get(user, dossier_id)
    if dossier.result_file_id is None:
        raise NotFound(_("This dossier has no electronic result."))
    if getattr(user, "role", None) == Role.CITIZEN and dossier.status != Status.RETURNED:
        raise Conflict(
            _("The result can be downloaded once the one-stop desk has handed it over."),
            code="result_not_returned",
        )
    return StoredFile.objects.get(pk=dossier.result_file_id)


def lookup_result_file(*, code: str, id_number: str) -> StoredFile:
    """The electronic result by code and personal ID, once handed over; otherwise the same 404."""
    found = lookup(code=code, id_number=id_number)
    if not found.result_downloadable:
        raise NotFound(_("No electronic result can be downloaded for this dossier."))
    return StoredFile.objects.get(pk=found.result_file_id)
