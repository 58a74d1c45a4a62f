"""Procedure catalog API (contract §3), with versioning and import/export beside it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.permissions import IsAdminRole, PublicReadAdminWrite
from motcua.catalog import exchange, selectors, services
from motcua.catalog.models import Level, OnlineLevel, ProcedureVersion
from motcua.catalog.serializers import ProcedureInputSerializer, ProcedureOutputSerializer
from motcua.core.errors import InvalidInput
from motcua.core.replica import reads_from_replica
from motcua.core.schema import error_response


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Ignores Vietnamese diacritics and case"),
            OpenApiParameter("agency", str, description="Resolving agency code; includes agencies under it"),
            OpenApiParameter("field", str),
            OpenApiParameter("level", str, enum=Level.values),
            OpenApiParameter("online_level", str, enum=OnlineLevel.values),
        ]
    )
)
class ProcedureListCreate(ListAPIView[ProcedureVersion]):
    permission_classes = [PublicReadAdminWrite]
    serializer_class = ProcedureOutputSerializer

    @method_decorator(reads_from_replica)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        params = self.request.query_params
        return selectors.procedure_list(
            search=params.get("search"),
            agency_code=params.get("agency"),
            field=params.get("field"),
            level=params.get("level"),
            online_level=params.get("online_level"),
        )

    @extend_schema(
        request=ProcedureInputSerializer,
        responses={
            201: ProcedureOutputSerializer,
            409: error_response("`duplicate`: a procedure with this code exists."),
        },
    )
    def post(self, request: Request) -> Response:
        data = ProcedureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.create_procedure(spec=data.validated_data)
        return Response(ProcedureOutputSerializer(selectors.procedure_get(version.code)).data, status=201)


class ProcedureDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="A given version instead of the one in force")
        ],
        responses={
            200: ProcedureOutputSerializer,
            400: error_response("`version` is not a whole number."),
        },
    )
    @method_decorator(reads_from_replica)
    def get(self, request: Request, code: str) -> Response:
        raw = request.query_params.get("version")
        if raw is not None and not raw.isdigit():
            raise InvalidInput(fields={"version": [_("A whole number is required.")]})
        version = selectors.procedure_get(code, version=int(raw) if raw else None)
        return Response(ProcedureOutputSerializer(version).data)


class ProcedureVersions(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProcedureOutputSerializer(many=True))
    @method_decorator(reads_from_replica)
    def get(self, request: Request, code: str) -> Response:
        versions = list(selectors.procedure_versions(code))
        return Response(ProcedureOutputSerializer(versions, many=True).data)  # type: ignore[arg-type]  # many=True takes a list; the stubs type one instance


class ProcedureDraft(APIView):
    """Prepare the next version of a procedure while the current one stays in force."""

    permission_classes = [IsAdminRole]

    @extend_schema(request=ProcedureInputSerializer, responses={201: ProcedureOutputSerializer})
    def post(self, request: Request, code: str) -> Response:
        body = request.data if isinstance(request.data, dict) else {}
        data = ProcedureInputSerializer(data={**body, "code": code})
        data.is_valid(raise_exception=True)
        draft = services.draft_version(code=code, spec=data.validated_data)
        return Response(
            ProcedureOutputSerializer(selectors.procedure_get(code, version=draft.number)).data, status=201
        )


class ProcedurePublish(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        request=None,
        responses={
            200: ProcedureOutputSerializer,
            409: error_response("`no_draft`: the procedure has no draft to publish."),
        },
    )
    def post(self, request: Request, code: str) -> Response:
        services.publish_draft(code=code)
        return Response(ProcedureOutputSerializer(selectors.procedure_get(code)).data)


class CatalogExport(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "xlsx"])],
        responses={
            (200, "application/json"): inline_serializer(
                "CatalogDocument",
                {
                    "format": serializers.CharField(),
                    "version": serializers.IntegerField(),
                    "procedures": ProcedureInputSerializer(many=True),
                },
            ),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            400: error_response("`format` is neither json nor xlsx."),
        },
    )
    @method_decorator(reads_from_replica)
    def get(self, request: Request) -> HttpResponse:
        kind = request.query_params.get("format", "json")
        if kind not in ("json", "xlsx"):
            raise InvalidInput(fields={"format": [_("Use json or xlsx.")]})
        specs = [exchange.version_to_spec(v) for v in selectors.current_versions_for_export()]
        if kind == "xlsx":
            response = HttpResponse(
                exchange.to_xlsx(specs),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(exchange.to_json(specs), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc.{kind}"'
        return response


class CatalogImport(APIView):
    """Import a whole catalog (the export's JSON or XLSX), all or nothing."""

    permission_classes = [IsAdminRole]
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer("CatalogUpload", {"file": serializers.FileField()})
        },
        responses=inline_serializer(
            "CatalogImportReport",
            {
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        try:
            if upload is None:
                items = (
                    exchange.parse_json(request.body)
                    if request.content_type.startswith("application/json")
                    else None
                )
            else:
                items = exchange.parse(upload.name or "", upload.read())
        except exchange.ExchangeError as exc:
            raise InvalidInput(
                _("The file cannot be read: %(reason)s") % {"reason": exc}, code="unreadable_file"
            ) from exc
        if items is None:
            raise InvalidInput(fields={"file": [_("Send the catalog as a file (JSON or XLSX).")]})
        report = services.import_items(items=items)
        return Response({"created": report.created, "updated": report.updated, "unchanged": report.unchanged})


urlpatterns = [
    path("procedures", ProcedureListCreate.as_view(), name="procedure-list"),
    path("procedures/export", CatalogExport.as_view(), name="catalog-export"),
    path("procedures/import", CatalogImport.as_view(), name="catalog-import"),
    path("procedures/<str:code>", ProcedureDetail.as_view(), name="procedure-detail"),
    path("procedures/<str:code>/versions", ProcedureVersions.as_view(), name="procedure-versions"),
    path("procedures/<str:code>/draft", ProcedureDraft.as_view(), name="procedure-draft"),
    path("procedures/<str:code>/publish", ProcedurePublish.as_view(), name="procedure-publish"),
]
