"""The catalog admin's forms: a version as a manager edits it, turned into the exchange shape
(catalog/exchange.py) and checked by the API's serializers, so that the admin refuses what the API
refuses, with the same messages, next to the field concerned."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.catalog import exchange
from motcua.catalog.models import (
    ApplicantType,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.serializers import ProcedureInputSerializer, RequiredDocumentSerializer, StepSerializer
from motcua.core.api import _flatten

# Where an error of the exchange shape belongs on the form, when the names differ.
_FORM_FIELDS = {
    "agency_code": "agency",
    "implementing_agency_codes": "implementing_agencies",
    "processing_time.value": "processing_time_value",
    "processing_time.unit": "processing_time_unit",
}


class VersionForm(forms.ModelForm[ProcedureVersion]):
    code = forms.CharField(
        label=capfirst(_("national code")),
        max_length=40,
        help_text=_("The code in the national database of procedures, e.g. 1.001193."),
    )
    applicant_types = forms.MultipleChoiceField(
        label=capfirst(_("applicant types")),
        choices=ApplicantType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis = forms.CharField(
        label=capfirst(_("legal basis")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One legal document per line."),
    )

    class Meta:
        model = ProcedureVersion
        fields = [
            "name",
            "field",
            "agency",
            "implementing_agencies",
            "level",
            "processing_time_value",
            "processing_time_unit",
            "processing_time_text",
            "fee_vnd",
            "fee_text",
            "online_level",
            "result_is_document",
            "result_text",
            "conditions",
            "decision_number",
            "decision_date",
            "effective_date",
            "published_date",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields.pop("code", None)  # a procedure keeps its code for life
            self.initial["applicant_types"] = list(self.instance.applicant_types)
            self.initial["legal_basis"] = "\n".join(self.instance.legal_basis)
        if "implementing_agencies" in self.fields:
            self.fields["implementing_agencies"].required = False

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A procedure with code %(code)s already exists.") % {"code": code})
        return code

    def clean_legal_basis(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["legal_basis"].splitlines() if line.strip()]

    def procedure_code(self) -> str:
        return str(self.cleaned_data["code"] if self.instance.pk is None else self.instance.procedure.code)

    def header(self) -> dict[str, Any]:
        """The procedure in the exchange shape, without its documents and steps."""
        data = self.cleaned_data
        agency = data.get("agency")
        return {
            "code": data.get("code") or (self.instance.procedure.code if self.instance.pk else None),
            "name": data.get("name"),
            "agency_code": agency.code if agency else None,
            "implementing_agency_codes": [a.code for a in data.get("implementing_agencies") or []],
            "field": data.get("field"),
            "level": data.get("level"),
            "processing_time": {
                "value": data.get("processing_time_value"),
                "unit": data.get("processing_time_unit"),
            },
            "processing_time_text": data.get("processing_time_text", ""),
            "online_level": data.get("online_level"),
            "fee_vnd": data.get("fee_vnd"),
            "fee_text": data.get("fee_text", ""),
            "result_is_document": data.get("result_is_document"),
            "result_text": data.get("result_text", ""),
            "applicant_types": data.get("applicant_types") or [],
            "conditions": data.get("conditions", ""),
            "legal_basis": data.get("legal_basis") or [],
            "decision_number": data.get("decision_number", ""),
            "decision_date": data.get("decision_date"),
            "effective_date": data.get("effective_date"),
            "published_date": data.get("published_date"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            header = {**self.header(), "required_documents": [], "steps": []}
            serializer = ProcedureInputSerializer(data=header)
            if not serializer.is_valid():
                for key, messages in _flatten(serializer.errors).items():
                    name = _FORM_FIELDS.get(key, key.split(".")[0])
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned


class _RowsFormSet(BaseInlineFormSet):
    """An inline whose rows are checked by one of the API's serializers."""

    serializer: type[Any]

    def row(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def kept(self) -> list[Any]:
        """The rows that stay (not deleted, not a blank extra row), in the order of their position."""
        kept = [
            (form.cleaned_data.get("position") or 0, index, form)
            for index, form in enumerate(self.forms)
            if form.is_valid()
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]
        return [form for _position, _index, form in sorted(kept, key=lambda k: k[:2])]

    def rows(self) -> list[dict[str, Any]]:
        return [self.row(f.cleaned_data) for f in self.kept()]

    def clean(self) -> None:
        super().clean()
        for form in self.kept():
            serializer = self.serializer(data=self.row(form.cleaned_data))
            if not serializer.is_valid():
                for key, messages in _flatten(serializer.errors).items():
                    form.add_error(key if key in form.fields else None, messages)


class DocumentFormSet(_RowsFormSet):
    serializer = RequiredDocumentSerializer

    def row(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "code": data.get("code"),
            "name": data.get("name"),
            "required": data.get("required"),
            "form": data.get("form"),
            "count": data.get("count"),
        }


class StepFormSet(_RowsFormSet):
    serializer = StepSerializer

    def row(self, data: dict[str, Any]) -> dict[str, Any]:
        agency = data.get("agency")
        return {
            "name": data.get("name"),
            "agency_code": agency.code if agency else None,
            "role": data.get("role"),
            "working_hours": data.get("working_hours"),
        }


def spec_of(form: VersionForm, formsets: list[Any]) -> dict[str, Any]:
    """The whole procedure in the exchange shape, checked as the API checks it."""
    rows = {formset.model: formset.rows() for formset in formsets if isinstance(formset, _RowsFormSet)}
    return exchange.validated(
        {
            **form.header(),
            "required_documents": rows.get(RequiredDocument, []),
            "steps": rows.get(ProcessStep, []),
        }
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"),
        help_text=_("An XLSX workbook or a JSON document in the shape the export writes."),
    )


def field_label(key: str) -> str:
    """An error's place in the exchange shape ("steps.1.agency_code") in the manager's words."""
    parts = key.split(".")
    key = _FORM_FIELDS.get(".".join(parts[:2]), _FORM_FIELDS.get(parts[0], parts[0]))
    models = {"required_documents": RequiredDocument, "steps": ProcessStep}
    if parts[0] in models and len(parts) >= 3 and parts[1].isdigit():
        model = models[parts[0]]
        row = _("%(what)s %(number)s") % {"what": model._meta.verbose_name, "number": int(parts[1]) + 1}
        name = "agency" if parts[2] == "agency_code" else parts[2]
        return capfirst(f"{row}: {_verbose(model, name)}")
    if key == "code":
        return capfirst(str(Procedure._meta.get_field("code").verbose_name))
    label = capfirst(_verbose(ProcedureVersion, key))
    if key == "implementing_agencies" and len(parts) > 1 and parts[1].isdigit():
        return str(_("%(what)s, code %(number)s") % {"what": label, "number": int(parts[1]) + 1})
    return label


def _verbose(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a key of the exchange shape with no field of its own
        return name
