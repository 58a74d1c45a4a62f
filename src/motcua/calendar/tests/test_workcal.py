"""Worked examples of the deadline rules (contract §4), to the minute, on the 2026 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from motcua.calendar.tests.law import TZ, vn_calendar
from motcua.calendar.workcal import CalendarError, WorkingCalendar

CAL = vn_calendar()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def due(start: datetime, value: int, unit: str = "working_days") -> tuple[datetime, datetime]:
    return tuple(CAL.due(start, value, unit))  # type: ignore[return-value]


class TestWorkingDays:
    def test_tet_2026_weekdays_are_off(self) -> None:
        assert [CAL.is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
            True,  # Fri 13
            False,  # Sat 14
            False,  # Sun 15
            *[False] * 5,  # Mon 16 – Fri 20: Tết
            False,  # Sat 21
            False,  # Sun 22
            True,  # Mon 23
        ]

    def test_swapped_saturday(self) -> None:
        assert CAL.is_working_day(date(2026, 8, 22))  # Saturday, worked
        assert not CAL.is_working_day(date(2026, 8, 31))  # Monday, off in exchange
        assert not CAL.is_working_day(date(2026, 8, 29))  # an ordinary Saturday

    def test_culture_day_and_compensatory_monday(self) -> None:
        assert not CAL.is_working_day(date(2026, 11, 24))
        assert not CAL.is_working_day(date(2026, 4, 27))  # for Hùng Kings' Day on Sunday 26/04

    def test_listings_keep_weekdays_off_and_weekends_worked(self) -> None:
        off = CAL.days_off(2026)
        assert date(2026, 4, 27) in off and date(2026, 4, 26) not in off
        assert list(off) == sorted(off)
        assert list(CAL.weekend_workdays(2026)) == [date(2026, 8, 22)]

    def test_explicit_mappings_win_over_the_law(self) -> None:
        cal = vn_calendar(holidays={date(2026, 3, 10): "Local"}, workdays={date(2026, 11, 24): "Worked"})
        assert not cal.is_working_day(date(2026, 3, 10))
        assert cal.is_working_day(date(2026, 11, 24))
        assert date(2026, 11, 24) not in cal.days_off(2026)

    def test_without_loader_only_weekends_rest(self) -> None:
        cal = WorkingCalendar(periods=((time(8), time(17)),), cutoff=time(15), tz=TZ)
        assert cal.is_working_day(date(2026, 2, 17))
        assert not cal.is_working_day(date(2026, 2, 14))


class TestCountingFrom:
    @pytest.mark.parametrize(
        ("start", "expected"),
        [
            (at(2026, 3, 10, 7, 30), at(2026, 3, 10, 8)),  # before the first period
            (at(2026, 3, 10, 8), at(2026, 3, 10, 8)),
            (at(2026, 3, 10, 9, 17), at(2026, 3, 10, 9, 17)),
            (at(2026, 3, 10, 12), at(2026, 3, 10, 13)),  # the lunch break starts at 12:00
            (at(2026, 3, 10, 12, 30), at(2026, 3, 10, 13)),
            (at(2026, 3, 10, 15), at(2026, 3, 10, 15)),  # exactly the cut-off still counts
            (at(2026, 3, 10, 15, 1), at(2026, 3, 11, 8)),
            (at(2026, 3, 10, 18), at(2026, 3, 11, 8)),
            (at(2026, 3, 14, 10), at(2026, 3, 16, 8)),  # Saturday
            (at(2026, 2, 13, 16), at(2026, 2, 23, 8)),  # Friday after the cut-off, before Tết
            (at(2026, 8, 21, 16), at(2026, 8, 22, 8)),  # the next working day is a Saturday
            (at(2026, 12, 31, 16), at(2027, 1, 4, 8)),  # 1/1/2027 (Friday) is a holiday
        ],
    )
    def test_rule_1(self, start: datetime, expected: datetime) -> None:
        assert CAL.counting_from(start) == expected

    def test_seconds_after_the_cut_off_are_after_it(self) -> None:
        assert CAL.counting_from(at(2026, 3, 10, 15) + timedelta(seconds=1)) == at(2026, 3, 11, 8)

    def test_other_offsets_and_naive_input(self) -> None:
        assert CAL.counting_from(datetime(2026, 3, 10, 3, 0, tzinfo=UTC)) == at(2026, 3, 10, 10)
        assert CAL.counting_from(datetime(2026, 3, 10, 10, 0)) == at(2026, 3, 10, 10)  # noqa: DTZ001
        result = CAL.counting_from(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
        assert result.tzinfo is TZ and result == at(2026, 3, 11, 8)  # 17:00 local: after hours


class TestDue:
    def test_three_working_days_across_tet(self) -> None:
        assert due(at(2026, 2, 13, 10), 3) == (at(2026, 2, 13, 10), at(2026, 2, 25, 10))

    def test_cut_off_15_00_against_15_01(self) -> None:
        assert due(at(2026, 3, 12, 15), 1) == (at(2026, 3, 12, 15), at(2026, 3, 13, 15))
        assert due(at(2026, 3, 12, 15, 1), 1) == (at(2026, 3, 13, 8), at(2026, 3, 13, 17))

    def test_a_walk_ending_at_a_period_end_stays_there(self) -> None:
        assert due(at(2026, 3, 9, 8), 1)[1] == at(2026, 3, 9, 17)
        assert due(at(2026, 3, 9, 8), 4, "working_hours")[1] == at(2026, 3, 9, 12)
        assert due(at(2026, 3, 9, 8), 5, "working_days")[1] == at(2026, 3, 13, 17)

    def test_lunch_break(self) -> None:
        assert due(at(2026, 3, 10, 12, 30), 4, "working_hours") == (at(2026, 3, 10, 13), at(2026, 3, 10, 17))
        assert due(at(2026, 3, 10, 11), 2, "working_hours")[1] == at(2026, 3, 10, 14)

    def test_working_hours_overnight(self) -> None:
        assert due(at(2026, 3, 10, 14, 45), 3, "working_hours")[1] == at(2026, 3, 11, 8, 45)

    def test_swapped_saturday_and_national_day(self) -> None:
        assert due(at(2026, 8, 21, 16), 1) == (at(2026, 8, 22, 8), at(2026, 8, 22, 17))
        # Fri 28/08 10:00: 6 h on Friday; Mon 31/08, Tue 1/9, Wed 2/9 off; 2 h on Thursday.
        assert due(at(2026, 8, 28, 10), 1)[1] == at(2026, 9, 3, 10)

    def test_year_end(self) -> None:
        assert due(at(2026, 12, 31, 10), 1)[1] == at(2027, 1, 4, 10)
        assert due(at(2026, 12, 31, 14), 2, "working_hours")[1] == at(2026, 12, 31, 16)
        assert due(at(2026, 12, 30, 9), 20)[1] == at(2027, 1, 28, 9)

    def test_long_deadlines_jump_whole_days(self) -> None:
        counting, end = CAL.due(at(2026, 1, 5, 8), 240, "working_days")
        assert CAL.working_time_between(counting, end) == timedelta(hours=8 * 240)
        assert end.hour == 17 and CAL.is_working_day(end.date())

    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            (at(2026, 3, 10, 10), 1, at(2026, 3, 11, 17)),
            (at(2026, 3, 9, 10), 5, at(2026, 3, 16, 17)),  # Saturday 14/03 → Monday
            (at(2026, 4, 20, 9), 7, at(2026, 4, 28, 17)),  # Monday 27/04 is off (Hùng Kings)
            (at(2026, 2, 13, 16), 1, at(2026, 2, 24, 17)),  # counts from Monday 23/02
            (at(2026, 8, 15, 10), 5, at(2026, 8, 22, 17)),  # lands on the worked Saturday
            (at(2026, 2, 6, 9), 10, at(2026, 2, 23, 17)),  # lands in Tết
        ],
    )
    def test_calendar_days(self, start: datetime, days: int, expected: datetime) -> None:
        assert due(start, days, "days")[1] == expected

    def test_results_are_aware_in_the_calendar_zone(self) -> None:
        counting, end = CAL.due(datetime(2026, 2, 13, 3, tzinfo=UTC), 3, "working_days")
        assert (counting.tzinfo, end.tzinfo) == (TZ, TZ)
        assert end.isoformat() == "2026-02-25T10:00:00+07:00"

    @pytest.mark.parametrize(
        ("value", "unit"),
        [
            (0, "working_days"),
            (-1, "working_days"),
            (3, "weeks"),
            (True, "days"),
            (1.5, "days"),
            ("3", "days"),
        ],
    )
    def test_rejects_bad_values_and_units(self, value: object, unit: str) -> None:
        with pytest.raises(CalendarError):
            CAL.due(at(2026, 3, 10, 9), value, unit)  # type: ignore[arg-type]

    def test_calendar_error_is_a_value_error(self) -> None:
        assert issubclass(CalendarError, ValueError)

    def test_beyond_the_calendar(self) -> None:
        with pytest.raises(CalendarError):
            CAL.due(datetime(9998, 12, 30, 9, tzinfo=TZ), 1000, "days")

    def test_other_working_hours(self) -> None:
        cal = vn_calendar(
            periods=((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30))), cutoff=time(16)
        )
        assert cal.due(at(2026, 3, 10, 16), 1, "working_days") == (at(2026, 3, 10, 16), at(2026, 3, 11, 16))
        assert cal.due(at(2026, 3, 10, 12), 1, "working_days") == (
            at(2026, 3, 10, 13, 30),
            at(2026, 3, 11, 11, 30),
        )

    @pytest.mark.parametrize(
        "periods",
        [(), ((time(12), time(8)),), ((time(8), time(12)), (time(11), time(17)))],
    )
    def test_rejects_bad_periods(self, periods: tuple[tuple[time, time], ...]) -> None:
        with pytest.raises(CalendarError):
            WorkingCalendar(periods=periods, cutoff=time(15), tz=TZ)


class TestPause:
    """A supplement request stops the clock; the answer restarts it (contract §4, no cut-off)."""

    received = at(2026, 3, 9, 10)
    due_at = at(2026, 3, 12, 10)  # 3 working days
    paused = at(2026, 3, 10, 14, 30)

    def test_remaining_time_at_the_pause(self) -> None:
        assert CAL.due(self.received, 3, "working_days").due == self.due_at
        # 14:30–17:00 on Tuesday, all of Wednesday, 08:00–10:00 on Thursday.
        assert CAL.working_minutes_between(self.paused, self.due_at) == 150 + 480 + 120

    def test_resume_after_the_cut_off_uses_the_rest_of_the_day(self) -> None:
        assert CAL.resume(750, at(2026, 3, 13, 16, 30)) == at(2026, 3, 17, 12)

    def test_resume_on_a_sunday_starts_on_monday_morning(self) -> None:
        assert CAL.resume(timedelta(minutes=750), at(2026, 3, 15, 10)) == at(2026, 3, 17, 13, 30)

    def test_resume_in_the_lunch_break(self) -> None:
        assert CAL.resume(60, at(2026, 3, 16, 12, 10)) == at(2026, 3, 16, 14)

    def test_a_pause_over_tet(self) -> None:
        remaining = CAL.working_minutes_between(at(2026, 2, 12, 16), at(2026, 2, 25, 10))
        assert remaining == 60 + 480 + 480 + 480 + 120
        assert CAL.resume(remaining, at(2026, 2, 23, 8)) == at(2026, 2, 26, 11)

    def test_a_pause_after_the_due_time_keeps_the_dossier_late(self) -> None:
        remaining = CAL.working_minutes_between(at(2026, 3, 13, 9), self.due_at)
        assert remaining == -(360 + 60)  # 10:00–17:00 on Thursday, 08:00–09:00 on Friday
        # Resumed on Monday 09:00, it is still 7 working hours late: due Friday 10:00.
        assert CAL.resume(remaining, at(2026, 3, 16, 9)) == at(2026, 3, 13, 10)

    def test_immediate_resume_changes_nothing(self) -> None:
        remaining = CAL.working_minutes_between(self.paused, self.due_at)
        assert CAL.resume(remaining, self.paused) == self.due_at

    def test_between_on_non_working_days_is_zero(self) -> None:
        assert CAL.working_minutes_between(at(2026, 2, 14, 9), at(2026, 2, 22, 18)) == 0
        assert CAL.working_minutes_between(at(2026, 3, 10, 9), at(2026, 3, 10, 9)) == 0

    def test_next_working_instant_ignores_the_cut_off(self) -> None:
        assert CAL.next_working_instant(at(2026, 3, 10, 16)) == at(2026, 3, 10, 16)
        assert CAL.next_working_instant(at(2026, 3, 10, 17)) == at(2026, 3, 11, 8)
        assert CAL.next_working_instant(at(2026, 3, 10, 12)) == at(2026, 3, 10, 13)

    def test_add_working_minutes_backwards_and_zero(self) -> None:
        assert CAL.add_working_minutes(at(2026, 2, 23, 9), -120) == at(2026, 2, 13, 16)
        assert CAL.add_working_minutes(at(2026, 3, 10, 13), -60) == at(2026, 3, 10, 11)
        assert CAL.add_working_minutes(at(2026, 3, 10, 8), -480) == at(2026, 3, 6, 17)  # ≡ Monday 08:00
        assert CAL.add_working_minutes(at(2026, 3, 10, 9, 5), 0) == at(2026, 3, 10, 9, 5)


def test_working_time_and_the_nearest_one() -> None:
    assert CAL.is_working_time(at(2026, 12, 2, 8, 0)) and CAL.is_working_time(at(2026, 12, 2, 17, 0))
    assert CAL.is_working_time(at(2026, 12, 2, 12, 0)) and not CAL.is_working_time(at(2026, 12, 2, 12, 1))
    assert not CAL.is_working_time(at(2026, 12, 5, 10, 0))  # a Saturday
    assert not CAL.is_working_time(at(2026, 9, 2, 10, 0))  # Quốc khánh
    assert CAL.nearest_working_time(at(2026, 12, 2, 9, 30)) == at(2026, 12, 2, 9, 30)
    assert CAL.nearest_working_time(at(2026, 12, 2, 12, 20)) == at(2026, 12, 2, 12, 0)
    assert CAL.nearest_working_time(at(2026, 12, 2, 12, 40)) == at(2026, 12, 2, 13, 0)
    assert CAL.nearest_working_time(at(2026, 12, 2, 20, 0)) == at(2026, 12, 2, 17, 0)
    assert CAL.nearest_working_time(at(2026, 12, 3, 6, 0)) == at(2026, 12, 3, 8, 0)
    assert CAL.nearest_working_time(at(2026, 12, 5, 10, 0)) == at(2026, 12, 4, 17, 0)  # Saturday morning
    assert CAL.nearest_working_time(at(2026, 12, 6, 15, 0)) == at(2026, 12, 7, 8, 0)  # Sunday afternoon
