"""The Django admin for the national channels' procedure map (effective-dated: a merger ends one row
and starts another) and a read-only view of the dossiers that came from the channels."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.integrations.models import ExternalDossier, ProcedureMapping


@admin.register(ProcedureMapping)
class ProcedureMappingAdmin(admin.ModelAdmin[ProcedureMapping]):
    list_display = [
        "national_procedure_code",
        "national_agency_code",
        "procedure",
        "agency",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["valid_to"]
    search_fields = ["national_procedure_code", "national_agency_code", "procedure__code", "agency__code"]
    autocomplete_fields = ["procedure", "agency"]


@admin.register(ExternalDossier)
class ExternalDossierAdmin(admin.ModelAdmin[ExternalDossier]):
    list_display = [
        "source",
        "external_code",
        "national_procedure_code",
        "dossier",
        "received_at",
        "deliveries",
    ]
    list_filter = ["source"]
    search_fields = ["external_code"]
    readonly_fields = [f.name for f in ExternalDossier._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExternalDossier | None = None) -> bool:
        return False
