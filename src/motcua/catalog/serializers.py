"""The catalog's exchange shape: the API body of contract §3 plus the fields of a procedure sheet.

The same shape is used by POST /api/v1/procedures, the JSON/XLSX import and export, and the demo
data, so one serializer validates all of them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog.models import (
    ApplicantType,
    DocumentForm,
    Level,
    OnlineLevel,
    ProcedureVersion,
    StepRole,
    TimeUnit,
)

APPLICANT_TYPES = ApplicantType.values
MAX_IMPLEMENTING_AGENCIES = 5000  # a province's communes, wards and special zones, with room to spare


class ProcessingTimeSerializer(serializers.Serializer[None]):
    value = serializers.IntegerField(min_value=1, max_value=3650)
    unit = serializers.ChoiceField(choices=TimeUnit.choices)


class RequiredDocumentSerializer(serializers.Serializer[None]):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=2000)
    required = serializers.BooleanField(default=True)  # type: ignore[assignment]  # the contract's field is named like Field.required
    form = serializers.ChoiceField(choices=DocumentForm.choices, default=DocumentForm.ORIGINAL)
    count = serializers.IntegerField(min_value=1, max_value=100, default=1)


class StepSerializer(serializers.Serializer[None]):
    name = serializers.CharField(max_length=300)
    agency_code = serializers.CharField(max_length=35, required=False, allow_null=True, allow_blank=True)
    role = serializers.ChoiceField(choices=StepRole.choices)
    working_hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)


class ProcedureInputSerializer(serializers.Serializer[None]):
    code = serializers.RegexField(
        r"^\d\.\d{6}(\.[0-9A-Z.]+)?$",
        max_length=40,
        error_messages={"invalid": _("A national procedure code looks like 1.001193 (optionally .H15).")},
    )
    name = serializers.CharField(max_length=500)
    agency_code = serializers.CharField(max_length=35)
    implementing_agency_codes = serializers.ListField(
        child=serializers.CharField(max_length=35),
        required=False,
        default=list,
        max_length=MAX_IMPLEMENTING_AGENCIES,
        help_text="Every agency that settles the procedure (e.g. each commune People's Committee for a "
        "commune-level procedure). Defaults to [agency_code]; agency_code is always among them.",
    )
    field = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.PROVINCE)
    processing_time = ProcessingTimeSerializer()
    processing_time_text = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices)
    fee_vnd = serializers.IntegerField(min_value=0, max_value=10**12, default=0)
    fee_text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    result_is_document = serializers.BooleanField(default=True)
    result_text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=APPLICANT_TYPES), min_length=1, max_length=2
    )
    conditions = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    required_documents = RequiredDocumentSerializer(many=True, allow_empty=True)
    steps = StepSerializer(many=True, required=False, default=list)
    legal_basis = serializers.ListField(
        child=serializers.CharField(max_length=1000), required=False, default=list, max_length=100
    )
    decision_number = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, default=""
    )
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    published_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_required_documents(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        codes = [doc["code"] for doc in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Two documents have the same code."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("decision_number") is None:
            attrs["decision_number"] = ""
        if (
            attrs.get("published_date")
            and attrs.get("decision_date")
            and attrs["published_date"] < attrs["decision_date"]
        ):
            raise serializers.ValidationError(
                {
                    "published_date": [
                        _("A procedure cannot be made public before the decision that publishes it.")
                    ]
                }
            )
        return attrs


class ProcedureOutputSerializer(serializers.Serializer[ProcedureVersion]):
    """A procedure as it is published: the exchange shape plus its version and status."""

    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="number")
    status = serializers.CharField()
    name = serializers.CharField()
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    implementing_agency_codes = serializers.SerializerMethodField()
    field = serializers.CharField()
    level = serializers.CharField()
    processing_time = serializers.SerializerMethodField()
    processing_time_text = serializers.CharField()
    online_level = serializers.CharField()
    fee_vnd = serializers.IntegerField()
    fee_text = serializers.CharField()
    result_is_document = serializers.BooleanField()
    result_text = serializers.CharField()
    applicant_types = serializers.ListField(child=serializers.CharField())
    conditions = serializers.CharField()
    required_documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    legal_basis = serializers.ListField(child=serializers.CharField())
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    effective_date = serializers.DateField(allow_null=True)
    published_date = serializers.DateField(allow_null=True)
    valid_from = serializers.DateTimeField(allow_null=True, help_text="Null while a draft.")
    valid_to = serializers.DateTimeField(allow_null=True, help_text="Null while in force or a draft.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_implementing_agency_codes(self, obj: ProcedureVersion) -> list[str]:
        return sorted(a.code for a in obj.implementing_agencies.all())

    @extend_schema_field(ProcessingTimeSerializer)
    def get_processing_time(self, obj: ProcedureVersion) -> dict[str, Any]:
        return {"value": obj.processing_time_value, "unit": obj.processing_time_unit}

    @extend_schema_field(RequiredDocumentSerializer(many=True))
    def get_required_documents(self, obj: ProcedureVersion) -> list[dict[str, Any]]:
        return [
            {"code": d.code, "name": d.name, "required": d.required, "form": d.form, "count": d.count}
            for d in obj.required_documents.all()
        ]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj: ProcedureVersion) -> list[dict[str, Any]]:
        return [
            {
                "name": s.name,
                "agency_code": s.agency.code if s.agency else None,
                "role": s.role,
                "working_hours": str(s.working_hours),
            }
            for s in obj.steps.all()
        ]
