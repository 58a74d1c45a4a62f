"""Monitoring API (contract §7): the Decision 766 index and the settlement report."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import InvalidInput
from motcua.monitoring import exports, selectors, services

PERIOD = [
    OpenApiParameter("agency", str, description="Agency code (default: your own agency)"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 1 January this year)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
]

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
_COUNTS = {c: serializers.IntegerField() for c in selectors.REPORT_COLUMNS}
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
        "group_by": serializers.ChoiceField(choices=services.GROUP_BY),
        "columns": serializers.ListField(child=serializers.CharField()),
        "rows": _ROW.__class__(many=True),
        "total": inline_serializer("DossierReportTotal", dict(_COUNTS)),
    },
)


class ServiceIndexView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=PERIOD, responses=INDEX, summary="Decision 766 index of an agency and its subtree"
    )
    def get(self, request: Request) -> Response:
        query = services.parse(request.user, request.query_params)
        whole, _units = selectors.service_index(query.agency, query.start, query.end)
        return Response(selectors.index_payload(whole, query.start, query.end))


class DossierReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            *PERIOD,
            OpenApiParameter("group_by", str, enum=list(services.GROUP_BY), description="Default: agency"),
            OpenApiParameter("format", str, enum=["json", "xlsx", "csv"], description="Default: json"),
        ],
        responses={
            200: OpenApiResponse(REPORT, description="JSON, or the same table as XLSX or CSV with ?format="),
        },
        summary="Report on the settlement of administrative procedures",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        query = services.parse(request.user, request.query_params)
        group_by = services.parse_group_by(request.query_params.get("group_by"))
        fmt = request.query_params.get("format") or "json"
        if fmt not in ("json", "xlsx", "csv"):
            raise InvalidInput(fields={"format": ["json, xlsx, csv"]})
        rows, total = selectors.settlement_report(query.agency, query.start, query.end, group_by)
        if fmt == "json":
            return Response(
                selectors.report_payload(query.agency, query.start, query.end, group_by, rows, total)
            )
        name = exports.filename(query.agency, query.start, query.end, group_by, fmt)
        if fmt == "csv":
            response = HttpResponse(exports.to_csv(rows, total), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(rows, total, query.agency, query.start, query.end, group_by),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


urlpatterns = [
    path("metrics/service-index", ServiceIndexView.as_view(), name="service-index"),
    path("reports/dossiers", DossierReportView.as_view(), name="dossier-report"),
]
