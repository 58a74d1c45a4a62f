"""Reads of the working-day calendar: the law (``holidays``) with the province's overrides on top."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Literal, TypedDict

import holidays
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from motcua.calendar.models import CalendarOverride
from motcua.calendar.workcal import WorkingCalendar

# Vietnamese on purpose: the law's names are data, shown as the province publishes them.
_SWAP_LABEL = "Ngày làm việc bù (cho ngày nghỉ {})"


@lru_cache(maxsize=512)
def law_for_year(year: int) -> tuple[dict[date, str], dict[date, str]]:
    """The statutory calendar of one year: (days off, worked weekend days), names in Vietnamese."""
    law = holidays.VN(years=year)
    days_off = {d: str(name) for d, name in law.items() if d.year == year}
    swaps = {}
    around = holidays.VN(years=[year - 1, year, year + 1])
    for worked in sorted(d for d in law.weekend_workdays if d.year == year):
        # The day off it pays for says "thay cho ngày 22/08/2026"; name the worked day after it.
        label = worked.strftime("%d/%m/%Y")
        paid = [d for d, name in around.items() if label in str(name)]
        swaps[worked] = _SWAP_LABEL.format(paid[0].strftime("%d/%m/%Y")) if paid else "Ngày làm việc bù"
    return days_off, swaps


@dataclass(frozen=True)
class _Cached:
    key: tuple[Any, ...]
    calendar: WorkingCalendar
    overrides: frozenset[date]


_cached: _Cached | None = None
_lock = threading.Lock()


def get_calendar() -> WorkingCalendar:
    """The calendar in force, rebuilt only when an override or the settings change.

    The check costs one aggregate over the small override table, whoever wrote it (the API, the
    Django admin, another app server), so no process ever works with a stale calendar.
    """
    return _current().calendar


def _current() -> _Cached:
    global _cached
    state = CalendarOverride.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    key = (
        state["count"],
        state["latest"],
        tuple(settings.MOTCUA_WORKING_PERIODS),
        settings.MOTCUA_CUTOFF,
        settings.TIME_ZONE,
    )
    cached = _cached
    if cached is not None and cached.key == key:
        return cached
    with _lock:
        overrides = list(CalendarOverride.objects.values_list("date", "kind", "name"))
        calendar = WorkingCalendar(
            periods=tuple(settings.MOTCUA_WORKING_PERIODS),
            cutoff=settings.MOTCUA_CUTOFF,
            tz=timezone.get_default_timezone(),
            holidays={d: n for d, kind, n in overrides if kind == CalendarOverride.Kind.HOLIDAY},
            workdays={d: n for d, kind, n in overrides if kind == CalendarOverride.Kind.WORKING},
            loader=law_for_year,
        )
        _cached = _Cached(key=key, calendar=calendar, overrides=frozenset(d for d, _k, _n in overrides))
        return _cached


class CalendarDay(TypedDict):
    date: date
    kind: Literal["holiday", "working"]
    name: str
    source: Literal["law", "override"]


def list_days(year: int) -> list[CalendarDay]:
    """Every non-working weekday and every worked weekend day of ``year``, by date (contract §4)."""
    current = _current()
    calendar = current.calendar
    days: list[CalendarDay] = [
        {"date": d, "kind": "holiday", "name": name, "source": "law"}
        for d, name in calendar.days_off(year).items()
    ]
    days += [
        {"date": d, "kind": "working", "name": name, "source": "law"}
        for d, name in calendar.weekend_workdays(year).items()
    ]
    for day in days:
        if day["date"] in current.overrides:
            day["source"] = "override"
    return sorted(days, key=lambda day: day["date"])


def get_override(on: date) -> CalendarOverride | None:
    return CalendarOverride.objects.filter(date=on).first()
