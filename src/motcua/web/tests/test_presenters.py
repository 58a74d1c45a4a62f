"""What the shared presenters say, in the words a reader sees."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from motcua.agencies.models import Agency
from motcua.agencies.services import create_agency
from motcua.calendar.selectors import get_calendar
from motcua.dossiers.models import Dossier
from motcua.web import pickers, presenters

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=TZ)  # an ordinary working Monday


def waiting(status: str, *, left_hours: float) -> Dossier:
    """A dossier paused on ``status`` with ``left_hours`` of working time left (negative: paused late)."""
    due = MONDAY + timedelta(days=2)
    return Dossier(
        status=status,
        due_at=due,
        paused_at=MONDAY if left_hours >= 0 else due + timedelta(days=1),
        remaining_seconds=int(left_hours * 3600),
    )


@pytest.mark.parametrize(
    ("status", "for_citizen", "words"),
    [
        ("awaiting_supplement", True, "Tạm dừng chờ bạn bổ sung giấy tờ"),
        ("awaiting_supplement", False, "Tạm dừng chờ người nộp bổ sung giấy tờ"),
        ("awaiting_payment", True, "Tạm dừng chờ bạn nộp phí, lệ phí"),
        ("awaiting_payment", False, "Tạm dừng chờ người nộp thanh toán phí, lệ phí"),
    ],
)
def test_a_paused_clock_says_what_the_dossier_waits_for(
    db: Any, status: str, for_citizen: bool, words: str
) -> None:
    calendar = get_calendar()
    with translation.override("vi"):
        on_time = presenters.clock(waiting(status, left_hours=10), calendar, MONDAY, for_citizen=for_citizen)
        late = presenters.clock(waiting(status, left_hours=-3), calendar, MONDAY, for_citizen=for_citizen)
    assert on_time.text == f"{words} — còn 1 ngày làm việc 2 giờ"
    assert late.text == f"{words} — đã quá hạn 3 giờ"
    assert (on_time.tone, late.tone) == ("warning", "danger")


def test_overdue_by_counts_working_time_to_now_or_to_where_the_clock_stopped(db: Any) -> None:
    calendar = get_calendar()
    due = MONDAY
    running = Dossier(status="processing", due_at=due)
    assert presenters.overdue_by(running, calendar, due + timedelta(days=1)) == calendar.day_length
    assert presenters.overdue_by(running, calendar, due - timedelta(hours=1)) == timedelta()
    paused = Dossier(status="awaiting_payment", due_at=due, paused_at=due + timedelta(hours=2))
    assert presenters.overdue_by(paused, calendar, due + timedelta(days=30)) == timedelta(hours=2)


def test_agencies_are_grouped_as_a_person_looks_for_them(world: Any) -> None:
    create_agency(code="H15.39", name="Công an tỉnh Đắk Lắk", kind="other", parent_code="H15")
    with translation.override("vi"):
        groups = pickers.agency_choices(Agency.objects.order_by("path"))
    assert [(label, [name for _code, name in options]) for label, options in groups] == [
        (
            "Cơ quan, trung tâm cấp tỉnh",
            ["Ủy ban nhân dân tỉnh Đắk Lắk", "Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk"],
        ),
        ("Sở, ban, ngành", ["Sở Xây dựng tỉnh Đắk Lắk", "Sở Tài chính tỉnh Đắk Lắk"]),  # by code
        (
            "Xã, phường",
            [
                "Ủy ban nhân dân phường Buôn Ma Thuột",
                "Trung tâm Phục vụ hành chính công phường Buôn Ma Thuột",
                "Ủy ban nhân dân xã Hòa Phú",
            ],
        ),
        ("Cơ quan, đơn vị khác", ["Công an tỉnh Đắk Lắk"]),
    ]
    assert groups[1][1][0] == ("H15.16", "Sở Xây dựng tỉnh Đắk Lắk")


def test_a_group_with_no_agency_is_left_out(world: Any) -> None:
    groups = pickers.agency_choices(Agency.objects.filter(kind="commune").order_by("path"))
    assert len(groups) == 1
