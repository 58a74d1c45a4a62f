from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.agencies import services
from motcua.agencies.models import AdministrativeUnit, Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "offers_e_certified_copy"]
    list_filter = ["kind", "offers_e_certified_copy"]
    search_fields = ["code", "name", "legacy_code"]
    autocomplete_fields = ["parent", "successor", "admin_unit"]
    ordering = ["path"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        obj.path = obj.path or f"/{obj.code}/"
        super().save_model(request, obj, form, change)
        services.refresh_paths(obj)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin[AdministrativeUnit]):
    list_display = ["code", "name", "unit_type", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
