"""The Django admin for catalog managers. Every write goes through catalog.services, as the API's do:

- Procedures: the list a manager starts from (name, agency, field, level and status of the version
  in force), import and export; adding one opens a draft version 1.
- Versions: a draft is edited, then published ("Lưu và công bố"); a published version is read-only,
  and "Tạo bản dự thảo mới" copies it into the next draft.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.catalog import exchange, selectors, services
from motcua.catalog.admin_forms import (
    DocumentFormSet,
    ImportForm,
    StepFormSet,
    VersionForm,
    field_label,
    spec_of,
)
from motcua.catalog.models import (
    ApplicantType,
    Level,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    VersionStatus,
)
from motcua.core.errors import ServiceError


def _editable(version: ProcedureVersion | None) -> bool:
    """Only a draft is edited; a version in force or retired is a published record."""
    return version is None or version.status == VersionStatus.DRAFT


class _DraftRowsInline(admin.TabularInline[Any, ProcedureVersion]):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


class RequiredDocumentInline(_DraftRowsInline):
    model = RequiredDocument
    formset = DocumentFormSet
    fields = ["position", "code", "name", "form", "count", "required"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class ProcessStepInline(_DraftRowsInline):
    model = ProcessStep
    formset = StepFormSet
    fields = ["position", "name", "agency", "role", "working_hours"]
    autocomplete_fields = ["agency"]


_SERVICE = ("online_level", "result_is_document", "result_text", "applicant_types", "conditions")
_PUBLICATION = ("legal_basis", "decision_number", "decision_date", "effective_date", "published_date")
_SHOWN = {  # how a published version shows the fields a draft edits with widgets of their own
    "applicant_types": "applicant_types_display",
    "legal_basis": "legal_basis_display",
    "implementing_agencies": "implementing_agencies_display",
}


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    form = VersionForm
    list_display = ["procedure", "name", "number", "status", "field", "agency", "level", "online_level"]
    list_filter = ["status", "level", "online_level", "field"]
    list_select_related = ["procedure", "agency"]
    search_fields = ["search_text"]
    search_help_text = _("Code or name; accents and capitals do not matter.")
    autocomplete_fields = ["agency", "implementing_agencies"]
    inlines = [RequiredDocumentInline, ProcessStepInline]
    actions = ["publish", "copy_to_draft", "assign_every_commune"]

    class Media:
        css = {"all": ["catalog/admin.css"]}

    def get_fieldsets(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> Any:
        first = ("code",) if obj is None else ("procedure", "number", "status")
        fieldsets = [
            (None, {"fields": (*first, "name", "field", "level", "agency", "implementing_agencies")}),
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
            (_("Service"), {"fields": _SERVICE}),
            (
                _("Legal basis and publication"),
                {"fields": (*_PUBLICATION, *(() if obj is None else ("valid_from", "valid_to")))},
            ),
        ]
        if _editable(obj):
            return fieldsets
        return [(title, {"fields": [_SHOWN.get(f, f) for f in o["fields"]]}) for title, o in fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> Any:
        if obj is None:
            return ()
        if _editable(obj):
            return ("procedure", "number", "status", "valid_from", "valid_to")
        return [f for _title, options in self.get_fieldsets(request, obj) for f in options["fields"]]

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        """Only a draft may go, one at a time (no "delete selected" action on the list)."""
        return obj is not None and _editable(obj) and super().has_delete_permission(request, obj)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion], search_term: str
    ) -> tuple[QuerySet[ProcedureVersion], bool]:
        return selectors.matching(queryset, search_term), False

    @admin.display(description=_("applicant types"))
    def applicant_types_display(self, obj: ProcedureVersion) -> str:
        labels = dict(ApplicantType.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in obj.applicant_types)

    @admin.display(description=_("legal basis"))
    def legal_basis_display(self, obj: ProcedureVersion) -> str:
        return format_html_join("", "<p>{}</p>", ((line,) for line in obj.legal_basis))

    @admin.display(description=_("implementing agencies"))
    def implementing_agencies_display(self, obj: ProcedureVersion) -> str:
        agencies = obj.implementing_agencies.order_by("path")
        return format_html_join("", "<p>{} ({})</p>", ((a.name, a.code) for a in agencies))

    # --- writes: through the services, never a model save -------------------------------------------

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        """Nothing here: save_related, which sees the documents and steps too, writes the version."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        spec = spec_of(form, formsets)
        if change:
            version = services.draft_version(code=spec["code"], spec=spec)
        else:
            version = services.create_procedure(spec=spec, publish=False)
        form.instance.pk, form.instance.procedure, form.instance.number = (
            version.pk,
            version.procedure,
            version.number,
        )

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        return [{"added": {}}] if add else [{"changed": {"fields": form.changed_data}}]

    def response_add(self, request: HttpRequest, obj: ProcedureVersion, post_url_continue: Any = None) -> Any:
        return self._publish_if_asked(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: ProcedureVersion) -> Any:
        return self._publish_if_asked(request, obj) or super().response_change(request, obj)

    def _publish_if_asked(self, request: HttpRequest, obj: ProcedureVersion) -> HttpResponse | None:
        if "_publish" not in request.POST:
            return None
        version = services.publish_draft(code=obj.procedure.code)
        self.message_user(
            request,
            _("%(code)s: version %(number)s is now in force.")
            % {"code": obj.procedure.code, "number": version.number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:catalog_procedureversion_change", args=[version.pk]))

    def get_urls(self) -> list[URLPattern]:
        draft = path(
            "<int:object_id>/draft/",
            self.admin_site.admin_view(require_POST(self.copy_to_draft_view)),
            name="catalog_procedureversion_draft",
        )
        return [draft, *super().get_urls()]

    def copy_to_draft_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=object_id)
        try:
            draft = services.draft_from_version(code=version.procedure.code, number=version.number)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:catalog_procedureversion_change", args=[version.pk]))
        self.message_user(
            request,
            _("Draft version %(number)s of %(code)s created: edit it, then publish it.")
            % {"number": draft.number, "code": version.procedure.code},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:catalog_procedureversion_change", args=[draft.pk]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        version = self.get_object(request, object_id)
        draft = (
            ProcedureVersion.objects.filter(
                procedure_id=version.procedure_id, status=VersionStatus.DRAFT
            ).first()
            if version is not None
            else None
        )
        context = {**(extra_context or {}), "draft": draft, "editable": _editable(version)}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def render_change_form(self, request: HttpRequest, context: Any, *args: Any, **kwargs: Any) -> Any:
        context["show_publish"] = context.get("editable", True) and self.has_change_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    # --- actions on the list of versions ------------------------------------------------------------

    def _each(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion], write: Any, done: Any
    ) -> None:
        for version in queryset.select_related("procedure").order_by("procedure__code"):
            try:
                result = write(version)
            except ServiceError as exc:
                self.message_user(request, f"{version.procedure.code}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, done(version, result), messages.SUCCESS)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        self._each(
            request,
            queryset.filter(status=VersionStatus.DRAFT),
            lambda v: services.publish_draft(code=v.procedure.code),
            lambda v, _r: _("%(code)s published.") % {"code": v.procedure.code},
        )

    @admin.action(description=_("Create a new draft from the selected versions"))
    def copy_to_draft(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        self._each(
            request,
            queryset.exclude(status=VersionStatus.DRAFT),
            lambda v: services.draft_from_version(code=v.procedure.code, number=v.number),
            lambda v, draft: (
                _("Draft version %(number)s of %(code)s created: edit it, then publish it.")
                % {"number": draft.number, "code": v.procedure.code}
            ),
        )

    @admin.action(description=_("Have the selected drafts settled by every commune of the province"))
    def assign_every_commune(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        self._each(
            request,
            queryset.filter(status=VersionStatus.DRAFT),
            lambda v: services.assign_to_every_commune(code=v.procedure.code),
            lambda v, draft: (
                _("%(code)s: settled by %(count)s agencies.")
                % {"code": v.procedure.code, "count": draft.implementing_agencies.count()}
            ),
        )


class VersionInline(admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    fields = readonly_fields = ("number", "status", "name", "valid_from", "valid_to")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FieldFilter(admin.SimpleListFilter):
    title = _("field")
    parameter_name = "field"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [(name, f"{name} ({count})") for name, count in selectors.fields_with_counts()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(field=self.value()) if self.value() else queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return Level.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(level=self.value()) if self.value() else queryset


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [
            ("in_force", _("In force")),
            ("draft", _("A draft waits")),
            ("unpublished", _("Never published")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "in_force":
                return queryset.filter(current_number__isnull=False)
            case "draft":
                return queryset.filter(has_draft=True)
            case "unpublished":
                return queryset.filter(current_number__isnull=True)
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ["code", "name", "agency_name", "field", "level", "status"]
    list_display_links = ["code", "name"]
    list_filter = [StatusFilter, LevelFilter, FieldFilter]
    search_fields = ["code"]
    search_help_text = _("Code or name; accents and capitals do not matter.")
    fields = ["code", "created_at"]
    readonly_fields = ["code", "created_at"]
    inlines = [VersionInline]

    class Media:
        css = {"all": ["catalog/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        return selectors.procedures_for_admin()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        versions = selectors.matching(ProcedureVersion.objects.all(), search_term)
        return queryset.filter(pk__in=versions.values("procedure")), False

    @admin.display(description=_("name"), ordering="name")
    def name(self, obj: Any) -> str:
        return str(obj.name or "")

    @admin.display(description=_("resolving agency"), ordering="agency_name")
    def agency_name(self, obj: Any) -> str:
        return str(obj.agency_name or "")

    @admin.display(description=_("field"), ordering="field")
    def field(self, obj: Any) -> str:
        return str(obj.field or "")

    @admin.display(description=_("level"), ordering="level")
    def level(self, obj: Any) -> str:
        return str(dict(Level.choices).get(obj.level, obj.level or ""))

    @admin.display(description=_("status"))
    def status(self, obj: Any) -> str:
        if obj.current_number is None:
            return gettext("Draft, never published")
        text = gettext("In force (version %(number)s)") % {"number": obj.current_number}
        return format_html("{}<br>{}", text, gettext("A draft waits")) if obj.has_draft else text

    def has_delete_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        """A procedure once published stays (dossiers and the index refer to it); a draft-only one may go."""
        published = obj is None or obj.versions.exclude(status=VersionStatus.DRAFT).exists()
        return not published and super().has_delete_permission(request, obj)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """A new procedure is its first version: the version form, which writes through the service."""
        return HttpResponseRedirect(reverse("admin:catalog_procedureversion_add"))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        versions = ProcedureVersion.objects.filter(procedure_id=object_id)
        context = {
            **(extra_context or {}),
            "current": versions.filter(status=VersionStatus.CURRENT).first(),
            "draft": versions.filter(status=VersionStatus.DRAFT).first(),
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        view = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="catalog_procedure_import",
        )
        return [view, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import a catalog file, all or nothing, as POST /api/v1/procedures/import does; the errors
        are listed procedure by procedure (and row by row for a workbook)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the procedure catalog"),
            "opts": self.opts,
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                items = exchange.parse(upload.name, upload.read())
                context["report"] = services.import_items(items=items)
            except exchange.ExchangeError as exc:
                context["unreadable"] = exc
            except ServiceError as exc:
                context["message"] = exc.message
                context["problems"] = _problems(exc.fields, items, upload.name.lower().endswith(".xlsx"))
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)


def _problems(fields: dict[str, list[Any]], items: list[Any], workbook: bool) -> list[dict[str, Any]]:
    """The import's errors ("procedures.3.steps.0.role") grouped by procedure, in the file's order."""
    by_index: dict[int, list[tuple[str, str]]] = {}
    for key, messages_ in fields.items():
        _prefix, index, rest = key.split(".", 2) if key.count(".") >= 2 else ("", "0", key)
        by_index.setdefault(int(index), []).append((field_label(rest), " ".join(str(m) for m in messages_)))
    return [
        {
            "number": index + 1,
            "code": items[index].get("code") if isinstance(items[index], dict) else None,
            "row": index + 3 if workbook else None,  # two heading rows: the labels and the keys
            "errors": errors,
        }
        for index, errors in sorted(by_index.items())
    ]
