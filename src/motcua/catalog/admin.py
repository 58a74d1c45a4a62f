"""The Django admin for catalog managers: edit drafts, publish them, see every version."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep, RequiredDocument, VersionStatus
from motcua.core.errors import ServiceError


class RequiredDocumentInline(admin.TabularInline[RequiredDocument, ProcedureVersion]):
    model = RequiredDocument
    extra = 0
    fields = ["position", "code", "name", "form", "count", "required"]


class ProcessStepInline(admin.TabularInline[ProcessStep, ProcedureVersion]):
    model = ProcessStep
    extra = 0
    fields = ["position", "name", "agency", "role", "working_hours"]
    autocomplete_fields = ["agency"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    list_display = [
        "procedure",
        "name",
        "number",
        "status",
        "field",
        "agency",
        "processing_time_value",
        "processing_time_unit",
        "online_level",
    ]
    list_filter = ["status", "online_level", "level", "field"]
    search_fields = ["procedure__code", "name", "search_text"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["procedure", "number", "status", "valid_from", "valid_to"]
    inlines = [RequiredDocumentInline, ProcessStepInline]
    actions = ["publish"]
    fieldsets = (
        (None, {"fields": ("procedure", "number", "status", "name", "field", "agency", "level")}),
        (
            _("Time and fees"),
            {
                "fields": (
                    "processing_time_value",
                    "processing_time_unit",
                    "processing_time_text",
                    "fee_vnd",
                    "fee_text",
                )
            },
        ),
        (
            _("Service"),
            {
                "fields": (
                    "online_level",
                    "result_is_document",
                    "result_text",
                    "applicant_types",
                    "conditions",
                )
            },
        ),
        (
            _("Legal basis and publication"),
            {
                "fields": (
                    "legal_basis",
                    "decision_number",
                    "decision_date",
                    "effective_date",
                    "published_date",
                    "valid_from",
                    "valid_to",
                )
            },
        ),
    )

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        # A version in force or retired is a published record: change it by drafting a new version.
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.refresh_search_text(obj)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            try:
                services.publish_draft(code=version.procedure.code)
            except ServiceError as exc:
                self.message_user(request, f"{version.procedure.code}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(code)s published.") % {"code": version.procedure.code})


class VersionInline(admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    fields = ["number", "status", "name", "valid_from", "valid_to"]
    readonly_fields = ["number", "status", "name", "valid_from", "valid_to"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ["code", "created_at"]
    search_fields = ["code", "versions__name"]
    inlines = [VersionInline]
