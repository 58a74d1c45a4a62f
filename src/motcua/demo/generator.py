"""Synthetic dossier history for demos and benchmarks (``motcua generate-dossiers``).

Dossiers are made for the procedures and agencies already in the database, in the proportions a
province reports (channels by online level, 3–8 % late, 5–15 % supplemented, most digitised, most
fees paid online, a few per cent dissatisfied), deterministically for a seed. Receiving and
resolving agencies are chosen as the intake service would choose them, deadlines come from the
working-day calendar, officers act in office hours, and codes continue the per-agency daily serials.

Each dossier is a ``_Story``: one named draw per thing that varies, in a fixed order so that a seed
replays. It gets the event log and the process control sheet (form 06) rows the services would have
written for its path, without an actor (no officer did it); the dossiers are marked ``imported``
like any other historical dossier. Rows go in by bulk (``core.bulk``).
"""

from __future__ import annotations

import json
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import accumulate
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.calendar.selectors import get_calendar
from motcua.calendar.workcal import WorkingCalendar
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.selectors import implementing_agencies
from motcua.core.bulk import BulkTable
from motcua.core.text import fold
from motcua.demo.names import FAMILY
from motcua.dossiers import serials
from motcua.dossiers.codes import format_code
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
from motcua.dossiers.services import centre_for
from motcua.dossiers.workflow import Action, Status, step_timeliness

Progress = Callable[[int, int], None]

BATCH = 20_000

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

_REFUSAL = "Hồ sơ không thuộc thẩm quyền tiếp nhận"
_SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ thành phần theo quy định"
_SUPPLEMENT_ITEM = "Bản sao giấy tờ còn thiếu"
_BACK_TO_DESK = "Trả kết quả về Bộ phận một cửa"
_CLOSING_NOTES = {Action.WITHDRAW: "Công dân rút hồ sơ", Action.STOP: "Dừng xử lý"}
_UNHAPPY = "Giải quyết chậm, phải đi lại nhiều lần"


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

    def __init__(self, cal: WorkingCalendar, workdays: Sequence[date], tz: tzinfo) -> None:
        self.cal, self.workdays, self.tz = cal, workdays, tz
        self.index = {d: i for i, d in enumerate(workdays)}
        self.cache: dict[tuple[int, int, str], tuple[int, timedelta]] = {}

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
    """Working-time arithmetic for the simulation only (waits, processing time, hand-overs): an
    instant is its working second counted from the first working day of the span. Deadlines the law
    fixes come from the real calendar (``_Due``); this keeps made-up times in office hours cheaply."""

    def __init__(self, cal: WorkingCalendar, workdays: Sequence[date], tz: tzinfo) -> None:
        self.tz, self.workdays = tz, workdays
        self.ordinals = [d.toordinal() for d in workdays]
        self.spans = [
            (start.hour * 3600 + start.minute * 60, end.hour * 3600 + end.minute * 60)
            for start, end in cal.periods
        ]
        self.day = int(cal.day_length.total_seconds())

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

    def part_way(self, a: datetime, b: datetime, fraction: float) -> datetime:
        """The working instant ``fraction`` of the working time from ``a`` to ``b``: officers act in office hours."""
        start = self.pos(a)
        return self.instant(start + int((self.pos(b) - start) * fraction))


def _procedures(rng: random.Random) -> list[_Procedure]:
    versions = list(
        ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)
        .select_related("agency", "procedure")
        .prefetch_related("required_documents")
        .order_by("procedure__code")
    )
    centres: dict[int, Agency] = {}

    def centre(agency: Agency) -> Agency:
        if agency.pk not in centres:
            centres[agency.pk] = centre_for(agency)
        return centres[agency.pk]

    out = []
    for v in versions:
        # Each agency that settles the procedure, received at the centre that serves it (a
        # commune-level procedure at every commune's centre), as the intake service would route it.
        routes = []
        for resolving in implementing_agencies(v):
            r = centre(resolving)
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


# --- writing ---------------------------------------------------------------------------------------

_MODELS = (Dossier, DossierDocument, Rating, SupplementRequest, Payment, DossierEvent, ControlSheetEntry)


def _columns(model: Any) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


class _Batch:
    """The rows of up to BATCH dossiers, written table by table; the dossiers' ids are taken first so
    that their documents, events and sheet rows can point at them."""

    def __init__(self, tables: dict[Any, BulkTable], dossier_ids: list[int]) -> None:
        self.tables = tables
        self.dossier_ids = dossier_ids
        self.written_at = timezone.now()
        self.cols = {m: _columns(m) for m in tables}
        self.rows: dict[Any, list[tuple[Any, ...]]] = {m: [] for m in tables}

    def add(self, model: Any, values: dict[str, Any]) -> None:
        self.rows[model].append(tuple(BulkTable.value(values[c]) for c in self.cols[model]))

    def write(self) -> None:
        for model, table in self.tables.items():
            rows = self.rows[model]
            ids = self.dossier_ids if model is Dossier else table.next_ids(len(rows))
            table.insert([(pk, *row) for pk, row in zip(ids, rows, strict=True)])


class _History:
    """The event log and control-sheet rows of one generated dossier, as the services write them."""

    def __init__(self, batch: _Batch, dossier_id: int, tz: tzinfo) -> None:
        self.batch, self.dossier_id, self.tz = batch, dossier_id, tz
        self.province = ""  # the dossier's, once its story has drawn its receiving agency
        self.events: list[tuple[datetime, int, str, str, str, dict[str, Any]]] = []
        self.sheet: list[dict[str, Any]] = []

    def event(self, at: datetime, action: str, after: str, note: str = "", **data: Any) -> None:
        self.events.append((at, len(self.events), action, after, note, data))

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

    def write(self) -> None:
        """The events in time order, each starting from the status the one before left."""
        before = ""
        for at, _n, action, after, note, data in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.batch.add(
                DossierEvent,
                {
                    "dossier_id": self.dossier_id,
                    "province": self.province,
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


# --- one dossier -----------------------------------------------------------------------------------


@dataclass
class _Run:
    """What every story of one run shares."""

    rng: random.Random
    tz: tzinfo
    now: datetime
    span: list[date]  # working days from 1 January to the end of next year
    days: list[int]  # indexes into span of the days dossiers may be received on
    due: _Due
    clock: _Clock
    serials: dict[tuple[int, date], int] = field(default_factory=lambda: defaultdict(int))
    touched: set[tuple[int, date]] = field(default_factory=set)
    provinces: dict[int, str] = field(default_factory=dict)  # agency id → its province


class _Story:
    """One generated dossier. Every ``draw_*`` is one thing that varies; ``tell`` draws them in a fixed
    order and writes what happened."""

    def __init__(self, run: _Run, p: _Procedure, dossier_id: int, batch: _Batch, log: _History) -> None:
        self.run, self.p, self.id, self.batch, self.log = run, p, dossier_id, batch, log
        self.rng = run.rng
        self.clock = run.clock

    # --- the draws, each a proportion a province reports -----------------------------------------

    def draw_route(self) -> tuple[int, int, str, str]:
        return self.rng.choice(self.p.routes)

    def draw_channel(self) -> str:
        online_share = {"full": 0.78, "partial": 0.45}.get(self.p.online_level, 0.0)
        x = self.rng.random()
        return "online" if x < online_share else ("post" if x > 0.97 else "counter")

    def draw_kind(self) -> str:
        kinds = self.p.kinds
        organisation = "organization" in kinds and (self.rng.random() < 0.15 or "individual" not in kinds)
        return "organization" if organisation else "individual"

    def draw_name(self, kind: str) -> str:
        rng = self.rng
        if kind == "organization":
            return rng.choice(_ORGS)
        if rng.random() < 0.15:
            return rng.choice(_EDE)
        return f"{rng.choice(FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"

    def draw_id_number(self, kind: str) -> str:
        rng = self.rng
        if kind == "organization":
            return f"{rng.randint(6000000000, 6099999999)}"
        born = rng.randint(1950, 2007)
        century = 0 if born < 2000 else 2
        return f"{rng.choice(_PROVINCES)}{century + rng.randint(0, 1)}{born % 100:02d}{rng.randint(0, 999999):06d}"

    def draw_received_at(self) -> tuple[int, timedelta, datetime]:
        """A working instant of a past working day (an earlier one if today's would be later than now)."""
        run, clock = self.run, self.clock
        day_index, offset = clock.at(self.rng.choice(run.days) * clock.day + self.rng.randrange(1, clock.day))
        received_at = datetime.combine(run.span[day_index], time(0), tzinfo=run.tz) + offset
        if received_at > run.now and len(run.days) > 1:
            day_index = run.days[max(0, len(run.days) - 2 - self.rng.randint(0, 4))]
            received_at = datetime.combine(run.span[day_index], time(0), tzinfo=run.tz) + offset
        return day_index, offset, received_at

    def draw_supplements(self) -> int:
        y = self.rng.random()
        return 2 if y < 0.012 else (1 if y < 0.10 else 0)

    def draw_working_time(self, budget: timedelta) -> tuple[bool, timedelta]:
        """(late, time taken): mostly well before the deadline, some late."""
        late = self.rng.random() < 0.045
        if late:
            return True, budget + timedelta(hours=self.rng.randint(1, 40))
        return False, budget * (0.25 + 0.75 * self.rng.random() ** 0.7)

    def draw_payment_channel(self, channel: str) -> str | None:
        if not self.p.fee:
            return None
        v = self.rng.random()
        if channel == "online":
            return "national_portal" if v < 0.72 else ("local_gateway" if v < 0.9 else "counter")
        return "national_portal" if v < 0.2 else "counter"

    # --- the story -------------------------------------------------------------------------------------

    def tell(self) -> None:
        rng, run, clock, log, p = self.rng, self.run, self.clock, self.log, self.p
        receiving_id, resolving_id, receiving_code, resolving_name = self.draw_route()
        channel = self.draw_channel()
        kind = self.draw_kind()
        day_index, offset, received_at = self.draw_received_at()
        day = run.span[day_index]
        submitted_at = (
            received_at - timedelta(minutes=rng.randint(5, 1500)) if channel == "online" else received_at
        )
        d = self._dossier(receiving_id, resolving_id, channel, kind, submitted_at)
        log.province = d["province"]
        self._documents(channel, submitted_at)
        log.event(submitted_at, "create", Status.SUBMITTED, channel=channel)
        if channel == "online" and rng.random() < 0.015:  # refused at receipt: never received, no code
            d |= {"status": Status.REFUSED, "closed_at": submitted_at + timedelta(hours=rng.randint(1, 20))}
            log.event(d["closed_at"], Action.REFUSE, Status.REFUSED, note=_REFUSAL)
            self.batch.add(Dossier, d)
            return
        key = (receiving_id, day)
        run.serials[key] += 1
        run.touched.add(key)
        if received_at > run.now:  # the year began today: received just now
            received_at = submitted_at = run.now
            original_due = run.due.cal.due(run.now, p.value, p.unit).due
        else:
            original_due = run.due.due(day_index, offset, p.value, p.unit)
        d |= {"received_at": received_at, "code": format_code(receiving_code, day, run.serials[key])}
        log.event(received_at, Action.RECEIVE, Status.RECEIVED, code=d["code"])
        # The desk hands the dossier to the resolving agency within the hour (form 06, first row).
        forwarded = clock.add_working_time(received_at, timedelta(minutes=rng.randint(10, 50)))
        # Supplements after receipt: the clock pauses, both deadlines move by the working time waited.
        requests: list[tuple[datetime, datetime, timedelta]] = []  # (asked, answered, waited before)
        moment, waited = received_at, timedelta()
        supplements = self.draw_supplements()
        for _i in range(supplements):
            asked = clock.add_working_time(moment, timedelta(hours=rng.randint(1, 6)))
            answered = asked + timedelta(hours=rng.randint(4, 96))  # the applicant answers when they can
            requests.append((asked, answered, waited))
            waited += clock.working_time_between(asked, answered)
            moment = answered
        due_at = clock.add_working_time(original_due, waited) if waited else original_due
        _late, taken = self.draw_working_time(clock.working_time_between(received_at, due_at))
        resolved_at = clock.add_working_time(received_at, taken) if taken > timedelta() else due_at
        last_request = requests[-1][1] if requests else received_at
        if resolved_at <= last_request:
            resolved_at = clock.add_working_time(last_request, timedelta(minutes=30))
        d |= {"due_at": due_at, "original_due_at": due_at}

        def asked_until(end: datetime) -> None:
            """The supplement requests made before ``end``: their rows, and how many there were."""
            made = [(asked, answered) for asked, answered, _before in requests if asked <= end]
            d["supplements_after_receipt"] = len(made)
            for asked, answered in made:
                self.batch.add(
                    SupplementRequest,
                    {
                        "dossier_id": self.id,
                        "requested_at": asked,
                        "requested_by_id": None,
                        "items": json.dumps([_SUPPLEMENT_ITEM], ensure_ascii=False),
                        "reason": _SUPPLEMENT_REASON,
                        "after_receipt": True,
                        "completed_at": answered if answered <= min(end, run.now) else None,
                    },
                )

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

        w = rng.random()
        if w < 0.016:  # withdrawn or stopped part-way
            closed = min(run.now, clock.part_way(received_at, resolved_at, 0.5))
            status = Status.WITHDRAWN if w < 0.012 else Status.STOPPED
            d |= {"status": status, "closed_at": closed, "current_agency_id": resolving_id}
            asked_until(closed)
            worked_on_until(closed)
            action = Action.WITHDRAW if status == Status.WITHDRAWN else Action.STOP
            log.event(closed, action, status, note=_CLOSING_NOTES[action])
            self.batch.add(Dossier, d)
            return
        pay_channel = self.draw_payment_channel(channel)
        if resolved_at > run.now:
            asked_until(run.now)
            self._still_open(d, requests, original_due, received_at, resolving_id, receiving_id, pay_channel)
            if d["status"] != Status.RECEIVED:
                worked_on_until(run.now)
            self.batch.add(Dossier, d)
            return
        asked_until(resolved_at)
        self._finished(d, channel, resolved_at, due_at, receiving_id, resolving_id)
        returned_at = d["returned_at"]
        worked_on_until(resolved_at, resolved_at)  # resolving closes the open step
        log.event(resolved_at, Action.RESOLVE, Status.RESOLVED, outcome=d["outcome"])
        if resolving_id != receiving_id:
            log.hand_over(resolving_id, receiving_id, _BACK_TO_DESK, resolved_at, due_at, returned_at)
        if returned_at is not None:
            log.event(returned_at, Action.RETURN_RESULT, Status.RETURNED, method=d["return_method"])
        if p.fee:
            d |= {"fee_vnd": p.fee, "payment_channel": pay_channel}
            self._payment(forwarded, requests, resolved_at, pay_channel)
        if rng.random() < 0.38:
            late = resolved_at > due_at or d["supplements_after_receipt"] > 1
            satisfied = rng.random() >= (0.25 if late else 0.012)
            rated_after = returned_at or resolved_at
            self.batch.add(
                Rating,
                {
                    "dossier_id": self.id,
                    "satisfied": satisfied,
                    "comment": "" if satisfied else _UNHAPPY,
                    "created_at": min(run.now, rated_after + timedelta(hours=rng.randint(1, 48))),
                },
            )
        self.batch.add(Dossier, d)

    # --- the parts of the story ------------------------------------------------------------------------

    def _dossier(
        self, receiving_id: int, resolving_id: int, channel: str, kind: str, submitted_at: datetime
    ) -> dict[str, Any]:
        r = self.rng.random
        name = self.draw_name(kind)
        id_number = self.draw_id_number(kind)
        phone = f"09{self.rng.randint(10000000, 99999999)}"
        return {
            "procedure_id": self.p.procedure_id,
            "procedure_version_id": self.p.version_id,
            "receiving_agency_id": receiving_id,
            "province": self.run.provinces[receiving_id],
            "resolving_agency_id": resolving_id,
            "current_agency_id": receiving_id,
            "channel": channel,
            "status": Status.SUBMITTED,
            "left_status": "",
            "applicant_kind": kind,
            "applicant_name": name,
            "applicant_search": fold(name),
            "applicant_id_number": id_number,
            "applicant_phone": phone,
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
            "updated_at": self.batch.written_at,  # real time: the roll-ups' watermark reads it
            "code": None,
            "current_step_id": None,
        }

    def _documents(self, channel: str, submitted_at: datetime) -> None:
        """Every required document, some optional ones; online ones are files already."""
        r = self.rng.random
        for code, name, required in self.p.documents:
            if not required and r() > 0.3:
                continue
            self.batch.add(
                DossierDocument,
                {
                    "dossier_id": self.id,
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

    def _still_open(
        self,
        d: dict[str, Any],
        requests: list[tuple[datetime, datetime, timedelta]],
        original_due: datetime,
        received_at: datetime,
        resolving_id: int,
        receiving_id: int,
        pay_channel: str | None,
    ) -> None:
        now, clock = self.run.now, self.clock
        waiting = [(i, a, before) for i, (a, b, before) in enumerate(requests) if a <= now < b]
        if waiting:
            number, paused, before = waiting[0]
            due_then = clock.add_working_time(original_due, before) if before else original_due
            left = int(clock.working_time_between(paused, due_then).total_seconds())
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
            return
        status = Status.RECEIVED if now - received_at < timedelta(hours=2) else Status.PROCESSING
        d |= {
            "status": status,
            "current_agency_id": receiving_id if status == Status.RECEIVED else resolving_id,
        }
        if pay_channel and status == Status.PROCESSING and self.rng.random() < 0.5:
            d |= {"fee_vnd": self.p.fee, "payment_channel": pay_channel}

    def _finished(
        self,
        d: dict[str, Any],
        channel: str,
        resolved_at: datetime,
        due_at: datetime,
        receiving_id: int,
        resolving_id: int,
    ) -> None:
        r, p = self.rng.random, self.p
        outcome = "rejected" if r() < 0.03 else "approved"
        e_result = p.result_doc and outcome == "approved" and r() < 0.86
        # The desk hands results over in office hours, within a few working days.
        returned_at = self.clock.add_working_time(
            resolved_at, timedelta(minutes=self.rng.randint(30, 24 * 60))
        )
        returned = returned_at <= self.run.now and r() < 0.995  # a few results are never collected
        d |= {
            "status": Status.RETURNED if returned else Status.RESOLVED,
            "resolved_at": resolved_at,
            "returned_at": returned_at if returned else None,
            "return_method": ("online" if channel == "online" else "counter") if returned else "",
            "outcome": outcome,
            "e_result": e_result or (not p.result_doc and r() < 0.5),
            "result_pushed_to_warehouse": e_result and r() < 0.6,
        }

    def _payment(
        self,
        forwarded: datetime,
        requests: list[tuple[datetime, datetime, timedelta]],
        resolved_at: datetime,
        pay_channel: str | None,
    ) -> None:
        """Asked for once the resolving agency has the dossier, paid before the result is issued."""
        start = max([forwarded] + [answered for _a, answered, _b in requests])  # no supplement open
        asked = self.clock.part_way(start, resolved_at, 0.2)
        paid = asked + (resolved_at - asked) * (0.05 + 0.5 * self.rng.random())  # the applicant pays any time
        self.log.event(asked, Action.REQUEST_PAYMENT, Status.AWAITING_PAYMENT, amount_vnd=self.p.fee)
        self.log.event(paid, Action.PAY, Status.PROCESSING, amount_vnd=self.p.fee)
        self.batch.add(
            Payment,
            {
                "dossier_id": self.id,
                "amount_vnd": self.p.fee,
                "requested_at": asked,
                "requested_by_id": None,
                "paid_at": paid,
                "paid_amount_vnd": self.p.fee,
                "method": "counter" if pay_channel == "counter" else "online",
                "reference": "",
                "items": json.dumps([]),
                "status": "paid",
                "channel": pay_channel or "counter",
                "checkout_at": None,
                "transaction_id": f"GD{self.id:010d}",
            },
        )


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
    tz = timezone.get_default_timezone()
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
    run = _Run(
        rng=rng,
        tz=tz,
        now=now,
        span=span,
        days=days,
        due=_Due(cal, span, tz),
        clock=_Clock(cal, span, tz),
        provinces=dict(Agency.objects.values_list("id", "province")),
    )
    existing = DailySerial.objects.filter(day__gte=first, day__lte=last).values_list(
        "agency_id", "day", "last"
    )
    for agency_id, day, last_serial in existing:
        run.serials[(agency_id, day)] = last_serial
    tables = {m: BulkTable(m, _columns(m), started) for m in _MODELS}
    made = documents = ratings = 0
    with transaction.atomic():
        while made < count:
            n = min(BATCH, count - made)
            batch = _Batch(tables, tables[Dossier].next_ids(n))
            for dossier_id in batch.dossier_ids:
                p = rng.choices(procedures, cum_weights=weights)[0]
                log = _History(batch, dossier_id, tz)
                _Story(run, p, dossier_id, batch, log).tell()
                if history:
                    log.write()
            batch.write()
            made += n
            documents += len(batch.rows[DossierDocument])
            ratings += len(batch.rows[Rating])
            if progress:
                progress(made, count)
        serials.advance({key: run.serials[key] for key in run.touched})
    return Report(made, documents, ratings, (timezone.now() - started).total_seconds())
