"""HTTP surface of the working-day calendar (contract §4). Parsing here; rules in workcal."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.current import user_of
from motcua.accounts.permissions import PublicReadAdminWrite
from motcua.calendar import selectors, services
from motcua.calendar.models import CalendarOverride
from motcua.calendar.workcal import UNITS, CalendarError
from motcua.core.api import Pagination
from motcua.core.errors import InvalidInput
from motcua.core.schema import error_response

MIN_YEAR, MAX_YEAR = 1900, 2200


class YearQuerySerializer(serializers.Serializer[None]):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="YYYY")


class DaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarOverride.Kind.choices)
    name = serializers.CharField()
    source = serializers.ChoiceField(choices=[("law", "law"), ("override", "override")])  # type: ignore[assignment]  # the contract's field is named like Field.source


class DayPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DaySerializer(many=True)


class OverrideSerializer(DaySerializer):
    legal_basis = serializers.CharField(allow_blank=True)


class OverrideInputSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=CalendarOverride.Kind.choices)
    name = serializers.CharField(max_length=200)
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LenientDateTimeField(serializers.DateTimeField):
    """Accepts ``+07:00`` sent unencoded in a query string, where the ``+`` arrives as a space."""

    _OFFSET_AS_SPACE = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            value = self._OFFSET_AS_SPACE.sub(r"\1+\2", value.strip())
        return super().to_internal_value(value)


class DueQuerySerializer(serializers.Serializer[None]):
    start = LenientDateTimeField(help_text="ISO 8601; without an offset it is read as Asia/Ho_Chi_Minh.")
    value = serializers.IntegerField(min_value=1)
    unit = serializers.ChoiceField(choices=[(unit, unit) for unit in UNITS])

    def validate_start(self, value: datetime) -> datetime:
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise serializers.ValidationError(
                _("Enter a date between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return value


class DueSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    counting_from = serializers.DateTimeField()
    due = serializers.DateTimeField()


class DaysPagination(Pagination):
    """A whole year fits in the first page; ``page_size`` still works as everywhere else."""

    page_size = 400


def _parse_date(raw: str) -> date:
    """``2026-02-30`` is bad input (400), not an unknown resource (404)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise InvalidInput(fields={"date": [_("Enter a real date as YYYY-MM-DD.")]})


class CalendarDaysView(APIView):
    permission_classes = [PublicReadAdminWrite]

    @extend_schema(
        operation_id="calendar_days_list",
        parameters=[YearQuerySerializer],
        responses={
            200: DayPageSerializer,
            400: error_response("`year` is missing or out of range."),
            404: error_response("A page number past the last page."),
        },
        summary="Non-working weekdays and worked weekend days of a year",
    )
    def get(self, request: Request) -> Response:
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = selectors.list_days(query.validated_data["year"])
        paginator = DaysPagination()
        page = paginator.paginate_queryset(days, request, view=self)
        return paginator.get_paginated_response(DaySerializer(page, many=True).data)


_DATE_PARAMETER = OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")


class CalendarDayView(APIView):
    permission_classes = [PublicReadAdminWrite]

    @extend_schema(
        operation_id="calendar_days_set",
        parameters=[_DATE_PARAMETER],
        request=OverrideInputSerializer,
        responses={200: OverrideSerializer, 400: error_response("`date` is not a real YYYY-MM-DD date.")},
        summary="Make one date a day off or a working day (admin)",
    )
    def put(self, request: Request, date: str) -> Response:
        on = _parse_date(date)
        body = OverrideInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        override = services.set_override(date=on, actor=user_of(request), **body.validated_data)
        data = {
            "date": override.date,
            "kind": override.kind,
            "name": override.name,
            "source": "override",
            "legal_basis": override.legal_basis,
        }
        return Response(OverrideSerializer(data).data)

    @extend_schema(
        operation_id="calendar_days_delete",
        parameters=[_DATE_PARAMETER],
        responses={204: None, 400: error_response("`date` is not a real YYYY-MM-DD date.")},
        summary="Give one date back to the law (admin)",
    )
    def delete(self, request: Request, date: str) -> Response:
        services.delete_override(date=_parse_date(date), actor=user_of(request))
        return Response(status=204)


class DueView(APIView):
    permission_classes = [PublicReadAdminWrite]

    @extend_schema(
        operation_id="calendar_due",
        parameters=[DueQuerySerializer],
        responses={
            200: DueSerializer,
            400: error_response("A parameter is missing or invalid, or no deadline can be computed."),
        },
        summary="When a processing time received at `start` falls due",
    )
    def get(self, request: Request) -> Response:
        query = DueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, value, unit = (query.validated_data[k] for k in ("start", "value", "unit"))
        try:
            counting_from, due = selectors.get_calendar().due(start, value, unit)
        except CalendarError:
            raise InvalidInput(fields={"start": [_("No deadline can be computed from this date.")]}) from None
        return Response(DueSerializer({"start": start, "counting_from": counting_from, "due": due}).data)


urlpatterns = [
    path("calendar/days", CalendarDaysView.as_view(), name="calendar-days"),
    path("calendar/days/<str:date>", CalendarDayView.as_view(), name="calendar-day"),
    path("calendar/due", DueView.as_view(), name="calendar-due"),
]
