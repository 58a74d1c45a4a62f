from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.accounts.current import user_of
from motcua.calendar.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["date", "kind", "name", "legal_basis"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    ordering = ["-date"]
    date_hierarchy = "date"
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        obj.updated_by = user_of(request)
        super().save_model(request, obj, form, change)
