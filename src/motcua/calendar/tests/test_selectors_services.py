"""The calendar in force: the law, the overrides on top, and when it is rebuilt."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from motcua.calendar import selectors, services
from motcua.calendar.models import CalendarOverride
from motcua.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_law_names_are_vietnamese_and_swaps_say_what_they_pay_for() -> None:
    days_off, worked = selectors.law_for_year(2026)
    assert days_off[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert worked == {date(2026, 8, 22): "Ngày làm việc bù (cho ngày nghỉ 31/08/2026)"}
    assert selectors.law_for_year(1900) == ({}, {})


def test_the_calendar_is_reused_until_an_override_changes(django_assert_num_queries: object) -> None:
    first = selectors.get_calendar()
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert selectors.get_calendar() is first
    services.set_override(date=date(2026, 3, 10), kind="holiday", name="X", actor=None)
    second = selectors.get_calendar()
    assert second is not first and not second.is_working_day(date(2026, 3, 10))
    services.set_override(date=date(2026, 3, 10), kind="working", name="X", actor=None)
    assert selectors.get_calendar().is_working_day(date(2026, 3, 10))
    services.delete_override(date=date(2026, 3, 10), actor=None)
    assert selectors.get_calendar().is_working_day(date(2026, 3, 10))


def test_writes_that_bypass_the_services_are_seen_too() -> None:
    assert selectors.get_calendar().is_working_day(date(2026, 3, 10))
    row = CalendarOverride.objects.create(date=date(2026, 3, 10), kind="holiday", name="Admin")
    assert not selectors.get_calendar().is_working_day(date(2026, 3, 10))
    CalendarOverride.objects.filter(pk=row.pk).delete()
    assert selectors.get_calendar().is_working_day(date(2026, 3, 10))


def test_settings_are_part_of_the_calendar() -> None:
    with override_settings(MOTCUA_CUTOFF=selectors.settings.MOTCUA_CUTOFF.replace(hour=16)):
        assert selectors.get_calendar().cutoff.hour == 16
    assert selectors.get_calendar().cutoff.hour == 15


def test_a_weekend_holiday_override_is_not_listed() -> None:
    services.set_override(date=date(2026, 3, 15), kind="holiday", name="Sunday", actor=None)
    assert all(day["date"] != date(2026, 3, 15) for day in selectors.list_days(2026))


def test_service_validation() -> None:
    with pytest.raises(InvalidInput) as bad_kind:
        services.set_override(date=date(2026, 3, 10), kind="weekend", name="X", actor=None)
    assert "kind" in bad_kind.value.fields
    with pytest.raises(InvalidInput):
        services.set_override(date=date(2026, 3, 10), kind="holiday", name=" ", actor=None)
    with pytest.raises(NotFound):
        services.delete_override(date=date(2026, 3, 10), actor=None)
    assert not CalendarOverride.objects.exists()


def test_django_admin_stamps_the_author() -> None:
    admin = get_user_model().objects.create_user(
        username="root", password="s3cret-pass", role="admin", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/calendar/calendaroverride/").status_code == 200
    response = client.post(
        "/admin/calendar/calendaroverride/add/",
        {"date": "2026-03-10", "kind": "holiday", "name": "Nghỉ", "legal_basis": ""},
    )
    assert response.status_code == 302, response.content
    assert CalendarOverride.objects.get().updated_by == admin
