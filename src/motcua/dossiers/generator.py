"""Synthetic dossier history for demos and benchmarks (``motcua generate-dossiers``).

Dossiers are made for the procedures and agencies already in the database, in the proportions a
province reports (channels by online level, 3–8 % late, 5–15 % supplemented, most digitised, most
fees paid online, a few per cent dissatisfied), deterministically for a seed. Receiving and
resolving agencies are chosen as the intake service would choose them, deadlines come from the
working-day calendar, and codes continue the per-agency daily serials (``DailySerial``).

Rows go in by bulk: COPY on PostgreSQL, executemany on SQLite. Each dossier gets the event log and
the process control sheet (form 06) rows the services would have written for its path, without an
actor (no officer did it); the dossiers are marked ``imported`` like any other historical dossier.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.calendar.workcal import WorkingCalendar
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.dossiers.models import (
    ControlSheetEntry,
    DailySerial,
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.services import centre_for, resolving_agency_for
from motcua.dossiers.workflow import Action, Status, step_timeliness

Progress = Callable[[int, int], None]

BATCH = 20_000

_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
_MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
_GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
]
_EDE = ["H'Hen Niê", "Y Blir Êban", "H'Mai Ênuôl", "Y Sơn Byă", "H'Lan Mlô", "Y Thuận Knul"]
_ORGS = ["Công ty TNHH Cà phê Ban Mê", "Hợp tác xã Nông nghiệp Ea Kao", "Công ty CP Xây dựng Đắk Lắk"]
_PROVINCES = ["066", "066", "066", "066", "038", "040", "001", "079"]  # mostly Đắk Lắk-born


@dataclass(frozen=True)
class Report:
    dossiers: int
    documents: int
    ratings: int
    seconds: float


@dataclass
class _Procedure:
    version_id: int
    procedure_id: int
    name: str
    value: int
    unit: str
    online_level: str
    fee: int
    result_doc: bool
    kinds: list[str]
    documents: list[tuple[str, str, bool]]
    routes: list[tuple[int, int, str, str]]  # (receiving, resolving, receiving code, resolving name)
    weight: float


class _Due:
    """calendar.due() for starts on working days, cached by time of day: for working days and
    working hours the answer, counted in working days from the start, is the same on every
    working day (all have the same periods), so each distinct start time is walked once."""

    def __init__(self, cal: WorkingCalendar, workdays: Sequence[date], tz: ZoneInfo) -> None:
        self.cal, self.workdays, self.tz = cal, workdays, tz
        self.index = {d: i for i, d in enumerate(workdays)}
        self.cache: dict[tuple[int, int, str], tuple[int, timedelta]] = {}
        self.clock = _Clock(cal, workdays, tz)

    def due(self, day_index: int, offset: timedelta, value: int, unit: str) -> datetime:
        start_day = self.workdays[day_index]
        start = datetime.combine(start_day, time(0), tzinfo=self.tz) + offset
        if unit == "days":
            return self.cal.due(start, value, unit).due
        key = (int(offset.total_seconds()), value, unit)
        hit = self.cache.get(key)
        if hit is None:
            local = self.cal.due(start, value, unit).due.astimezone(self.tz)
            hit = (
                self.index[local.date()] - day_index,
                timedelta(hours=local.hour, minutes=local.minute, seconds=local.second),
            )
            self.cache[key] = hit
        k, due_offset = hit
        if day_index + k >= len(self.workdays):
            return self.cal.due(start, value, unit).due
        return datetime.combine(self.workdays[day_index + k], time(0), tzinfo=self.tz) + due_offset


class _Clock:
    """Working-time arithmetic for the simulation only (supplement waits, processing time): an
    instant is its working second counted from the first working day of the span. Deadlines the
    law fixes come from the real calendar (``_Due``); this just keeps made-up times in office hours
    cheaply."""

    def __init__(self, cal: WorkingCalendar, workdays: Sequence[date], tz: ZoneInfo) -> None:
        self.tz, self.workdays = tz, workdays
        self.ordinals = [d.toordinal() for d in workdays]
        self.spans = [
            (start.hour * 3600 + start.minute * 60, end.hour * 3600 + end.minute * 60)
            for start, end in cal.periods
        ]
        self.day = sum(e - s for s, e in self.spans)

    def pos(self, t: datetime) -> int:
        local = t.astimezone(self.tz)
        ordinal = local.toordinal()
        i = bisect_left(self.ordinals, ordinal)
        if i < len(self.ordinals) and self.ordinals[i] == ordinal:
            o = local.hour * 3600 + local.minute * 60 + local.second
            return i * self.day + sum(min(max(o, s), e) - s for s, e in self.spans)
        return i * self.day

    def at(self, p: int) -> tuple[int, timedelta]:
        """(working day index, time of day) of working second ``p``; a period's end stays its end."""
        i, r = divmod(p, self.day)
        if r == 0 and i > 0:
            i, r = i - 1, self.day
        for s, e in self.spans:
            if r <= e - s:
                return i, timedelta(seconds=s + r)
            r -= e - s
        raise AssertionError("unreachable")  # pragma: no cover

    def instant(self, p: int) -> datetime:
        i, offset = self.at(p)
        return datetime.combine(self.workdays[i], time(0), tzinfo=self.tz) + offset

    def add_working_time(self, t: datetime, amount: timedelta) -> datetime:
        return self.instant(self.pos(t) + int(amount.total_seconds()))

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        return timedelta(seconds=self.pos(b) - self.pos(a))


def _personal_id(rng: random.Random) -> str:
    born = rng.randint(1950, 2007)
    century = 0 if born < 2000 else 2
    return (
        f"{rng.choice(_PROVINCES)}{century + rng.randint(0, 1)}{born % 100:02d}{rng.randint(0, 999999):06d}"
    )


def _procedures(rng: random.Random) -> list[_Procedure]:
    versions = list(
        ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)
        .select_related("agency", "procedure")
        .prefetch_related("required_documents")
        .order_by("procedure__code")
    )
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("code"))
    centres: dict[int, Agency] = {}

    def centre(agency: Agency) -> Agency:
        if agency.pk not in centres:
            centres[agency.pk] = centre_for(agency)
        return centres[agency.pk]

    out = []
    for v in versions:
        if v.level == "commune" and v.agency.kind == AgencyKind.COMMUNE and communes:
            receivers = [centre(c) for c in communes]
        else:
            receivers = [centre(v.agency)]
        routes = []
        for r in receivers:
            resolving = resolving_agency_for(v, r)
            routes.append((r.pk, resolving.pk, r.code, resolving.name))
        out.append(
            _Procedure(
                version_id=v.pk,
                procedure_id=v.procedure_id,
                name=v.name,
                value=int(v.processing_time_value),
                unit=v.processing_time_unit,
                online_level=v.online_level,
                fee=int(v.fee_vnd),
                result_doc=v.result_is_document,
                kinds=list(v.applicant_types or ["individual"]),
                documents=[(d.code, d.name, d.required) for d in v.required_documents.all()],
                routes=routes,
                weight=rng.lognormvariate(0, 0.8),
            )
        )
    return out


def _workdays(cal: WorkingCalendar, first: date, last: date) -> list[date]:
    days, d = [], first
    while d <= last:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


class _Writer:
    """COPY on PostgreSQL, executemany elsewhere; datetimes adapted for the backend."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def value(self, v: Any) -> Any:
        if not self.pg and isinstance(v, datetime):
            return connection.ops.adapt_datetimefield_value(v)
        return v

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.pg:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    [[self.value(v) for v in row] for row in rows],
                )

    def ids(self, n: int) -> list[int]:
        table = Dossier._meta.db_table
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
                )
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + n))


def _columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column != "id" or model is Dossier]


def generate(
    *,
    count: int,
    year: int,
    seed: int = 1,
    progress: Progress | None = None,
    now: datetime | None = None,
    history: bool = True,
) -> Report:
    """Add ``count`` dossiers received in ``year`` (up to ``now`` for the current year), with their
    event log and control sheet unless ``history`` is False (counts alone, e.g. for benchmarks)."""
    started = timezone.now()
    now = now or started
    tz = ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed)  # noqa: S311 — synthetic data, reproducible by seed
    cal = get_calendar()
    procedures = _procedures(rng)
    if not procedures:
        raise ValueError("no procedures in force: load the catalog first (motcua demo-data)")
    today = now.astimezone(tz).date()
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    if last < first:
        raise ValueError(f"{year} has not begun yet")
    span = _workdays(cal, first, date(year + 1, 12, 31))
    days = [i for i, d in enumerate(span) if d <= last]
    if not days:
        raise ValueError(f"no working day in {year} before {today}")
    weights = list(accumulate(p.weight for p in procedures))
    due = _Due(cal, span, tz)
    writer = _Writer()
    serials: dict[tuple[int, date], int] = defaultdict(int)
    for agency_id, day, last_serial in DailySerial.objects.filter(day__gte=first, day__lte=last).values_list(
        "agency_id", "day", "last"
    ):
        serials[(agency_id, day)] = last_serial
    touched: set[tuple[int, date]] = set()
    models = (Dossier, DossierDocument, Rating, SupplementRequest, Payment, DossierEvent, ControlSheetEntry)
    cols = {m: _columns(m) for m in models}
    made = documents = ratings = 0
    with transaction.atomic():
        while made < count:
            n = min(BATCH, count - made)
            batch = _Batch(writer.ids(n), cols)
            for dossier_id in batch.ids:
                p = rng.choices(procedures, cum_weights=weights)[0]
                log = _History(batch, dossier_id, tz)
                _one(rng, p, dossier_id, days, span, due, tz, now, serials, touched, batch, log)
                if history:
                    log.write()
            for model, rows in batch.rows.items():
                writer.write(model._meta.db_table, cols[model], rows)
            made += n
            documents += len(batch.rows[DossierDocument])
            ratings += len(batch.rows[Rating])
            if progress:
                progress(made, count)
        _save_serials(serials, touched)
    return Report(made, documents, ratings, (timezone.now() - started).total_seconds())


class _Batch:
    def __init__(self, ids: list[int], cols: dict[Any, list[str]]) -> None:
        self.ids = ids
        self.written_at = timezone.now()
        self.cols = cols
        self.rows: dict[Any, list[tuple[Any, ...]]] = {m: [] for m in cols}

    def add(self, model: Any, values: dict[str, Any]) -> None:
        self.rows[model].append(tuple(values[c] for c in self.cols[model]))


def _save_serials(serials: dict[tuple[int, date], int], touched: set[tuple[int, date]]) -> None:
    existing = {
        (a, d): pk
        for pk, a, d in DailySerial.objects.filter(
            day__in={d for _a, d in touched}, agency_id__in={a for a, _d in touched}
        ).values_list("pk", "agency_id", "day")
    }
    new = [
        DailySerial(agency_id=a, day=d, last=serials[(a, d)]) for a, d in touched if (a, d) not in existing
    ]
    DailySerial.objects.bulk_create(new, batch_size=5000)
    again = [k for k in touched if k in existing]
    DailySerial.objects.filter(pk__in=[existing[k] for k in again]).delete()
    DailySerial.objects.bulk_create(
        [DailySerial(agency_id=a, day=d, last=serials[(a, d)]) for a, d in again], batch_size=5000
    )


_CLOSING_NOTES = {Action.WITHDRAW: "Công dân rút hồ sơ", Action.STOP: "Dừng xử lý"}


def _one(
    rng: random.Random,
    p: _Procedure,
    dossier_id: int,
    days: list[int],
    span: list[date],
    due: _Due,
    tz: ZoneInfo,
    now: datetime,
    serials: dict[tuple[int, date], int],
    touched: set[tuple[int, date]],
    batch: _Batch,
    log: _History,
) -> None:
    r = rng.random
    receiving_id, resolving_id, receiving_code, resolving_name = rng.choice(p.routes)
    online_share = {"full": 0.78, "partial": 0.45}.get(p.online_level, 0.0)
    x = r()
    channel = "online" if x < online_share else ("post" if x > 0.97 else "counter")
    kind = (
        "organization"
        if "organization" in p.kinds and (r() < 0.15 or "individual" not in p.kinds)
        else "individual"
    )
    clock = due.clock
    day_index, offset = clock.at(rng.choice(days) * clock.day + rng.randrange(1, clock.day))
    day = span[day_index]
    received_at = datetime.combine(day, time(0), tzinfo=tz) + offset
    if received_at > now and len(days) > 1:  # today, later than now: an earlier working day
        day_index = days[max(0, len(days) - 2 - rng.randint(0, 4))]
        day = span[day_index]
        received_at = datetime.combine(day, time(0), tzinfo=tz) + offset
    submitted_at = (
        received_at - timedelta(minutes=rng.randint(5, 1500)) if channel == "online" else received_at
    )
    d: dict[str, Any] = {
        "id": dossier_id,
        "procedure_id": p.procedure_id,
        "procedure_version_id": p.version_id,
        "receiving_agency_id": receiving_id,
        "resolving_agency_id": resolving_id,
        "current_agency_id": receiving_id,
        "channel": channel,
        "left_status": "",
        "applicant_kind": kind,
        "applicant_name": rng.choice(_ORGS)
        if kind == "organization"
        else (
            rng.choice(_EDE)
            if r() < 0.15
            else f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        ),
        "applicant_id_number": f"{rng.randint(6000000000, 6099999999)}"
        if kind == "organization"
        else _personal_id(rng),
        "applicant_phone": f"09{rng.randint(10000000, 99999999)}",
        "applicant_email": "",
        "applicant_address": "Tỉnh Đắk Lắk",
        "applicant_user_id": None,
        "created_by_id": None,
        "idempotency_key": None,
        "request_digest": "",
        "submitted_at": submitted_at,
        "received_at": None,
        "due_at": None,
        "original_due_at": None,
        "resolved_at": None,
        "returned_at": None,
        "closed_at": None,
        "outcome": None,
        "paused_at": None,
        "remaining_seconds": None,
        "original_remaining_seconds": None,
        "extended_at": None,
        "supplements_after_receipt": 0,
        "result_file_id": None,
        "return_method": "",
        "fee_vnd": 0,
        "payment_channel": None,
        "e_result": False,
        "result_pushed_to_warehouse": False,
        "vneid_verified": channel == "online" and kind == "individual" and r() < 0.85,
        "population_data_used": kind == "individual" and r() < 0.45,
        "synced_to_national_portal": r() < 0.96,
        "imported": True,
        "updated_at": batch.written_at,  # real time: the roll-ups' watermark reads it
        "code": None,
        "current_step_id": None,
    }
    # Documents: every required one, some optional; online ones are files already.
    for code, name, required in p.documents:
        if not required and r() > 0.3:
            continue
        batch.add(
            DossierDocument,
            {
                "dossier_id": dossier_id,
                "code": code,
                "name": name,
                "file_id": None,
                "digitized": channel == "online" or r() < 0.88,
                "reused": r() < 0.3,
                "from_warehouse": r() < 0.22,
                "added_at": submitted_at,
                "supplement_id": None,
            },
        )
    if channel == "online" and r() < 0.015:  # refused at receipt: never received, no code
        d |= {"status": Status.REFUSED, "closed_at": submitted_at + timedelta(hours=rng.randint(1, 20))}
        log.event(submitted_at, "create", Status.SUBMITTED, channel=channel)
        log.event(d["closed_at"], Action.REFUSE, Status.REFUSED, note=_REFUSAL)
        batch.add(Dossier, d)
        return
    serial_key = (receiving_id, day)
    serials[serial_key] += 1
    touched.add(serial_key)
    if received_at > now:  # the year began today: received just now
        received_at = submitted_at = now
        original_due = due.cal.due(now, p.value, p.unit).due
    else:
        original_due = due.due(day_index, offset, p.value, p.unit)
    d |= {
        "received_at": received_at,
        "code": f"{receiving_code}-{day:%y%m%d}-{serials[serial_key]:04d}",
    }
    cal = due.clock
    log.event(submitted_at, "create", Status.SUBMITTED, channel=channel)
    log.event(received_at, Action.RECEIVE, Status.RECEIVED, code=d["code"])
    # The desk hands the dossier to the resolving agency within the hour (form 06, first row).
    forwarded = cal.add_working_time(received_at, timedelta(minutes=rng.randint(10, 50)))
    # Supplements after receipt: the clock pauses, both deadlines move by the working time waited.
    supplements = 0
    y = r()
    if y < 0.012:
        supplements = 2
    elif y < 0.10:
        supplements = 1
    moment = received_at
    waited = timedelta()
    requests = []  # (asked, answered, working time waited before it)
    for _i in range(supplements):
        asked = cal.add_working_time(moment, timedelta(hours=rng.randint(1, 6)))
        answered = asked + timedelta(hours=rng.randint(4, 96))
        requests.append((asked, answered, waited))
        waited += cal.working_time_between(asked, answered)
        moment = answered
    due_at = cal.add_working_time(original_due, waited) if waited else original_due
    # How long it really takes: mostly well before the deadline, some late.
    budget = cal.working_time_between(received_at, due_at)
    z = r()
    late = z < 0.045
    taken = budget + timedelta(hours=rng.randint(1, 40)) if late else budget * (0.25 + 0.75 * r() ** 0.7)
    resolved_at = cal.add_working_time(received_at, taken) if taken > timedelta() else due_at
    last_request = requests[-1][1] if requests else received_at
    if resolved_at <= last_request:
        resolved_at = cal.add_working_time(last_request, timedelta(minutes=30))
    d |= {"due_at": due_at, "original_due_at": due_at, "supplements_after_receipt": supplements}
    w = r()
    ended_early = w < 0.016
    for asked, answered, _before in requests:
        done = answered if answered <= now else None
        batch.add(
            SupplementRequest,
            {
                "dossier_id": dossier_id,
                "requested_at": asked,
                "requested_by_id": None,
                "items": json.dumps([_SUPPLEMENT_ITEM], ensure_ascii=False),
                "reason": _SUPPLEMENT_REASON,
                "after_receipt": True,
                "completed_at": done,
            },
        )
    fee = p.fee if p.fee else 0

    def worked_on_until(end: datetime, completed: datetime | None = None) -> None:
        """The forward and the supplement round trips that happened before ``end``."""
        if forwarded > end:
            return
        log.event(forwarded, Action.FORWARD, Status.PROCESSING, to=resolving_name)
        log.hand_over(receiving_id, resolving_id, resolving_name, forwarded, original_due, completed)
        for asked, answered, _before in requests:
            if asked <= end:
                log.event(asked, Action.REQUEST_SUPPLEMENT, Status.AWAITING_SUPPLEMENT,
                          note=_SUPPLEMENT_REASON, items=[_SUPPLEMENT_ITEM])  # fmt: skip
            if answered <= end:
                log.event(answered, Action.SUPPLEMENT, Status.PROCESSING)

    if ended_early:  # withdrawn or stopped part-way
        closed = min(now, received_at + (resolved_at - received_at) / 2)
        status = Status.WITHDRAWN if w < 0.012 else Status.STOPPED
        d |= {"status": status, "closed_at": closed, "current_agency_id": resolving_id}
        worked_on_until(closed)
        action = Action.WITHDRAW if status == Status.WITHDRAWN else Action.STOP
        log.event(closed, action, status, note=_CLOSING_NOTES[action])
        batch.add(Dossier, d)
        return
    pay_channel = None
    if fee:
        if channel == "online":
            v = r()
            pay_channel = "national_portal" if v < 0.72 else ("local_gateway" if v < 0.9 else "counter")
        else:
            pay_channel = "national_portal" if r() < 0.2 else "counter"
    if resolved_at > now:  # still open
        waiting = [(i, a, before) for i, (a, b, before) in enumerate(requests) if a <= now < b]
        if waiting:
            number, paused, before = waiting[0]
            due_then = cal.add_working_time(original_due, before) if before else original_due
            left = int(cal.working_time_between(paused, due_then).total_seconds())
            d |= {
                "status": Status.AWAITING_SUPPLEMENT,
                "left_status": Status.PROCESSING,
                "paused_at": paused,
                "remaining_seconds": left,
                "original_remaining_seconds": left,
                "due_at": due_then,
                "original_due_at": due_then,
                "supplements_after_receipt": number + 1,
                "current_agency_id": resolving_id,
            }
        else:
            status = Status.RECEIVED if now - received_at < timedelta(hours=2) else Status.PROCESSING
            d |= {
                "status": status,
                "current_agency_id": receiving_id if status == Status.RECEIVED else resolving_id,
            }
            if fee and pay_channel and status == Status.PROCESSING and r() < 0.5:
                d |= {"fee_vnd": fee, "payment_channel": pay_channel}
        if d["status"] != Status.RECEIVED:
            worked_on_until(now)
        batch.add(Dossier, d)
        return
    outcome = "rejected" if r() < 0.03 else "approved"
    e_result = p.result_doc and outcome == "approved" and r() < 0.86
    returned_at = resolved_at + timedelta(hours=rng.randint(1, 72))
    returned = returned_at <= now and r() < 0.995  # a few results are never collected
    d |= {
        "status": Status.RETURNED if returned else Status.RESOLVED,
        "resolved_at": resolved_at,
        "returned_at": returned_at if returned else None,
        "return_method": ("online" if channel == "online" else "counter") if returned else "",
        "outcome": outcome,
        "e_result": e_result or (not p.result_doc and r() < 0.5),
        "result_pushed_to_warehouse": e_result and r() < 0.6,
    }
    back_at_desk = resolving_id != receiving_id
    worked_on_until(resolved_at, resolved_at)  # resolving closes the open step
    log.event(resolved_at, Action.RESOLVE, Status.RESOLVED, outcome=outcome)
    if back_at_desk:
        log.hand_over(resolving_id, receiving_id, _BACK_TO_DESK, resolved_at, due_at,
                      returned_at if returned else None)  # fmt: skip
    if returned:
        log.event(returned_at, Action.RETURN_RESULT, Status.RETURNED, method=d["return_method"])
    if fee:
        d |= {"fee_vnd": fee, "payment_channel": pay_channel}
        # Asked for once the resolving agency has it, paid before the result is issued.
        start = max([forwarded] + [answered for _a, answered, _b in requests])  # no supplement open
        asked = start + (resolved_at - start) * 0.2
        paid = asked + (resolved_at - asked) * (0.05 + 0.5 * r())
        log.event(asked, Action.REQUEST_PAYMENT, Status.AWAITING_PAYMENT, amount_vnd=fee)
        log.event(paid, Action.PAY, Status.PROCESSING, amount_vnd=fee)
        batch.add(
            Payment,
            {
                "dossier_id": dossier_id,
                "amount_vnd": fee,
                "requested_at": asked,
                "requested_by_id": None,
                "paid_at": paid,
                "paid_amount_vnd": fee,
                "method": "counter" if pay_channel == "counter" else "online",
                "reference": f"GD{dossier_id:010d}",
            },
        )
    if r() < 0.38:
        late = resolved_at > due_at or supplements > 1
        satisfied = r() >= (0.25 if late else 0.012)
        batch.add(
            Rating,
            {
                "dossier_id": dossier_id,
                "satisfied": satisfied,
                "comment": "" if satisfied else "Giải quyết chậm, phải đi lại nhiều lần",
                "created_at": min(now, returned_at + timedelta(hours=rng.randint(1, 48))),
            },
        )
    batch.add(Dossier, d)


_REFUSAL = "Hồ sơ không thuộc thẩm quyền tiếp nhận"
_SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ thành phần theo quy định"
_SUPPLEMENT_ITEM = "Bản sao giấy tờ còn thiếu"
_BACK_TO_DESK = "Trả kết quả về Bộ phận một cửa"


class _History:
    """The event log and control-sheet rows of one generated dossier, as the services write them."""

    def __init__(self, batch: _Batch, dossier_id: int, tz: ZoneInfo) -> None:
        self.batch, self.dossier_id, self.tz = batch, dossier_id, tz
        self.events: list[tuple[datetime, int, str, str, str, dict[str, Any]]] = []
        self.sheet: list[dict[str, Any]] = []

    def event(self, at: datetime, action: str, after: str, note: str = "", **data: Any) -> None:
        self.events.append((at, len(self.events), action, after, note, data))

    def write(self) -> None:
        """The events in time order, each starting from the status the one before left."""
        before = ""
        for at, _n, action, after, note, data in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.batch.add(
                DossierEvent,
                {
                    "dossier_id": self.dossier_id,
                    "at": at,
                    "actor_id": None,
                    "action": action,
                    "from_status": before,
                    "to_status": after,
                    "note": note,
                    "data": json.dumps(data, ensure_ascii=False),
                },
            )
            before = after
        for row in self.sheet:
            self.batch.add(ControlSheetEntry, row)

    def hand_over(
        self, source: int, target: int, step: str, at: datetime, due: datetime, completed: datetime | None
    ) -> None:
        result = step_timeliness(completed, due, self.tz).value if completed is not None else ""
        self.sheet.append(
            {
                "dossier_id": self.dossier_id,
                "from_agency_id": source,
                "to_agency_id": target,
                "step": step,
                "handed_over_at": at,
                "handed_over_by_id": None,
                "step_due_at": due,
                "completed_at": completed,
                "result": result,
                "note": "",
            }
        )
