"""Import of historical dossiers from JSON Lines (contract §1 and §6).

Two halves:

* **Reading and checking a line** (``check_line``, part 1) is plain Python — it touches neither
  Django nor the database — so it is fast and testable like a library: types, enums, lengths, the
  dossier code, the order of the timestamps and whether the status agrees with them, personal IDs
  and tax codes. (It could move to a module of its own with no Django import at all.)
* **Writing** (``import_dossiers``) resolves procedures, versions and agencies through dictionaries
  loaded once, and writes with ``bulk_create`` in batches inside one transaction.

The file is streamed in one pass, inside one transaction: each batch of valid lines is written as
soon as it is checked. Without ``skip_invalid`` the first invalid line stops the writing, the rest
of the file is still checked (so that every bad line is listed) and the transaction is rolled
back, so a file with one bad line imports nothing. With ``skip_invalid`` the valid lines are
imported and the bad ones listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from motcua.accounts import identity
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import ProcedureVersion, RequiredDocument, VersionStatus
from motcua.dossiers.models import (
    DailySerial,
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.workflow import CLOSED, FINISHED, WAITING, Status

# --- Part 1: one line, plain Python ----------------------------------------------------------------

CODE_RE = re.compile(r"^(?P<unit>.+)-(?P<date>\d{6})-(?P<seq>\d{4,7})$")
CHANNELS = frozenset({"online", "counter", "post"})
APPLICANT_KINDS = frozenset({"individual", "organization"})
OUTCOMES = frozenset({"approved", "rejected"})
PAYMENT_CHANNELS = frozenset({"national_portal", "local_gateway", "counter"})
STATUSES = frozenset(s.value for s in Status)
FLAGS = ("e_result", "vneid_verified", "population_data_used", "synced_to_national_portal")
# The model's max_length for each string (kept in step with dossiers/models.py).
MAX = {
    "code": 60,
    "procedure_code": 40,
    "agency_code": 35,
    "full_name": 200,
    "id_number": 14,
    "phone": 20,
    "email": 254,
    "address": 500,
    "document_code": 40,
    "document_name": 2000,
    "comment": 5000,
}
MIN_YEAR, MAX_YEAR = 1990, 2100
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(slots=True)
class Document:
    code: str
    name: str | None  # None: take it from the procedure version
    digitized: bool
    reused: bool
    from_warehouse: bool


@dataclass(slots=True)
class Record:
    """One valid line, with its times parsed and aware."""

    line: int
    code: str | None
    unit: str | None  # the code's parts, for the daily serial
    day: date | None
    seq: int | None
    procedure_code: str
    receiving_agency_code: str
    resolving_agency_code: str
    channel: str
    status: Status
    applicant_kind: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    outcome: str | None
    supplements: list[tuple[datetime, datetime | None]]
    fee_vnd: int
    payment_channel: str | None
    documents: list[Document]
    e_result: bool
    result_pushed_to_warehouse: bool
    vneid_verified: bool
    population_data_used: bool
    synced_to_national_portal: bool
    rating: tuple[bool, str] | None

    @property
    def pinned_at(self) -> datetime:
        """The instant that picks the procedure version in force."""
        return self.received_at or self.submitted_at

    @property
    def supplements_after_receipt(self) -> int:
        received = self.received_at
        return 0 if received is None else sum(1 for requested, _ in self.supplements if requested >= received)

    @property
    def last_event_at(self) -> datetime:
        """The last instant the line gives: when a closed dossier was closed."""
        times = [self.submitted_at, self.received_at, self.resolved_at, self.returned_at]
        for requested, completed in self.supplements:
            times += [requested, completed]
        return max(t for t in times if t is not None)


class InvalidLine(ValueError):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class _Checker:
    """Collects every reason a line is invalid instead of stopping at the first."""

    __slots__ = ("errors", "now", "tz")

    def __init__(self, tz: tzinfo, now: datetime) -> None:
        self.errors: list[str] = []
        self.tz, self.now = tz, now

    def fail(self, name: str, message: str) -> None:
        self.errors.append(f"{name}: {message}")

    def string(
        self, obj: Mapping[str, Any], key: str, limit: int, *, prefix: str = "", required: bool = True
    ) -> str | None:
        value = obj.get(key)
        if type(value) is str and 0 < len(value) <= limit and "\x00" not in value:
            return value  # the usual case, first
        name = prefix + key
        if value is None or value == "":
            if required:
                self.fail(name, "required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be a string, not {type(value).__name__}")
            return None
        if len(value) > limit:
            self.fail(name, f"longer than {limit} characters ({len(value)})")
            return None
        self.fail(name, "contains a NUL character")
        return None

    def flag(
        self, obj: Mapping[str, Any], key: str, *, prefix: str = "", default: bool | None = None
    ) -> bool:
        value = obj.get(key, default)
        if value is True or value is False:
            return value
        self.fail(prefix + key, "required" if value is None else "must be true or false")
        return False

    def choice(
        self, obj: Mapping[str, Any], key: str, allowed: frozenset[str], *, required: bool = True
    ) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(key, "required")
            return None
        if value not in allowed:
            self.fail(key, f"{value!r} is not one of {', '.join(sorted(allowed))}")
            return None
        return str(value)

    def time(
        self, obj: Mapping[str, Any], key: str, *, name: str = "", required: bool = False, past: bool = True
    ) -> datetime | None:
        name = name or key
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(name, "required")
            return None
        if not isinstance(value, str) or len(value) < 16 or len(value) > 40:
            self.fail(name, "must be an ISO 8601 date and time, e.g. 2025-03-04T09:30:00+07:00")
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.fail(name, f"{value!r} is not an ISO 8601 date and time")
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            self.fail(name, f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
            return None
        if past and parsed > self.now:
            self.fail(name, "is in the future")
        return parsed

    def before(self, earlier: datetime | None, later: datetime | None, a: str, b: str) -> None:
        if earlier is not None and later is not None and later < earlier:
            self.fail(b, f"is before {a}")


def _parse_code(c: _Checker, code: str | None, receiving: str | None) -> tuple[str, date, int] | None:
    if code is None:
        return None
    match = CODE_RE.match(code)
    if match is None:
        c.fail("code", f"{code!r} is not {{agency code}}-{{YYMMDD}}-{{serial of 4 to 7 digits}}")
        return None
    unit, digits, seq = match.group("unit", "date", "seq")
    if receiving is not None and unit != receiving:
        c.fail("code", f"the agency part {unit!r} is not the receiving agency {receiving!r}")
    try:
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        c.fail("code", f"{digits!r} is not a date YYMMDD")
        return None
    return unit, day, int(seq)


def _check_applicant(c: _Checker, raw: Any) -> tuple[str, str, str, str, str, str]:
    if not isinstance(raw, dict):
        c.fail("applicant", "required, an object" if raw is None else "must be an object")
        return ("", "", "", "", "", "")
    kind = raw.get("kind")
    if kind not in APPLICANT_KINDS:
        c.fail(
            "applicant.kind", "required" if kind is None else f"{kind!r} is not individual or organization"
        )
    name = c.string(raw, "full_name", MAX["full_name"], prefix="applicant.")
    id_number = c.string(raw, "id_number", MAX["id_number"], prefix="applicant.")
    if id_number is not None and kind in APPLICANT_KINDS:
        try:
            if kind == "organization":
                identity.check_tax_code(id_number)
            else:
                identity.check_personal_id(id_number, today=c.now.date())
        except identity.InvalidIdentifier as exc:
            c.fail("applicant.id_number", str(exc))
    phone = c.string(raw, "phone", MAX["phone"], prefix="applicant.", required=False)
    email = c.string(raw, "email", MAX["email"], prefix="applicant.", required=False)
    address = c.string(raw, "address", MAX["address"], prefix="applicant.", required=False)
    return (str(kind), name or "", id_number or "", phone or "", email or "", address or "")


def _check_supplements(c: _Checker, raw: Any) -> list[tuple[datetime, datetime | None]]:
    if not isinstance(raw, list):
        c.fail("supplements", "required, a list" if raw is None else "must be a list")
        return []
    out: list[tuple[datetime, datetime | None]] = []
    for i, item in enumerate(raw):
        name = f"supplements[{i}]"
        if not isinstance(item, dict):
            c.fail(name, "must be an object {requested_at, completed_at}")
            continue
        requested = c.time(item, "requested_at", name=f"{name}.requested_at", required=True)
        completed = c.time(item, "completed_at", name=f"{name}.completed_at")
        c.before(requested, completed, f"{name}.requested_at", f"{name}.completed_at")
        if requested is not None:
            out.append((requested, completed))
    out.sort(key=lambda s: s[0])
    if any(completed is None for _, completed in out[:-1]):
        c.fail("supplements", "only the last supplement request may still be open (completed_at null)")
    return out


def _check_documents(c: _Checker, raw: Any) -> list[Document]:
    if not isinstance(raw, list):
        c.fail("documents", "required, a list" if raw is None else "must be a list")
        return []
    out = []
    for i, item in enumerate(raw):
        name = f"documents[{i}]"
        if not isinstance(item, dict):
            c.fail(name, "must be an object {code, digitized, reused, from_warehouse}")
            continue
        code = c.string(item, "code", MAX["document_code"], prefix=f"{name}.")
        doc_name = c.string(item, "name", MAX["document_name"], prefix=f"{name}.", required=False)
        flags = [c.flag(item, k, prefix=f"{name}.") for k in ("digitized", "reused", "from_warehouse")]
        if code is not None:
            out.append(Document(code, doc_name, *flags))
    return out


def _check_status(c: _Checker, status: Status, r: dict[str, Any]) -> None:
    """The status must agree with the timestamps given (contract §5)."""
    received, resolved, returned = r["received_at"], r["resolved_at"], r["returned_at"]
    if status == Status.SUBMITTED and received is not None:
        c.fail("received_at", "a submitted dossier has not been received yet")
    needs_receipt = status in FINISHED or status in (
        Status.RECEIVED,
        Status.PROCESSING,
        Status.AWAITING_PAYMENT,
    )
    if needs_receipt and received is None:
        c.fail("received_at", f"required for a {status} dossier")
    if status in FINISHED:
        if resolved is None:
            c.fail("resolved_at", f"required for a {status} dossier")
        if r["outcome"] is None:
            c.fail("outcome", f"required for a {status} dossier (approved or rejected)")
    else:
        if resolved is not None:
            c.fail("resolved_at", f"a {status} dossier has no result yet")
        if r["outcome"] is not None:
            c.fail("outcome", f"a {status} dossier has no outcome yet")
        if r["rating"] is not None:
            c.fail("rating", f"a {status} dossier cannot be rated before its result")
    if status == Status.RETURNED and returned is None:
        c.fail("returned_at", "required for a returned dossier")
    if status != Status.RETURNED and returned is not None:
        c.fail("returned_at", f"a {status} dossier has not been returned")
    if received is not None:
        if r["code"] is None:
            c.fail("code", "required once the dossier is received")
        if r["due_at"] is None:
            c.fail("due_at", "required once the dossier is received")
    else:
        if status == Status.SUBMITTED and r["code"] is not None:
            c.fail("code", "a dossier gets its code when it is received")
        for key in ("due_at", "original_due_at"):
            if r[key] is not None:
                c.fail(key, "a dossier not received has no due date")
    supplements = r["supplements"]
    is_open = bool(supplements) and supplements[-1][1] is None
    if status == Status.AWAITING_SUPPLEMENT and not is_open:
        c.fail("supplements", "an awaiting_supplement dossier needs an open last request (completed_at null)")
    if is_open and status not in (Status.AWAITING_SUPPLEMENT, *CLOSED):
        c.fail("supplements", f"a {status} dossier cannot have an open supplement request")
    if supplements and resolved is not None and supplements[-1][0] > resolved:
        c.fail("supplements", "a supplement was requested after the result")


def check_line(raw: bytes, line: int, *, tz: tzinfo = VN, now: datetime) -> Record:
    """Parse and check one JSON line; raise InvalidLine with every reason found."""
    if b"\x00" in raw:
        raise InvalidLine(["the line contains a NUL byte"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidLine([f"not UTF-8 (byte {exc.start + 1})"]) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidLine([f"not valid JSON: {exc.msg} (column {exc.colno})"]) from None
    except RecursionError:
        raise InvalidLine(["not valid JSON: nested too deeply"]) from None
    if not isinstance(obj, dict):
        raise InvalidLine(["a line must hold one JSON object"])

    c = _Checker(tz, now)
    receiving = c.string(obj, "receiving_agency_code", MAX["agency_code"])
    resolving = c.string(obj, "resolving_agency_code", MAX["agency_code"])
    procedure = c.string(obj, "procedure_code", MAX["procedure_code"])
    code = c.string(obj, "code", MAX["code"], required=False)
    parts = _parse_code(c, code, receiving)
    channel = c.choice(obj, "channel", CHANNELS)
    status_raw = c.choice(obj, "status", STATUSES)
    applicant = _check_applicant(c, obj.get("applicant"))

    submitted = c.time(obj, "submitted_at", required=True)
    received = c.time(obj, "received_at")
    due = c.time(obj, "due_at", past=False)
    original_due = c.time(obj, "original_due_at", past=False)
    resolved = c.time(obj, "resolved_at")
    returned = c.time(obj, "returned_at")
    c.before(submitted, received, "submitted_at", "received_at")
    c.before(received, resolved, "received_at", "resolved_at")
    c.before(resolved, returned, "resolved_at", "returned_at")
    c.before(received, due, "received_at", "due_at")
    c.before(received, original_due, "received_at", "original_due_at")
    supplements = _check_supplements(c, obj.get("supplements"))
    if supplements:
        c.before(submitted, supplements[0][0], "submitted_at", "supplements[].requested_at")

    outcome = c.choice(obj, "outcome", OUTCOMES, required=False)
    fee = obj.get("fee_vnd")
    if isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee < 2**63:
        c.fail("fee_vnd", "required" if fee is None else "must be a whole number of VND, 0 or more")
        fee = 0
    payment_channel = c.choice(obj, "payment_channel", PAYMENT_CHANNELS, required=False)
    documents = _check_documents(c, obj.get("documents"))
    flags = {key: c.flag(obj, key) for key in FLAGS}
    pushed = c.flag(obj, "result_pushed_to_warehouse", default=False)
    rating_raw = obj.get("rating")
    rating: tuple[bool, str] | None = None
    if rating_raw is not None:
        if not isinstance(rating_raw, dict):
            c.fail("rating", "must be an object {satisfied} or null")
        else:
            satisfied = c.flag(rating_raw, "satisfied", prefix="rating.")
            comment = c.string(rating_raw, "comment", MAX["comment"], prefix="rating.", required=False)
            rating = (satisfied, comment or "")

    if status_raw is not None:
        _check_status(
            c,
            Status(status_raw),
            {
                "code": code,
                "received_at": received,
                "due_at": due,
                "original_due_at": original_due,
                "resolved_at": resolved,
                "returned_at": returned,
                "outcome": outcome,
                "rating": rating_raw,
                "supplements": supplements,
            },
        )
    if c.errors:
        raise InvalidLine(c.errors)
    assert submitted is not None and procedure and receiving and resolving and channel and status_raw  # noqa: S101 — no errors means all were given
    return Record(
        line=line,
        code=code,
        unit=parts[0] if parts else None,
        day=parts[1] if parts else None,
        seq=parts[2] if parts else None,
        procedure_code=procedure,
        receiving_agency_code=receiving,
        resolving_agency_code=resolving,
        channel=channel,
        status=Status(status_raw),
        applicant_kind=applicant[0],
        applicant_name=applicant[1],
        applicant_id_number=applicant[2],
        applicant_phone=applicant[3],
        applicant_email=applicant[4],
        applicant_address=applicant[5],
        submitted_at=submitted,
        received_at=received,
        due_at=due,
        # Without an extension the first appointment is the due date (timeliness needs one).
        original_due_at=original_due if original_due is not None else due,
        resolved_at=resolved,
        returned_at=returned,
        outcome=outcome,
        supplements=supplements,
        fee_vnd=fee,
        payment_channel=payment_channel,
        documents=documents,
        e_result=flags["e_result"],
        result_pushed_to_warehouse=pushed,
        vneid_verified=flags["vneid_verified"],
        population_data_used=flags["population_data_used"],
        synced_to_national_portal=flags["synced_to_national_portal"],
        rating=rating,
    )


def read_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) for every non-blank line, streamed; a UTF-8 BOM on the first is dropped."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            stripped = raw.strip()
            if stripped:
                yield number, stripped


# --- Part 2: the database ------------------------------------------------------------------------------

BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000


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
    tz = ZoneInfo(settings.TIME_ZONE)
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
            record = check_line(raw, number, tz=tz, now=now)
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


class _Table:
    """A raw, fast INSERT of plain tuples: COPY on PostgreSQL, ``executemany`` elsewhere (SQLite).

    The ORM's ``bulk_create`` spends most of an import preparing each value of each model instance
    in Python; here the rows are tuples already in the database's types. Primary keys are taken up
    front (the sequence on PostgreSQL; on SQLite the transaction holds the write lock from BEGIN,
    ``transaction_mode=IMMEDIATE``, so the next ids are ours), so children can point at their
    dossier. Fields the importer does not name get their model default, prepared once.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str], now: datetime) -> None:
        meta = model._meta
        self.table = meta.db_table
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = set(columns) - set(by_attname)
        if unknown:  # pragma: no cover — a model changed under the importer
            raise ValueError(f"{self.table} has no columns {sorted(unknown)}")
        rest = [f for f in meta.concrete_fields if f.attname not in columns and not f.primary_key]
        tail = []
        for f in rest:
            value = (
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            )
            tail.append(f.get_db_prep_save(value, connection))
        self.tail = tuple(tail)
        self.columns: list[str] = [
            "id",
            *(str(by_attname[c].column) for c in columns),
            *(str(f.column) for f in rest),
        ]

    def next_ids(self, count: int) -> list[int]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            table = connection.ops.quote_name(self.table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 — a model's table name
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            seq = cursor.fetchone()
            first = max(top, seq[0] if seq else 0) + 1
            return list(range(first, first + count))

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """``rows`` start with the id, then the columns named, in order."""
        if not rows:
            return
        tail = self.tail
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})",  # noqa: S608 — model names
                    [row + tail for row in rows],
                )


DOSSIER_COLUMNS = (
    "code",
    "procedure_id",
    "procedure_version_id",
    "receiving_agency_id",
    "resolving_agency_id",
    "current_agency_id",
    "channel",
    "status",
    "left_status",
    "applicant_kind",
    "applicant_name",
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
    "reference",
)
RATING_COLUMNS = ("dossier_id", "satisfied", "comment", "created_at")
EVENT_COLUMNS = ("dossier_id", "at", "action", "from_status", "to_status", "note", "data")


class _Writer:
    def __init__(self, refs: _References, source: str) -> None:
        self.refs = refs
        self.source = source
        self.calendar = get_calendar()
        self.now = now = timezone.now()
        self.serials: dict[tuple[int, date], int] = {}  # (agency id, day) → highest serial imported
        self.dossiers = _Table(Dossier, DOSSIER_COLUMNS, now)
        self.documents = _Table(DossierDocument, DOCUMENT_COLUMNS, now)
        self.supplements = _Table(SupplementRequest, SUPPLEMENT_COLUMNS, now)
        self.payments = _Table(Payment, PAYMENT_COLUMNS, now)
        self.ratings = _Table(Rating, RATING_COLUMNS, now)
        self.events = _Table(DossierEvent, EVENT_COLUMNS, now)
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
            resolving,
            current,
            r.channel,
            status.value,
            left,
            r.applicant_kind,
            r.applicant_name,
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
                payments.append((next(payment_ids), pk, r.fee_vnd, paid_at, paid_at, r.fee_vnd, method, ""))
            if r.rating is not None:
                satisfied, comment = r.rating
                ratings.append((next(rating_ids), pk, satisfied, comment, dt(r.returned_at or r.resolved_at)))
            data = json.dumps({"source": self.source, "line": r.line}, ensure_ascii=False)
            events.append(
                (next(event_ids), pk, now, "import", "", r.status.value, f"{self.source}:{r.line}", data)
            )
        self.dossiers.insert(dossiers)
        self.documents.insert(documents)
        self.supplements.insert(supplements)
        self.payments.insert(payments)
        self.ratings.insert(ratings)
        self.events.insert(events)

    def advance_serials(self) -> None:
        """Move each (agency, day) counter up to at least the highest imported serial, so that codes
        allocated later never collide with imported ones; never down. One upsert, atomic against
        receipts happening meanwhile (the rows stay locked until commit)."""
        if not self.serials:
            return
        table = connection.ops.quote_name(DailySerial._meta.db_table)
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        adapt = connection.ops.adapt_datefield_value
        rows = [(agency, adapt(day), last) for (agency, day), last in sorted(self.serials.items())]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "  # noqa: S608 — a model's table
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {greatest}({table}.last, excluded.last)",
                rows,
            )
