"""Petition API shapes (contract §9). The public shape has no field of the sender at all."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.accounts.roles import Role
from motcua.core.log_filters import mask
from motcua.dossiers.serializers import local
from motcua.petitions import lifecycle
from motcua.petitions.models import About, Petition
from motcua.petitions.selectors import timeliness_of

PHONE = r"^\+?\d{8,15}$"


class SubmitterSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=["individual", "organization"], default="individual")
    full_name = serializers.CharField(max_length=200)
    phone = serializers.RegexField(PHONE, max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PetitionCreateSerializer(serializers.Serializer[None]):
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=settings.MOTCUA_PAKN_MAX_CONTENT)
    about = serializers.ChoiceField(choices=About.choices)
    procedure_code = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    agency_code = serializers.CharField(max_length=35, required=False, allow_blank=True, allow_null=True)
    dossier_code = serializers.CharField(max_length=60, required=False, allow_blank=True, allow_null=True)
    submitter = SubmitterSerializer()
    publish_consent = serializers.BooleanField()


class PetitionActionSerializer(serializers.Serializer[None]):
    """One body for every action; each reads the fields it needs (contract §9)."""

    action = serializers.ChoiceField(choices=[a.value for a in lifecycle.Action])
    agency_code = serializers.CharField(max_length=35, required=False, allow_blank=True, allow_null=True)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    answer = serializers.CharField(
        max_length=settings.MOTCUA_PAKN_MAX_CONTENT, required=False, allow_blank=True
    )
    file_id = serializers.UUIDField(required=False, allow_null=True, format="hex_verbose")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class EvaluationSerializer(serializers.Serializer[None]):
    satisfied = serializers.BooleanField()
    id_number = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(PHONE, max_length=20, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("id_number") or attrs.get("phone")):
            raise serializers.ValidationError(
                {"id_number": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


class _Times(serializers.Serializer[Petition]):
    received_at = serializers.SerializerMethodField()
    answered_at = serializers.SerializerMethodField()
    published_at = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField())
    def get_received_at(self, obj: Petition) -> str | None:
        return local(obj.received_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_answered_at(self, obj: Petition) -> str | None:
        return local(obj.answered_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_published_at(self, obj: Petition) -> str | None:
        return local(obj.published_at)


class PublicPetitionSerializer(_Times):
    """A published answer: the question and the answer, never who asked. Numbers that look like a
    phone or an ID number in what the sender wrote are masked."""

    code = serializers.CharField()
    title = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    about = serializers.CharField()
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    answer = serializers.CharField()

    def get_title(self, obj: Petition) -> str:
        return mask(obj.title)

    def get_content(self, obj: Petition) -> str:
        return mask(obj.content)


class StaffSubmitterSerializer(serializers.Serializer[None]):
    kind = serializers.CharField()
    full_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    id_number = serializers.CharField()
    address = serializers.CharField()


class PetitionSerializer(_Times):
    """A petition as the staff handling it (and its sender) see it."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    content = serializers.CharField()
    about = serializers.CharField()
    channel = serializers.CharField()
    procedure_code = serializers.CharField(source="procedure.code", allow_null=True, default=None)
    dossier_code = serializers.CharField(source="dossier.code", allow_null=True, default=None)
    first_agency_code = serializers.CharField(source="first_agency.code")
    agency_code = serializers.CharField(source="agency.code")
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    publish_consent = serializers.BooleanField()
    due_at = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    reason = serializers.CharField()
    answer_draft = serializers.SerializerMethodField()
    answer = serializers.CharField()
    submitter = StaffSubmitterSerializer()

    @extend_schema_field(serializers.CharField())
    def get_status_label(self, obj: Petition) -> str:
        return lifecycle.label(lifecycle.Status(obj.status), translation.get_language())

    @extend_schema_field(
        serializers.DateTimeField(allow_null=True, help_text="Deadline of the current step.")
    )
    def get_due_at(self, obj: Petition) -> str | None:
        return local(obj.due_at)

    @extend_schema_field(serializers.ChoiceField(choices=[t.value for t in lifecycle.Timeliness]))
    def get_timeliness(self, obj: Petition) -> str:
        return timeliness_of(obj).value

    @extend_schema_field(
        serializers.CharField(help_text="A specialist's draft awaiting a leader's approval; staff only.")
    )
    def get_answer_draft(self, obj: Petition) -> str:
        """The draft is the agency's internal work: the sender sees the approved answer only."""
        user = getattr(self.context.get("request"), "user", None)
        staff = user is not None and user.is_authenticated and getattr(user, "role", "") != Role.CITIZEN
        return obj.answer_draft if staff else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: Petition) -> list[str]:
        return [a.value for a in lifecycle.allowed_actions(lifecycle.Status(obj.status))]


class PetitionEventSerializer(serializers.Serializer[Any]):
    at = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    agency_code = serializers.CharField(source="agency.code", allow_null=True, default=None)
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()

    @extend_schema_field(serializers.DateTimeField())
    def get_at(self, obj: Any) -> str | None:
        return local(obj.at)
