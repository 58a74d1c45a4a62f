"""The citizen's warehouse in the API: ``GET /api/v1/me/documents`` (contract §8.2)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request

from motcua.accounts.roles import Role
from motcua.core.schema import error_response
from motcua.warehouse import selectors
from motcua.warehouse.models import WarehouseDocument
from motcua.warehouse.serializers import WarehouseDocumentSerializer


class IsCitizen(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request.user, "role", None) == Role.CITIZEN


@extend_schema_view(
    get=extend_schema(
        summary="The citizen's document warehouse",
        description=(
            "The electronic results of the citizen's dossiers and the digitised documents the desk "
            "received, kept under their personal ID, newest first. Reuse one when submitting with "
            '`{"code", "name", "warehouse_id": id}`.'
        ),
        responses={
            200: WarehouseDocumentSerializer(many=True),
            403: error_response("Only citizens have a warehouse (`permission_denied`)."),
        },
    )
)
class MyDocuments(ListAPIView[WarehouseDocument]):
    permission_classes = [IsAuthenticated, IsCitizen]
    serializer_class = WarehouseDocumentSerializer

    def get_queryset(self) -> QuerySet[WarehouseDocument]:
        return selectors.documents_of(self.request.user).select_related("dossier")


urlpatterns = [path("me/documents", MyDocuments.as_view(), name="me-documents")]
