"""The statutory Vietnamese calendar for the plain-Python tests, without Django."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import holidays

from motcua.calendar.workcal import WorkingCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIODS = ((time(8), time(12)), (time(13), time(17)))


def vn_law(year: int) -> tuple[dict[date, str], dict[date, str]]:
    law = holidays.VN(years=year)
    return dict(law), {d: "Làm bù" for d in law.weekend_workdays}


def vn_calendar(**kwargs: object) -> WorkingCalendar:
    options: dict[str, object] = {"periods": PERIODS, "cutoff": time(15), "tz": TZ, "loader": vn_law}
    options.update(kwargs)
    return WorkingCalendar(**options)  # type: ignore[arg-type]
