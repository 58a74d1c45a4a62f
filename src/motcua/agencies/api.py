"""Agencies and administrative units API (contract §3)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.accounts.permissions import PublicReadAdminWrite
from motcua.agencies import selectors, services
from motcua.agencies.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
from motcua.core.schema import error_response


class AgencySerializer(serializers.ModelSerializer[Agency]):
    parent_code = serializers.CharField(source="parent.code", allow_null=True, read_only=True)
    successor_code = serializers.CharField(source="successor.code", allow_null=True, read_only=True)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)

    class Meta:
        model = Agency
        fields = [
            "code",
            "legacy_code",
            "name",
            "kind",
            "parent_code",
            "valid_from",
            "valid_to",
            "successor_code",
        ]


class AgencyCreateSerializer(serializers.Serializer[None]):
    code = serializers.CharField(max_length=35)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    parent_code = serializers.CharField(max_length=35, required=False, allow_null=True, allow_blank=True)
    legacy_code = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    admin_unit_code = serializers.CharField(max_length=5, required=False, allow_null=True, allow_blank=True)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=AgencyKind.values),
            OpenApiParameter("parent", str, description="Code of the parent agency"),
            OpenApiParameter("search", str),
        ]
    )
)
class AgencyListCreate(ListAPIView[Agency]):
    permission_classes = [PublicReadAdminWrite]
    serializer_class = AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        params = self.request.query_params
        return selectors.agency_list(
            kind=params.get("kind"), parent_code=params.get("parent"), search=params.get("search")
        )

    @extend_schema(
        request=AgencyCreateSerializer,
        responses={
            201: AgencySerializer,
            409: error_response("`duplicate`: an agency with this code exists."),
        },
    )
    def post(self, request: Request) -> Response:
        data = AgencyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = services.create_agency(**data.validated_data)
        return Response(AgencySerializer(agency).data, status=201)


class AgencyDetail(GenericAPIView[Agency]):
    permission_classes = [PublicReadAdminWrite]
    serializer_class = AgencySerializer

    def get(self, request: Request, code: str) -> Response:
        return Response(AgencySerializer(selectors.agency_get(code)).data)


class AdministrativeUnitSerializer(serializers.ModelSerializer[AdministrativeUnit]):
    province_code = serializers.CharField(source="parent.code", allow_null=True, read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "unit_type", "level", "province_code"]


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=UnitLevel.values),
            OpenApiParameter("province", str, description="2-digit province code"),
        ]
    )
)
class AdministrativeUnitList(ListAPIView[AdministrativeUnit]):
    """The 34 provinces and 3,321 communes (Decision 19/2025/QĐ-TTg)."""

    permission_classes = [PublicReadAdminWrite]
    serializer_class = AdministrativeUnitSerializer

    def get_queryset(self) -> QuerySet[AdministrativeUnit]:
        params = self.request.query_params
        return selectors.admin_unit_list(level=params.get("level"), parent_code=params.get("province"))


urlpatterns = [
    path("agencies", AgencyListCreate.as_view(), name="agency-list"),
    path("agencies/<str:code>", AgencyDetail.as_view(), name="agency-detail"),
    path("administrative-units", AdministrativeUnitList.as_view(), name="admin-unit-list"),
]
