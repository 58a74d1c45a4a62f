"""Properties of the deadline walk, checked on random instants of 2025–2027 (with Tết and swaps)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.calendar.tests.law import TZ, vn_calendar
from motcua.calendar.workcal import UNITS, WorkingCalendar

CAL = vn_calendar()

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(  # noqa: DTZ001
    lambda t: t.replace(tzinfo=TZ)
)
minute_instants = instants.map(lambda t: t.replace(second=0, microsecond=0))
units = st.sampled_from(UNITS)
values = st.integers(min_value=1, max_value=60)


def inside_working_hours(cal: WorkingCalendar, t: datetime) -> bool:
    """start < t ≤ end of some period, on a working day: where a forward walk may end."""
    local = t.astimezone(TZ)
    return cal.is_working_day(local.date()) and any(start < local.time() <= end for start, end in cal.periods)


def minute_by_minute(cal: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    """The slow, obviously right walk the fast one must agree with."""
    t = start.astimezone(TZ)
    while minutes:
        spans = [
            (t.replace(hour=s.hour, minute=s.minute), t.replace(hour=e.hour, minute=e.minute))
            for s, e in cal.periods
        ]
        if cal.is_working_day(t.date()) and any(s <= t and t + timedelta(minutes=1) <= e for s, e in spans):
            minutes -= 1
        t += timedelta(minutes=1)
    return t


@settings(deadline=None)  # the first use of a year loads it from the holidays package
@given(instants, instants, units, values)
def test_a_later_start_never_gives_an_earlier_due(a: datetime, b: datetime, unit: str, value: int) -> None:
    a, b = min(a, b), max(a, b)
    assert CAL.due(a, value, unit).due <= CAL.due(b, value, unit).due


@settings(deadline=None)
@given(instants, units, values)
def test_due_is_inside_working_hours(start: datetime, unit: str, value: int) -> None:
    counting, due = CAL.due(start, value, unit)
    assert start <= counting < due
    assert inside_working_hours(CAL, due)
    assert due.tzinfo is TZ
    if unit == "days":
        assert due.time() == CAL.periods[-1][1]


office_hours = st.builds(
    lambda day, minutes: datetime.combine(day, time(8), tzinfo=TZ) + timedelta(minutes=minutes),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)).filter(CAL.is_working_day),
    st.integers(min_value=0, max_value=7 * 60),
)


@settings(deadline=None)
@given(office_hours, values, values)
def test_n_then_m_working_days_is_n_plus_m(start: datetime, n: int, m: int) -> None:
    first = CAL.due(start, n, "working_days").due
    assume(CAL.counting_from(first) == first)
    assert CAL.due(first, m, "working_days").due == CAL.due(start, n + m, "working_days").due


@settings(deadline=None)
@given(instants, st.integers(min_value=-100_000, max_value=100_000))
def test_between_undoes_add(start: datetime, minutes: int) -> None:
    t = CAL.next_working_instant(start)
    assert CAL.working_minutes_between(t, CAL.add_working_minutes(t, minutes)) == minutes


@settings(deadline=None)
@given(instants, instants)
def test_between_is_additive_and_antisymmetric(a: datetime, b: datetime) -> None:
    middle = a + (b - a) / 3
    whole = CAL.working_time_between(a, b)
    assert whole == CAL.working_time_between(a, middle) + CAL.working_time_between(middle, b)
    assert CAL.working_time_between(b, a) == -whole


@settings(deadline=None)
@given(instants, instants, values)
def test_pausing_and_resuming_at_once_changes_nothing(
    received: datetime, paused: datetime, value: int
) -> None:
    due = CAL.due(received, value, "working_days").due
    paused = CAL.next_working_instant(paused)
    resumed = CAL.resume(CAL.working_minutes_between(paused, due), paused)
    if paused <= due:
        assert resumed == due
    else:  # overdue: the same working moment, possibly written as 08:00 instead of 17:00 the day before
        assert CAL.working_time_between(due, resumed) == timedelta() and due <= resumed


@settings(deadline=None, max_examples=60)
@given(minute_instants, st.integers(min_value=1, max_value=3_000))
def test_the_fast_walk_agrees_with_the_minute_by_minute_walk(start: datetime, minutes: int) -> None:
    assert CAL.add_working_minutes(start, minutes) == minute_by_minute(CAL, start, minutes)
