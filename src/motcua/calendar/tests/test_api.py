"""The calendar over HTTP (contract §4), with the overrides stored in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from motcua.calendar.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_client() -> APIClient:
    admin = get_user_model().objects.create_user(username="admin1", password="s3cret-pass", role="admin")
    client = APIClient()
    client.force_authenticate(admin)
    return client


def days(client: APIClient, year: int = 2026) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/calendar/days", {"year": year})
    assert response.status_code == 200, response.content
    return {day["date"]: day for day in response.json()["results"]}


def due(client: APIClient, start: str, value: Any = 1, unit: str = "working_days") -> Any:
    return client.get("/api/v1/calendar/due", {"start": start, "value": value, "unit": unit})


def assert_envelope(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert error["fields"][field], error
    return error


class TestDays:
    def test_the_law_of_2026(self, client: APIClient) -> None:
        response = client.get("/api/v1/calendar/days", {"year": 2026})
        body = response.json()
        listed = {day["date"]: day for day in body["results"]}
        assert body["count"] == len(listed) == 14  # 13 weekdays off, 1 Saturday worked
        assert [day["date"] for day in body["results"]] == sorted(listed)
        assert listed["2026-11-24"] == {
            "date": "2026-11-24",
            "kind": "holiday",
            "name": "Ngày Văn hóa Việt Nam",
            "source": "law",
        }
        assert all(listed[f"2026-02-{d}"]["kind"] == "holiday" for d in range(16, 21))
        assert listed["2026-08-22"]["kind"] == "working" and "31/08/2026" in listed["2026-08-22"]["name"]
        assert listed["2026-08-31"]["kind"] == "holiday"
        assert "2026-04-27" in listed and "2026-04-26" not in listed  # Sunday holiday, Monday off instead
        assert "2026-02-14" not in listed  # an ordinary weekend day

    def test_a_holiday_override_shows_and_moves_deadlines(
        self, client: APIClient, admin_client: APIClient
    ) -> None:
        assert due(client, "2026-03-09T10:00:00+07:00").json()["due"] == "2026-03-10T10:00:00+07:00"
        response = admin_client.put(
            "/api/v1/calendar/days/2026-03-10",
            {"kind": "holiday", "name": "Nghỉ lễ địa phương", "legal_basis": "QĐ 12/2026/QĐ-UBND"},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json() == {
            "date": "2026-03-10",
            "kind": "holiday",
            "name": "Nghỉ lễ địa phương",
            "source": "override",
            "legal_basis": "QĐ 12/2026/QĐ-UBND",
        }
        assert days(client)["2026-03-10"]["source"] == "override"
        assert due(client, "2026-03-09T10:00:00+07:00").json()["due"] == "2026-03-11T10:00:00+07:00"
        override = CalendarOverride.objects.get()
        assert override.updated_by is not None and override.updated_by.username == "admin1"

    def test_a_worked_saturday(self, client: APIClient, admin_client: APIClient) -> None:
        admin_client.put(
            "/api/v1/calendar/days/2026-03-14", {"kind": "working", "name": "Làm bù"}, format="json"
        )
        assert days(client)["2026-03-14"] == {
            "date": "2026-03-14",
            "kind": "working",
            "name": "Làm bù",
            "source": "override",
        }
        assert due(client, "2026-03-13T16:00:00+07:00").json()["due"] == "2026-03-14T17:00:00+07:00"

    def test_working_on_a_law_holiday_removes_it(self, client: APIClient, admin_client: APIClient) -> None:
        admin_client.put(
            "/api/v1/calendar/days/2026-11-24", {"kind": "working", "name": "Đi làm"}, format="json"
        )
        assert "2026-11-24" not in days(client)
        assert due(client, "2026-11-23T10:00:00+07:00").json()["due"] == "2026-11-24T10:00:00+07:00"

    def test_renaming_a_law_day_and_updating_an_override(
        self, client: APIClient, admin_client: APIClient
    ) -> None:
        url = "/api/v1/calendar/days/2026-09-01"
        admin_client.put(url, {"kind": "holiday", "name": "Quốc khánh (nghỉ liền kề)"}, format="json")
        admin_client.put(
            url, {"kind": "holiday", "name": "Quốc khánh", "legal_basis": "CV 1/VPCP"}, format="json"
        )
        assert CalendarOverride.objects.count() == 1
        assert days(client)["2026-09-01"] == {
            "date": "2026-09-01",
            "kind": "holiday",
            "name": "Quốc khánh",
            "source": "override",
        }

    def test_delete_gives_the_day_back_to_the_law(self, client: APIClient, admin_client: APIClient) -> None:
        admin_client.put("/api/v1/calendar/days/2026-03-10", {"kind": "holiday", "name": "X"}, format="json")
        response = admin_client.delete("/api/v1/calendar/days/2026-03-10")
        assert response.status_code == 204
        assert "2026-03-10" not in days(client)
        assert due(client, "2026-03-09T10:00:00+07:00").json()["due"] == "2026-03-10T10:00:00+07:00"
        assert_envelope(admin_client.delete("/api/v1/calendar/days/2026-03-10"), 404, "not_found")

    def test_a_whole_year_fits_in_the_first_page_and_paging_works(self, client: APIClient) -> None:
        response = client.get("/api/v1/calendar/days", {"year": 2026, "page_size": 5, "page": 2})
        body = response.json()
        assert body["count"] == 14 and len(body["results"]) == 5 and body["next"] and body["previous"]


class TestDue:
    def test_tet(self, client: APIClient) -> None:
        response = due(client, "2026-02-13T10:00:00+07:00", 3)
        assert response.status_code == 200
        assert response.json() == {
            "start": "2026-02-13T10:00:00+07:00",
            "counting_from": "2026-02-13T10:00:00+07:00",
            "due": "2026-02-25T10:00:00+07:00",
        }

    def test_naive_start_is_vietnam_time_and_other_offsets_come_back_in_it(self, client: APIClient) -> None:
        naive = due(client, "2026-03-12T15:01:00", 1).json()
        assert naive == {
            "start": "2026-03-12T15:01:00+07:00",
            "counting_from": "2026-03-13T08:00:00+07:00",
            "due": "2026-03-13T17:00:00+07:00",
        }
        utc = due(client, "2026-03-12T08:00:00Z", 1).json()
        assert utc["start"] == "2026-03-12T15:00:00+07:00"
        assert utc["due"] == "2026-03-13T15:00:00+07:00"

    def test_an_unencoded_plus_in_the_query_string(self, client: APIClient) -> None:
        response = client.get(
            "/api/v1/calendar/due?start=2026-02-13T10:00:00+07:00&value=3&unit=working_days"
        )
        assert response.status_code == 200, response.content
        assert response.json()["due"] == "2026-02-25T10:00:00+07:00"

    @pytest.mark.parametrize(
        ("start", "value", "unit", "expected"),
        [
            ("2026-03-10T12:30:00+07:00", 4, "working_hours", "2026-03-10T17:00:00+07:00"),
            ("2026-03-09T10:00:00+07:00", 5, "days", "2026-03-16T17:00:00+07:00"),  # Saturday → Monday
            ("2026-04-20T09:00:00+07:00", 7, "days", "2026-04-28T17:00:00+07:00"),  # 27/04 is off
        ],
    )
    def test_units(self, client: APIClient, start: str, value: int, unit: str, expected: str) -> None:
        assert due(client, start, value, unit).json()["due"] == expected


class TestBadInput:
    @pytest.mark.parametrize("query", [{"year": "abc"}, {}, {"year": 1800}, {"year": 2201}])
    def test_year(self, client: APIClient, query: dict[str, Any]) -> None:
        assert_envelope(client.get("/api/v1/calendar/days", query), 400, "validation_error", "year")

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"value": 0}, "value"),
            ({"value": -1}, "value"),
            ({"value": "abc"}, "value"),
            ({"value": "1.5"}, "value"),
            ({"unit": "weeks"}, "unit"),
            ({"start": "garbage"}, "start"),
            ({"start": "2026-02-30T10:00"}, "start"),
            ({"start": "9999-12-31T10:00"}, "start"),
        ],
    )
    def test_due(self, client: APIClient, params: dict[str, Any], field: str) -> None:
        query = {"start": "2026-03-10T09:00", "value": 1, "unit": "working_days", **params}
        assert_envelope(client.get("/api/v1/calendar/due", query), 400, "validation_error", field)

    def test_due_with_nothing(self, client: APIClient) -> None:
        error = assert_envelope(client.get("/api/v1/calendar/due"), 400, "validation_error")
        assert set(error["fields"]) == {"start", "value", "unit"}

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "x", "name": "X"}, "kind"),
            ({"kind": "holiday"}, "name"),
            ({"kind": "holiday", "name": "   "}, "name"),
            ({"kind": "holiday", "name": "X" * 201}, "name"),
        ],
    )
    def test_put_body(self, admin_client: APIClient, body: dict[str, Any], field: str) -> None:
        response = admin_client.put("/api/v1/calendar/days/2026-03-10", body, format="json")
        assert_envelope(response, 400, "validation_error", field)
        assert not CalendarOverride.objects.exists()

    @pytest.mark.parametrize("raw", ["2026-02-30", "2026-13-01", "tomorrow", "2026-3-1"])
    def test_impossible_dates(self, admin_client: APIClient, raw: str) -> None:
        body = {"kind": "holiday", "name": "X"}
        assert_envelope(
            admin_client.put(f"/api/v1/calendar/days/{raw}", body, format="json"),
            400,
            "validation_error",
            "date",
        )
        assert_envelope(admin_client.delete(f"/api/v1/calendar/days/{raw}"), 400, "validation_error", "date")
        assert not CalendarOverride.objects.exists()

    def test_anonymous_writes_are_401(self, client: APIClient) -> None:
        body = {"kind": "holiday", "name": "X"}
        assert_envelope(
            client.put("/api/v1/calendar/days/2026-03-10", body, format="json"), 401, "not_authenticated"
        )
        assert_envelope(client.delete("/api/v1/calendar/days/2026-03-10"), 401, "not_authenticated")
        assert not CalendarOverride.objects.exists()

    def test_other_roles_are_403(self, client: APIClient) -> None:
        citizen = get_user_model().objects.create_user(username="dan", password="s3cret-pass", role="citizen")
        client.force_authenticate(citizen)
        body = {"kind": "holiday", "name": "X"}
        assert_envelope(
            client.put("/api/v1/calendar/days/2026-03-10", body, format="json"), 403, "permission_denied"
        )
        assert_envelope(client.delete("/api/v1/calendar/days/2026-03-10"), 403, "permission_denied")
        assert not CalendarOverride.objects.exists()


class TestLanguages:
    def test_vietnamese_by_default_english_on_request(self, admin_client: APIClient) -> None:
        body = {"kind": "holiday", "name": "X"}
        vi = admin_client.put("/api/v1/calendar/days/2026-02-30", body, format="json").json()["error"]
        en = admin_client.put(
            "/api/v1/calendar/days/2026-02-30", body, format="json", headers={"Accept-Language": "en"}
        ).json()["error"]
        assert en["fields"]["date"] == ["Enter a real date as YYYY-MM-DD."]
        assert vi["fields"]["date"] == ["Hãy nhập một ngày có thật theo dạng YYYY-MM-DD (năm-tháng-ngày)."]
        assert en["message"] == "The data sent is not valid."

    def test_english_field_messages_from_drf(self, client: APIClient) -> None:
        response = client.get(
            "/api/v1/calendar/due",
            {"start": "2026-03-10T09:00", "value": 0, "unit": "weeks"},
            headers={"Accept-Language": "en"},
        )
        error = response.json()["error"]
        assert error["fields"]["unit"] == ['"weeks" is not a valid choice.']
        assert "greater than or equal to 1" in error["fields"]["value"][0]
