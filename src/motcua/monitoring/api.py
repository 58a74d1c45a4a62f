"""Monitoring API (contract §7): the Decision 766 index and the settlement report, and the JSON shape
of both, which the dashboard shares."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Agency
from motcua.core.errors import InvalidInput
from motcua.core.replica import replica_reads
from motcua.core.schema import error_response
from motcua.monitoring import exports, query, rollup, selectors
from motcua.monitoring import index as engine
from motcua.monitoring.selectors import PAYMENT_COLUMNS, REPORT_COLUMNS, ReportRow, UnitIndex

PERIOD = [
    OpenApiParameter("agency", str, description="Agency code (default: your own agency)"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 1 January this year)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
]

PERIOD_ERRORS = {
    400: error_response("An unknown agency, a malformed date or a period out of range."),
    403: error_response("Citizens see no figures; staff see their own agency and those under it."),
}

_INDICATOR = inline_serializer(
    "ServiceIndexIndicator",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "max_points": serializers.FloatField(),
        "score": serializers.FloatField(allow_null=True),
        "numerator": serializers.IntegerField(allow_null=True),
        "denominator": serializers.IntegerField(allow_null=True),
        "ratio": serializers.FloatField(allow_null=True),
        "reason": serializers.CharField(allow_null=True),
    },
)
_GROUP = inline_serializer(
    "ServiceIndexGroup",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "max_points": serializers.FloatField(),
        "score": serializers.FloatField(allow_null=True),
        "indicators": _INDICATOR.__class__(many=True),
    },
)
INDEX = inline_serializer(
    "ServiceIndex",
    {
        "agency": serializers.CharField(),
        "agency_name": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "total": serializers.FloatField(allow_null=True),
        "band": serializers.CharField(allow_null=True),
        "band_code": serializers.CharField(allow_null=True),
        "partial_total": serializers.FloatField(),
        "ruleset": serializers.IntegerField(),
        "received": serializers.IntegerField(),
        "groups": _GROUP.__class__(many=True),
    },
)
_COUNTS = {c: serializers.IntegerField() for c in (*REPORT_COLUMNS, "to_settle", *PAYMENT_COLUMNS)}
_ROW = inline_serializer(
    "DossierReportRow", {"key": serializers.CharField(), "label": serializers.CharField(), **_COUNTS}
)
REPORT = inline_serializer(
    "DossierReport",
    {
        "agency": serializers.CharField(),
        "agency_name": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "group_by": serializers.ChoiceField(choices=query.GROUP_BY),
        "columns": serializers.ListField(child=serializers.CharField()),
        "payment_columns": serializers.ListField(
            child=serializers.CharField(),
            help_text="Beside the contract's columns: dossiers received with a fee, and those paid through "
            "each channel (a dossier paid through two counts under both).",
        ),
        "rows": _ROW.__class__(many=True),
        "total": inline_serializer("DossierReportTotal", dict(_COUNTS)),
    },
)


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def index_payload(unit: UnitIndex, start: date, end: date) -> dict[str, Any]:
    result = unit.result
    return {
        "agency": unit.agency.code,
        "agency_name": unit.agency.name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": _num(result.total),
        "band": result.band.name if result.band else None,
        "band_code": result.band.code if result.band else None,
        "partial_total": _num(engine.partial_total(result)),
        "ruleset": result.ruleset.year,
        "received": unit.received,
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "max_points": _num(g.max_points),
                "score": _num(g.score),
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "max_points": _num(i.max_points),
                        "score": _num(i.score),
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "ratio": _num(i.ratio),
                        "reason": i.reason or None,
                    }
                    for i in g.indicators
                ],
            }
            for g in result.groups
        ],
    }


def report_payload(
    agency: Agency, start: date, end: date, group_by: str, rows: list[ReportRow], total: dict[str, int]
) -> dict[str, Any]:
    """``to_settle`` (carried over + received) sits beside the contract's columns: every row's outcomes
    add up to it. The fees paid by channel (``payment_columns``) sit beside them too."""
    return {
        "agency": agency.code,
        "agency_name": agency.name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "group_by": group_by,
        "columns": REPORT_COLUMNS,
        "payment_columns": PAYMENT_COLUMNS,
        "rows": [{"key": r.key, "label": r.label, **r.values, "to_settle": r.to_settle} for r in rows],
        "total": {**total, "to_settle": total["carried_over"] + total["received_total"]},
    }


def _counted_up_to_now() -> None:
    """The API answers exactly as of the request: whatever the worker has not counted yet is counted
    first (two indexed look-ups when it has). The dashboard page never waits for this."""
    rollup.ensure_current()


def _from_replica() -> AbstractContextManager[None]:
    """The counts just brought up to date are read from the replica once it has them too (else from
    the primary): the answer stays the one as of the request."""
    return replica_reads(caught_up=rollup.caught_up)


class ServiceIndexView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=PERIOD,
        responses={200: INDEX, **PERIOD_ERRORS},
        summary="Decision 766 index of an agency and its subtree",
    )
    def get(self, request: Request) -> Response:
        asked = query.parse(request.user, request.query_params)
        _counted_up_to_now()
        with _from_replica():
            whole, _units = selectors.service_index(asked.agency, asked.start, asked.end)
            return Response(index_payload(whole, asked.start, asked.end))


class DossierReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            *PERIOD,
            OpenApiParameter("group_by", str, enum=list(query.GROUP_BY), description="Default: agency"),
            OpenApiParameter("format", str, enum=["json", "xlsx", "csv"], description="Default: json"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                REPORT, description="The table; XLSX or CSV with ?format="
            ),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **PERIOD_ERRORS,
        },
        summary="Report on the settlement of administrative procedures",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        asked = query.parse(request.user, request.query_params)
        group_by = query.parse_group_by(request.query_params.get("group_by"))
        fmt = request.query_params.get("format") or "json"
        if fmt not in ("json", "xlsx", "csv"):
            raise InvalidInput(fields={"format": ["json, xlsx, csv"]})
        _counted_up_to_now()
        with _from_replica():
            return self._answer(asked, group_by, fmt)

    def _answer(self, asked: query.Query, group_by: str, fmt: str) -> Response | HttpResponse:
        rows, total = selectors.settlement_report(asked.agency, asked.start, asked.end, group_by)
        if fmt == "json":
            return Response(report_payload(asked.agency, asked.start, asked.end, group_by, rows, total))
        name = exports.filename(asked.agency, asked.start, asked.end, group_by, fmt)
        if fmt == "csv":
            response = HttpResponse(
                exports.to_csv(rows, total, group_by), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exports.to_xlsx(rows, total, asked.agency, asked.start, asked.end, group_by),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


urlpatterns = [
    path("metrics/service-index", ServiceIndexView.as_view(), name="service-index"),
    path("reports/dossiers", DossierReportView.as_view(), name="dossier-report"),
]
