"""Working-day arithmetic (contract §4): plain Python, no Django, so the rules can be tested alone.

Every deadline of a dossier goes through here on intake, so the walk never steps minute by
minute: it finishes the current day period by period, then jumps straight to the right working
day with a bisect over a per-year list of working days.

All arithmetic runs on wall-clock time in the calendar's zone ("8 working hours" means 08:00 to
17:00 on the clock, whatever the zone's offset does that day); aware datetimes come back out.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta, tzinfo
from typing import Literal, NamedTuple

Unit = Literal["working_days", "working_hours", "days"]
UNITS: tuple[Unit, ...] = ("working_days", "working_hours", "days")

#: A source of law for one year: (holidays, extra working days), both date → name.
YearLoader = Callable[[int], tuple[Mapping[date, str], Mapping[date, str]]]

_MIDNIGHT = time(0)
_MINUTE = timedelta(minutes=1)


class CalendarError(ValueError):
    """A deadline that cannot be computed: bad value or unit, or a date beyond the calendar."""


class Due(NamedTuple):
    counting_from: datetime
    due: datetime


@dataclass(frozen=True, slots=True)
class _Year:
    """One year, indexed once: working days as sorted ordinals for bisecting."""

    working: list[int]
    holidays: dict[date, str]  # every non-working day the law or an override names (weekends included)
    workdays: dict[date, str]  # every day worked although the weekend or a holiday says otherwise


def _offset(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday–Friday, minus ``holidays``, plus ``workdays`` (swapped weekend days), in ``tz``.

    ``loader`` supplies the law for a year the first time that year is asked for, so a calendar
    covers any year without building them all up front; the explicit mappings win over it.
    """

    periods: tuple[tuple[time, time], ...]
    cutoff: time
    tz: tzinfo
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    loader: YearLoader | None = None
    _spans: tuple[tuple[timedelta, timedelta], ...] = field(init=False, repr=False, compare=False)
    _day_total: timedelta = field(init=False, repr=False, compare=False)
    _cutoff: timedelta = field(init=False, repr=False, compare=False)
    _years: dict[int, _Year] = field(init=False, repr=False, compare=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, repr=False, compare=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        periods = tuple((start, end) for start, end in self.periods)
        if not periods:
            raise CalendarError("at least one working period is needed")
        spans = tuple((_offset(start), _offset(end)) for start, end in periods)
        for (start, end), following in zip(spans, (*spans[1:], None), strict=True):
            if start >= end or (following is not None and following[0] < end):
                raise CalendarError("working periods must be increasing and must not overlap")
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "_spans", spans)
        object.__setattr__(self, "_day_total", sum((end - start for start, end in spans), timedelta()))
        object.__setattr__(self, "_cutoff", _offset(self.cutoff))

    @property
    def day_length(self) -> timedelta:
        """The working time of one full day (8 hours by default): what "N working days" multiplies."""
        return self._day_total

    # --- days ------------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        indexed = self._years.get(year)
        if indexed is None:
            if not MINYEAR < year < MAXYEAR:
                raise CalendarError(f"year {year} is outside the calendar")
            with self._lock:
                indexed = self._years.get(year) or self._index(year)
                self._years[year] = indexed
        return indexed

    def _index(self, year: int) -> _Year:
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        if self.loader is not None:
            law_holidays, law_workdays = self.loader(year)
            holidays.update((d, n) for d, n in law_holidays.items() if d.year == year)
            workdays.update((d, n) for d, n in law_workdays.items() if d.year == year and d not in holidays)
        for d, name in self.holidays.items():
            if d.year == year:
                holidays[d] = name
                workdays.pop(d, None)
        for d, name in self.workdays.items():
            if d.year == year:
                workdays[d] = name
                holidays.pop(d, None)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        working = []
        for ordinal in range(first, last + 1):
            day = date.fromordinal(ordinal)
            if (day.weekday() < 5 and day not in holidays) or day in workdays:
                working.append(ordinal)
        return _Year(working=working, holidays=holidays, workdays=workdays)

    def is_working_day(self, d: date) -> bool:
        year = self._year(d.year)
        if d.weekday() >= 5:
            return d in year.workdays
        return d not in year.holidays

    def days_off(self, year: int) -> dict[date, str]:
        """Weekdays that are not worked, by date: what a calendar page has to show."""
        return {d: n for d, n in sorted(self._year(year).holidays.items()) if d.weekday() < 5}

    def weekend_workdays(self, year: int) -> dict[date, str]:
        """Saturdays and Sundays that are worked (a swap), by date."""
        return {d: n for d, n in sorted(self._year(year).workdays.items()) if d.weekday() >= 5}

    def _working_day_after(self, d: date, n: int = 1) -> date:
        """The n-th working day strictly after ``d`` (n ≥ 1)."""
        ordinal, year = d.toordinal(), d.year
        while True:
            working = self._year(year).working
            i = bisect_right(working, ordinal)
            if i + n <= len(working):
                return date.fromordinal(working[i + n - 1])
            n -= len(working) - i
            year += 1

    def _working_day_before(self, d: date, n: int = 1) -> date:
        """The n-th working day strictly before ``d`` (n ≥ 1)."""
        ordinal, year = d.toordinal(), d.year
        while True:
            working = self._year(year).working
            i = bisect_left(working, ordinal)
            if n <= i:
                return date.fromordinal(working[i - n])
            n -= i
            year -= 1

    def _working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in [first, last]."""
        count = 0
        for year in range(first.year, last.year + 1):
            working = self._year(year).working
            count += bisect_right(working, last.toordinal()) - bisect_left(working, first.toordinal())
        return count

    # --- instants --------------------------------------------------------------------------------

    def _local(self, instant: datetime) -> datetime:
        """Wall-clock time in the calendar's zone, naive; naive input is already that."""
        if instant.tzinfo is None:
            return instant
        return instant.astimezone(self.tz).replace(tzinfo=None)

    def _aware(self, day: date, offset: timedelta) -> datetime:
        return (datetime.combine(day, _MIDNIGHT) + offset).replace(tzinfo=self.tz)

    @staticmethod
    def _split(local: datetime) -> tuple[date, timedelta]:
        return local.date(), _offset(local.time())

    def _first_start(self, day: date) -> datetime:
        return self._aware(day, self._spans[0][0])

    def counting_from(self, start: datetime) -> datetime:
        """When the clock starts for something received at ``start`` (rule 1: the cut-off applies)."""
        day, offset = self._split(self._local(start))
        if offset > self._cutoff:
            return self._first_start(self._working_day_after(day))
        return self.next_working_instant(start)

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` if it is inside a working period, else the start of the next one (no cut-off)."""
        day, offset = self._split(self._local(instant))
        if self.is_working_day(day):
            for span_start, span_end in self._spans:
                if offset < span_start:
                    return self._aware(day, span_start)
                if offset < span_end:
                    return self._aware(day, offset)
        return self._first_start(self._working_day_after(day))

    def is_working_time(self, instant: datetime) -> bool:
        """Inside a working period of a working day, its ends included (a due time of 17:00 is one)."""
        day, offset = self._split(self._local(instant))
        return self.is_working_day(day) and any(start <= offset <= end for start, end in self._spans)

    def nearest_working_time(self, instant: datetime) -> datetime:
        """The working time closest to ``instant``: the end of the period before it or the start of the
        one after it, whichever is nearer (the later one on a tie); ``instant`` itself if it is one."""
        if self.is_working_time(instant):
            return instant
        after = self.next_working_instant(instant)
        day, offset = self._split(self._local(instant))
        ends = [end for _start, end in self._spans if end < offset] if self.is_working_day(day) else []
        before = (
            self._aware(day, ends[-1])
            if ends
            else self._aware(self._working_day_before(day), self._spans[-1][1])
        )
        return before if instant - before < after - instant else after

    def add_working_time(self, instant: datetime, amount: timedelta) -> datetime:
        """Walk ``amount`` of working time from ``instant`` (backwards when negative).

        A walk that ends exactly at the end of a period stops there (17:00, not 08:00 next day).
        """
        day, offset = self._split(self._local(instant))
        if amount > timedelta():
            return self._forward(day, offset, amount)
        if amount < timedelta():
            return self._backward(day, offset, -amount)
        return self._aware(day, offset)

    def _forward(self, day: date, offset: timedelta, remaining: timedelta) -> datetime:
        if self.is_working_day(day):
            for span_start, span_end in self._spans:
                if offset < span_end:
                    begin = max(offset, span_start)
                    if remaining <= span_end - begin:
                        return self._aware(day, begin + remaining)
                    remaining -= span_end - begin
        whole, remaining = divmod(remaining, self._day_total)
        if not remaining:
            whole, remaining = whole - 1, self._day_total
        day = self._working_day_after(day, whole + 1)
        for span_start, span_end in self._spans:
            if remaining <= span_end - span_start:
                return self._aware(day, span_start + remaining)
            remaining -= span_end - span_start
        raise AssertionError("unreachable: the remainder fits in one day")  # pragma: no cover

    def _backward(self, day: date, offset: timedelta, remaining: timedelta) -> datetime:
        """Mirror of ``_forward`` that never stops on a period's start: 08:00 is written as the
        previous working day's 17:00, so every result of a walk lies in (start, end] of a period."""
        if self.is_working_day(day):
            for span_start, span_end in reversed(self._spans):
                if offset > span_start:
                    end = min(offset, span_end)
                    if remaining < end - span_start:
                        return self._aware(day, end - remaining)
                    remaining -= end - span_start
        whole, remaining = divmod(remaining, self._day_total)
        day = self._working_day_before(day, whole + 1)
        for span_start, span_end in reversed(self._spans):
            if remaining < span_end - span_start:
                return self._aware(day, span_end - remaining)
            remaining -= span_end - span_start
        raise AssertionError("unreachable: the remainder fits in one day")  # pragma: no cover

    def _worked_before(self, offset: timedelta) -> timedelta:
        """Working time on a working day from midnight up to ``offset``."""
        return sum(
            (min(max(offset, start), end) - start for start, end in self._spans),
            timedelta(),
        )

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b``; negative when ``b`` is earlier (an overdue pause)."""
        la, lb = self._local(a), self._local(b)
        if lb < la:
            return -self.working_time_between(b, a)
        (day_a, off_a), (day_b, off_b) = self._split(la), self._split(lb)
        if day_a == day_b:
            if not self.is_working_day(day_a):
                return timedelta()
            return self._worked_before(off_b) - self._worked_before(off_a)
        total = timedelta()
        if self.is_working_day(day_a):
            total += self._day_total - self._worked_before(off_a)
        if self.is_working_day(day_b):
            total += self._worked_before(off_b)
        inner_first, inner_last = day_a + timedelta(days=1), day_b - timedelta(days=1)
        if inner_first <= inner_last:
            total += self._day_total * self._working_days_between(inner_first, inner_last)
        return total

    # --- the public vocabulary of the dossier code -----------------------------------------------

    def add_working_minutes(self, instant: datetime, minutes: float) -> datetime:
        return self.add_working_time(instant, minutes * _MINUTE)

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes from ``a`` to ``b``: what is left of the clock when a dossier pauses."""
        return self.working_time_between(a, b) / _MINUTE

    def resume(self, remaining: timedelta | float, answered_at: datetime) -> datetime:
        """The new due time when the applicant answers: no cut-off rule on a restart (§4).

        ``remaining`` is a timedelta or a number of working minutes, as taken at the pause.
        """
        amount = remaining if isinstance(remaining, timedelta) else remaining * _MINUTE
        return self.add_working_time(self.next_working_instant(answered_at), amount)

    def due(self, start: datetime, value: float, unit: str) -> Due:
        """(counting_from, due) for a processing time of ``value`` ``unit`` received at ``start``."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise CalendarError("the processing time must be a positive number")
        if unit not in UNITS:
            raise CalendarError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
        counting = self.counting_from(start)
        if unit == "working_days":
            return Due(counting, self.add_working_time(counting, self._day_total * value))
        if unit == "working_hours":
            return Due(counting, self.add_working_time(counting, timedelta(hours=value)))
        if value != int(value):
            raise CalendarError("a number of calendar days must be whole")
        try:
            day = self._local(counting).date() + timedelta(days=int(value))
        except OverflowError as exc:
            raise CalendarError("the due date is beyond the calendar") from exc
        if not self.is_working_day(day):
            day = self._working_day_after(day)
        return Due(counting, self._aware(day, self._spans[-1][1]))
