"""Import of historical dossiers from JSON Lines (contract §1 and §6).

Each line is read and checked by ``import_lines.check_line`` (plain Python); here procedures,
versions and agencies are resolved through dictionaries loaded once, and the rows are written in
batches (``core.bulk``) inside one transaction.

The file is streamed in one pass, inside one transaction: each batch of valid lines is written as
soon as it is checked. Without ``skip_invalid`` the first invalid line stops the writing, the rest
of the file is still checked (so that every bad line is listed) and the transaction is rolled
back, so a file with one bad line imports nothing. With ``skip_invalid`` the valid lines are
imported and the bad ones listed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import Procedure, ProcedureVersion, RequiredDocument, VersionStatus
from motcua.core.bulk import BulkTable
from motcua.core.text import fold
from motcua.dossiers import serials
from motcua.dossiers.import_lines import InvalidLine, Record, check_line, read_lines
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.workflow import CLOSED, FINISHED, WAITING, Status

BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000


def _longest(model: Any, field_name: str) -> int:
    return int(model._meta.get_field(field_name).max_length)


# The longest string each field of a line may hold: the column it goes into (a rating's comment is
# free text, held to a length a person writes).
LIMITS: dict[str, int] = {
    "code": _longest(Dossier, "code"),
    "procedure_code": _longest(Procedure, "code"),
    "agency_code": _longest(Agency, "code"),
    "full_name": _longest(Dossier, "applicant_name"),
    "id_number": _longest(Dossier, "applicant_id_number"),
    "phone": _longest(Dossier, "applicant_phone"),
    "email": _longest(Dossier, "applicant_email"),
    "address": _longest(Dossier, "applicant_address"),
    "document_code": _longest(DossierDocument, "code"),
    "document_name": _longest(DossierDocument, "name"),
    "comment": 5000,
}


@dataclass(frozen=True, slots=True)
class _Version:
    id: int
    procedure_id: int
    status: str
    valid_from: datetime | None
    valid_to: datetime | None
    number: int
    documents: Mapping[str, str]


@dataclass
class ImportReport:
    lines: int = 0  # non-blank lines read
    imported: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)  # line number → reasons
    skip_invalid: bool = False

    @property
    def invalid(self) -> int:
        return len(self.errors)


class _References:
    """Agencies and procedure versions, loaded once; checks the line against them."""

    def __init__(self) -> None:
        self.agencies: dict[str, int] = dict(Agency.objects.values_list("code", "id"))
        self.agency_names: dict[int, str] = dict(Agency.objects.values_list("id", "name"))
        self.provinces: dict[int, str] = dict(Agency.objects.values_list("id", "province"))
        docs: dict[int, dict[str, str]] = {}
        for version_id, code, name in RequiredDocument.objects.values_list("version_id", "code", "name"):
            docs.setdefault(version_id, {})[code] = name
        self.versions: dict[str, list[_Version]] = {}
        rows = ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT).values_list(
            "procedure__code", "id", "procedure_id", "status", "valid_from", "valid_to", "number"
        )
        for code, vid, pid, status, valid_from, valid_to, number in rows:
            self.versions.setdefault(code, []).append(
                _Version(vid, pid, status, valid_from, valid_to, number, docs.get(vid, {}))
            )
        for versions in self.versions.values():
            versions.sort(key=lambda v: v.number, reverse=True)

    def version_for(self, procedure_code: str, at: datetime) -> _Version | None:
        """The version in force at ``at``, else the current one, else the latest published."""
        versions = self.versions.get(procedure_code)
        if not versions:
            return None
        for v in versions:
            if v.valid_from is not None and v.valid_from <= at and (v.valid_to is None or at < v.valid_to):
                return v
        return next((v for v in versions if v.status == VersionStatus.CURRENT), versions[0])

    def check(self, record: Record) -> list[str]:
        errors = []
        if record.procedure_code not in self.versions:
            errors.append(f"procedure_code: unknown procedure {record.procedure_code!r}")
        for key in ("receiving_agency_code", "resolving_agency_code"):
            value = getattr(record, key)
            if value not in self.agencies:
                errors.append(f"{key}: unknown agency {value!r}")
        return errors


def _existing_codes(codes: list[str]) -> set[str]:
    """The codes among ``codes`` that dossiers in the database already have."""
    if not codes:
        return set()
    if connection.vendor == "postgresql":  # one array parameter rather than thousands
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code FROM {connection.ops.quote_name(Dossier._meta.db_table)} WHERE code = ANY(%s)",  # noqa: S608 — a model's table
                [codes],
            )
            return {row[0] for row in cursor.fetchall()}
    return {code for code in Dossier.objects.filter(code__in=codes).values_list("code", flat=True) if code}


def _identity(r: Record) -> tuple[str, str, str, datetime]:
    """What tells a dossier never received (so without a code) from another."""
    return (r.procedure_code, r.receiving_agency_code, r.applicant_id_number, r.submitted_at)


def _existing_uncoded(records: list[Record]) -> set[tuple[str, str, str, datetime]]:
    """The identities among ``records`` that code-less dossiers in the database already have, so
    that importing a file twice does not import its never-received dossiers twice."""
    rows = Dossier.objects.filter(
        code__isnull=True,
        applicant_id_number__in={r.applicant_id_number for r in records},
        submitted_at__in={r.submitted_at for r in records},
    ).values_list("procedure__code", "receiving_agency__code", "applicant_id_number", "submitted_at")
    return set(rows)


def _checked(
    path: Path,
    refs: _References,
    report: ImportReport,
    *,
    progress: Callable[[int], None] | None,
    batch_size: int,
) -> Iterator[list[Record]]:
    """Batches of valid records; every invalid line goes into ``report.errors``, including codes
    repeated within the file (the first stays valid) or already in the database."""
    now = timezone.now()
    tz = timezone.get_default_timezone()
    seen: dict[str, int] = {}  # code → first line, for duplicates within the file
    seen_uncoded: dict[tuple[str, str, str, datetime], int] = {}
    batch: list[Record] = []

    def flush() -> list[Record]:
        taken = _existing_codes([r.code for r in batch if r.code])
        uncoded = [r for r in batch if r.code is None]
        known = _existing_uncoded(uncoded) if uncoded else set()
        if not taken and not known:
            return batch
        keep = []
        for r in batch:
            if r.code in taken:
                report.errors[r.line] = [f"code: {r.code} is already in the database"]
            elif r.code is None and _identity(r) in known:
                report.errors[r.line] = [
                    "the same dossier (procedure, receiving agency, applicant, submitted_at) "
                    "is already in the database"
                ]
            else:
                keep.append(r)
        return keep

    count = 0
    for number, raw in read_lines(path):
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        try:
            record = check_line(raw, number, tz=tz, now=now, limits=LIMITS)
        except InvalidLine as exc:
            report.errors[number] = exc.reasons
            continue
        errors = refs.check(record)
        if record.code is not None:
            first = seen.setdefault(record.code, number)
            if first != number:
                errors.append(f"code: {record.code} is repeated (first on line {first})")
        else:  # never received, so no code: the same applicant, procedure, place and instant
            first = seen_uncoded.setdefault(_identity(record), number)
            if first != number:
                errors.append(f"the same dossier without a code is repeated (first on line {first})")
        if errors:
            report.errors[number] = errors
            continue
        batch.append(record)
        if len(batch) >= batch_size:
            yield flush()
            batch = []
    if batch:
        yield flush()
    report.lines = count


def import_dossiers(
    path: Path,
    *,
    skip_invalid: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a JSON Lines file of historical dossiers (contract §6), in one transaction.

    One pass: each batch of valid lines is written as soon as it is checked. Without
    ``skip_invalid``, the first invalid line stops the writing, the rest of the file is still
    checked so that every bad line is reported, and the transaction is rolled back: nothing is
    imported. (A valid file is read once rather than twice; only the batch in hand is in memory.)
    ``progress(lines read, dossiers written)`` is called every 10,000 lines.
    """
    refs = _References()
    report = ImportReport(skip_invalid=skip_invalid)
    writer = _Writer(refs, source=path.name)

    def written(lines: int) -> None:
        if progress is not None:
            progress(lines, report.imported)

    with transaction.atomic():
        for batch in _checked(path, refs, report, progress=written, batch_size=batch_size):
            if report.errors and not skip_invalid:
                continue  # keep checking, write no more
            writer.write(batch)
            report.imported += len(batch)
        if report.errors and not skip_invalid:
            transaction.set_rollback(True)
            report.imported = 0
        else:
            writer.advance_serials()
    return report


DOSSIER_COLUMNS = (
    "code",
    "procedure_id",
    "procedure_version_id",
    "receiving_agency_id",
    "province",
    "resolving_agency_id",
    "current_agency_id",
    "channel",
    "status",
    "left_status",
    "applicant_kind",
    "applicant_name",
    "applicant_search",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_user_id",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "resolved_at",
    "returned_at",
    "closed_at",
    "outcome",
    "paused_at",
    "remaining_seconds",
    "original_remaining_seconds",
    "supplements_after_receipt",
    "fee_vnd",
    "payment_channel",
    "e_result",
    "result_pushed_to_warehouse",
    "vneid_verified",
    "population_data_used",
    "synced_to_national_portal",
    "imported",
    "updated_at",
)
DOCUMENT_COLUMNS = ("dossier_id", "code", "name", "digitized", "reused", "from_warehouse", "added_at")
SUPPLEMENT_COLUMNS = ("dossier_id", "requested_at", "completed_at", "after_receipt", "items", "reason")
PAYMENT_COLUMNS = (
    "dossier_id",
    "amount_vnd",
    "requested_at",
    "paid_at",
    "paid_amount_vnd",
    "method",
    "status",
    "channel",
)
RATING_COLUMNS = ("dossier_id", "satisfied", "comment", "created_at")
EVENT_COLUMNS = ("dossier_id", "province", "at", "action", "from_status", "to_status", "note", "data")


class _Writer:
    def __init__(self, refs: _References, source: str) -> None:
        self.refs = refs
        self.source = source
        self.calendar = get_calendar()
        self.now = now = timezone.now()
        self.serials: dict[tuple[int, date], int] = {}  # (agency id, day) → highest serial imported
        self.dossiers = BulkTable(Dossier, DOSSIER_COLUMNS, now)
        self.documents = BulkTable(DossierDocument, DOCUMENT_COLUMNS, now)
        self.supplements = BulkTable(SupplementRequest, SUPPLEMENT_COLUMNS, now)
        self.payments = BulkTable(Payment, PAYMENT_COLUMNS, now)
        self.ratings = BulkTable(Rating, RATING_COLUMNS, now)
        self.events = BulkTable(DossierEvent, EVENT_COLUMNS, now)
        # Times as the database takes them: aware datetimes for psycopg, UTC text for SQLite.
        adapt = connection.ops.adapt_datetimefield_value
        self.dt: Callable[[datetime | None], Any] = (
            (lambda value: value) if connection.vendor == "postgresql" else adapt
        )
        self.empty_list = json.dumps([])

    def _citizens(self, batch: list[Record]) -> dict[str, int]:
        """Citizen accounts with the applicants' personal IDs, so that they see their dossiers."""
        ids = {r.applicant_id_number for r in batch if r.applicant_kind == "individual"}
        if not ids:
            return {}
        if connection.vendor == "postgresql":  # one array parameter rather than thousands
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id_number, id FROM {connection.ops.quote_name(User._meta.db_table)} "  # noqa: S608 — a model's table
                    "WHERE role = %s AND id_number = ANY(%s)",
                    [Role.CITIZEN.value, list(ids)],
                )
                rows = cursor.fetchall()
        else:
            rows = list(
                User.objects.filter(role=Role.CITIZEN, id_number__in=ids).values_list("id_number", "id")
            )
        return {n: uid for n, uid in rows if n}

    def _dossier(self, pk: int, r: Record, version: _Version, citizen: int | None) -> tuple[Any, ...]:
        refs, dt = self.refs, self.dt
        receiving = refs.agencies[r.receiving_agency_code]
        resolving = refs.agencies[r.resolving_agency_code]
        status = r.status
        # Where it stands follows from the status (workflow.placement): history names no step.
        if status in FINISHED or r.received_at is None or status in (Status.RECEIVED, Status.REFUSED):
            current, left = receiving, ""
            if status == Status.AWAITING_SUPPLEMENT:
                left = Status.SUBMITTED.value
        else:  # processing, waiting for the applicant, or closed during processing: at the resolving agency
            current = resolving
            left = Status.PROCESSING.value if status in WAITING else ""
        paused_at = remaining = original_remaining = None
        if status == Status.AWAITING_SUPPLEMENT and r.due_at is not None:
            # The clock stopped when the open request was made: keep the working time left then.
            paused_at = r.supplements[-1][0]
            remaining = int(self.calendar.working_time_between(paused_at, r.due_at).total_seconds())
            if r.original_due_at is not None:
                original_remaining = int(
                    self.calendar.working_time_between(paused_at, r.original_due_at).total_seconds()
                )
        if r.code is not None and r.day is not None and r.seq is not None:
            key = (receiving, r.day)
            if r.seq > self.serials.get(key, 0):
                self.serials[key] = r.seq
        return (
            pk,
            r.code,
            version.procedure_id,
            version.id,
            receiving,
            refs.provinces[receiving],
            resolving,
            current,
            r.channel,
            status.value,
            left,
            r.applicant_kind,
            r.applicant_name,
            fold(r.applicant_name),
            r.applicant_id_number,
            r.applicant_phone,
            r.applicant_email,
            r.applicant_address,
            citizen,
            dt(r.submitted_at),
            dt(r.received_at),
            dt(r.due_at),
            dt(r.original_due_at),
            dt(r.resolved_at),
            dt(r.returned_at),
            dt(r.last_event_at) if status in CLOSED else None,
            r.outcome,
            dt(paused_at),
            remaining,
            original_remaining,
            r.supplements_after_receipt,
            r.fee_vnd,
            r.payment_channel,
            r.e_result,
            r.result_pushed_to_warehouse,
            r.vneid_verified,
            r.population_data_used,
            r.synced_to_national_portal,
            True,
            dt(self.now),
        )

    def write(self, batch: list[Record]) -> None:
        dt = self.dt
        citizens = self._citizens(batch)
        ids = self.dossiers.next_ids(len(batch))
        Rows = list[tuple[Any, ...]]
        dossiers: Rows = []
        documents: Rows = []
        supplements: Rows = []
        payments: Rows = []
        ratings: Rows = []
        events: Rows = []
        document_ids = iter(self.documents.next_ids(sum(len(r.documents) for r in batch)))
        supplement_ids = iter(self.supplements.next_ids(sum(len(r.supplements) for r in batch)))
        payment_ids = iter(self.payments.next_ids(sum(1 for r in batch if r.fee_vnd > 0)))
        rating_ids = iter(self.ratings.next_ids(sum(1 for r in batch if r.rating is not None)))
        event_ids = iter(self.events.next_ids(len(batch)))
        now = dt(self.now)
        for pk, r in zip(ids, batch, strict=True):
            version = self.refs.version_for(r.procedure_code, r.pinned_at)
            assert version is not None  # noqa: S101 — checked in _References.check
            citizen = citizens.get(r.applicant_id_number) if r.applicant_kind == "individual" else None
            dossiers.append(self._dossier(pk, r, version, citizen))
            added_at = dt(r.submitted_at)
            names = version.documents
            documents.extend(
                (
                    next(document_ids),
                    pk,
                    d.code,
                    d.name or names.get(d.code, d.code),
                    d.digitized,
                    d.reused,
                    d.from_warehouse,
                    added_at,
                )
                for d in r.documents
            )
            received = r.received_at
            supplements.extend(
                (
                    next(supplement_ids),
                    pk,
                    dt(requested),
                    dt(completed),
                    received is not None and requested >= received,
                    self.empty_list,
                    "",
                )
                for requested, completed in r.supplements
            )
            if r.fee_vnd > 0:
                paid_at = dt(received or r.submitted_at)
                method = "online" if r.payment_channel in ("national_portal", "local_gateway") else "counter"
                channel = r.payment_channel or "counter"
                payments.append(
                    (next(payment_ids), pk, r.fee_vnd, paid_at, paid_at, r.fee_vnd, method, "paid", channel)
                )
            if r.rating is not None:
                satisfied, comment = r.rating
                ratings.append((next(rating_ids), pk, satisfied, comment, dt(r.returned_at or r.resolved_at)))
            data = json.dumps({"source": self.source, "line": r.line}, ensure_ascii=False)
            events.append(
                (
                    next(event_ids),
                    pk,
                    self.refs.provinces[self.refs.agencies[r.receiving_agency_code]],
                    now,
                    "import",
                    "",
                    r.status.value,
                    f"{self.source}:{r.line}",
                    data,
                )
            )
        self.dossiers.insert(dossiers)
        self.documents.insert(documents)
        self.supplements.insert(supplements)
        self.payments.insert(payments)
        self.ratings.insert(ratings)
        self.events.insert(events)

    def advance_serials(self) -> None:
        """Codes allocated later must never collide with imported ones."""
        serials.advance(self.serials)
