"""The warehouse's API shape (contract §8.2)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.dossiers.serializers import local
from motcua.warehouse.models import Source, WarehouseDocument


class WarehouseDocumentSerializer(serializers.Serializer[WarehouseDocument]):
    id = serializers.IntegerField(help_text="Give it as `warehouse_id` to reuse the document.")
    code = serializers.CharField()
    name = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.values)  # type: ignore[assignment]  # the contract's field is named like Field.source
    dossier_code = serializers.CharField(source="dossier.code", allow_null=True)
    file_id = serializers.UUIDField(help_text="Download it at GET /api/v1/files/{file_id}.")
    issued_at = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField())
    def get_issued_at(self, obj: WarehouseDocument) -> str | None:
        return local(obj.issued_at)
