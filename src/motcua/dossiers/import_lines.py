"""One line of a historical-dossier file (contract §6), read and checked. Plain Python, no Django
import, so it is fast and testable like a library: types, enums, lengths, the dossier code, the order
of the timestamps and whether the status agrees with them, personal IDs and tax codes. The importer
(``importer``) resolves references and writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from motcua.accounts import identity
from motcua.dossiers.codes import CODE
from motcua.dossiers.workflow import CLOSED, FINISHED, Status

CHANNELS = frozenset({"online", "counter", "post"})
APPLICANT_KINDS = frozenset({"individual", "organization"})
OUTCOMES = frozenset({"approved", "rejected"})
PAYMENT_CHANNELS = frozenset({"national_portal", "local_gateway", "counter"})
STATUSES = frozenset(s.value for s in Status)
FLAGS = ("e_result", "vneid_verified", "population_data_used", "synced_to_national_portal")
# The longest value each string may have; the importer takes them from the models' fields.
Limits = Mapping[str, int]
LIMIT_KEYS = (
    "code",
    "procedure_code",
    "agency_code",
    "full_name",
    "id_number",
    "phone",
    "email",
    "address",
    "document_code",
    "document_name",
    "comment",
)
MIN_YEAR, MAX_YEAR = 1990, 2100


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

    __slots__ = ("errors", "limits", "now", "tz")

    def __init__(self, tz: tzinfo, now: datetime, limits: Limits) -> None:
        self.errors: list[str] = []
        self.tz, self.now, self.limits = tz, now, limits

    def fail(self, name: str, message: str) -> None:
        self.errors.append(f"{name}: {message}")

    def string(
        self, obj: Mapping[str, Any], key: str, limit: str, *, prefix: str = "", required: bool = True
    ) -> str | None:
        """``limit`` names the longest value allowed, among ``Limits``."""
        longest = self.limits[limit]
        value = obj.get(key)
        if type(value) is str and 0 < len(value) <= longest and "\x00" not in value:
            return value  # the usual case, first
        name = prefix + key
        if value is None or value == "":
            if required:
                self.fail(name, "required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be a string, not {type(value).__name__}")
            return None
        if len(value) > longest:
            self.fail(name, f"longer than {longest} characters ({len(value)})")
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
    match = CODE.match(code)
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
    name = c.string(raw, "full_name", "full_name", prefix="applicant.")
    id_number = c.string(raw, "id_number", "id_number", prefix="applicant.")
    if id_number is not None and kind in APPLICANT_KINDS:
        try:
            identity.check_applicant(str(kind), id_number, today=c.now.date())
        except identity.InvalidIdentifier as exc:
            c.fail("applicant.id_number", str(exc))
    phone = c.string(raw, "phone", "phone", prefix="applicant.", required=False)
    email = c.string(raw, "email", "email", prefix="applicant.", required=False)
    address = c.string(raw, "address", "address", prefix="applicant.", required=False)
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
        code = c.string(item, "code", "document_code", prefix=f"{name}.")
        doc_name = c.string(item, "name", "document_name", prefix=f"{name}.", required=False)
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


def check_line(raw: bytes, line: int, *, tz: tzinfo, now: datetime, limits: Limits) -> Record:
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

    c = _Checker(tz, now, limits)
    receiving = c.string(obj, "receiving_agency_code", "agency_code")
    resolving = c.string(obj, "resolving_agency_code", "agency_code")
    procedure = c.string(obj, "procedure_code", "procedure_code")
    code = c.string(obj, "code", "code", required=False)
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
            comment = c.string(rating_raw, "comment", "comment", prefix="rating.", required=False)
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
