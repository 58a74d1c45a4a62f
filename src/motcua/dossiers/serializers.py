"""Dossier API shapes (contract §5)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.dossiers import commands, labels, workflow
from motcua.dossiers.models import Channel, Dossier, Payment
from motcua.dossiers.selectors import LookupResult


class ApplicantSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=["individual", "organization"], default="individual")
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        r"^\+?\d{8,15}$", max_length=20, required=False, allow_blank=True, default=""
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DocumentInSerializer(serializers.Serializer[None]):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=2000)
    file_id = serializers.UUIDField(required=False, allow_null=True, format="hex_verbose")
    warehouse_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="A document of the applicant's warehouse (GET /api/v1/me/documents), reused instead "
        "of uploaded again; not together with file_id.",
    )


# The facts the Decision 766 index counts (contract §8.2, last point): MotCua sets them from what
# happened; a client that sends them is told so rather than silently ignored. import-dossiers carries them.
FACT_FLAGS = (
    "vneid_verified",
    "population_data_used",
    "e_result",
    "result_pushed_to_warehouse",
    "payment_channel",
    "synced_to_national_portal",
)
DOCUMENT_FACT_FLAGS = ("digitized", "reused", "from_warehouse")


def refuse_fact_flags(initial: Any) -> None:
    """400 naming each index flag the body tries to set."""
    if not isinstance(initial, dict):
        return
    message = _("MotCua sets this from what really happened; it cannot be sent.")
    errors = {flag: [message] for flag in FACT_FLAGS if flag in initial}
    documents = initial.get("documents")
    if isinstance(documents, list):
        for i, document in enumerate(documents):
            if isinstance(document, dict):
                errors |= {
                    f"documents.{i}.{flag}": [message] for flag in DOCUMENT_FACT_FLAGS if flag in document
                }
    if errors:
        raise serializers.ValidationError(errors)


class DossierCreateSerializer(serializers.Serializer[None]):
    procedure_code = serializers.CharField(max_length=40)
    channel = serializers.ChoiceField(choices=Channel.choices)
    receiving_agency_code = serializers.CharField(
        max_length=35, required=False, allow_null=True, allow_blank=True
    )
    resolving_agency_code = serializers.CharField(
        max_length=35,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="One of the procedure's implementing agencies (default: its agency_code).",
    )
    applicant = ApplicantSerializer()
    documents = DocumentInSerializer(many=True, required=False, default=list, max_length=100)  # type: ignore[call-arg]  # ListSerializer takes max_length; the stubs do not know it
    population_lookup_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        format="hex_verbose",
        help_text="A look-up of yours in the population database (POST /api/v1/population/lookup) that found "
        "the applicant: their blank fields are filled from it and the dossier has population_data_used.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fact_flags(self.initial_data)
        if not attrs.get("population_lookup_id"):
            missing = {
                name: [_("This field is required.")]
                for name in ("full_name", "id_number")
                if not attrs["applicant"][name]
            }
            if missing:
                raise serializers.ValidationError({"applicant": missing})
        return attrs


class ItemsField(serializers.ListField):
    """``request_supplement``: the documents asked for (strings); ``request_payment``: the order's lines,
    ``{"name", "amount_vnd", "kind": "fee"|"charge"}``."""

    child = serializers.JSONField()


class ActionSerializer(serializers.Serializer[None]):
    """One body for every action; each action reads the fields it needs (contract §5 table)."""

    action = serializers.ChoiceField(choices=[a.value for a in workflow.Action])
    items = ItemsField(required=False, max_length=100)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    documents = DocumentInSerializer(many=True, required=False, max_length=100)  # type: ignore[call-arg]  # as above
    agency_code = serializers.CharField(max_length=35, required=False, allow_null=True, allow_blank=True)
    step = serializers.CharField(max_length=300, required=False, allow_null=True, allow_blank=True)
    amount_vnd = serializers.IntegerField(min_value=1, max_value=10**12, required=False)
    method = serializers.ChoiceField(choices=["online", "counter", "post"], required=False)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    gateway = serializers.ChoiceField(choices=["national_portal", "local_gateway"], required=False)
    new_due_at = serializers.DateTimeField(required=False)
    outcome = serializers.ChoiceField(choices=["approved", "rejected"], required=False)
    result_file_id = serializers.UUIDField(required=False, allow_null=True, format="hex_verbose")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        action = workflow.Action(attrs["action"])
        missing = [f for f in commands.required(action) if f not in attrs]
        if missing:
            raise serializers.ValidationError(
                {f: [serializers.Field.default_error_messages["required"]] for f in missing}
            )
        if "items" in attrs:
            attrs["items"] = self._items(action, attrs)
        return attrs

    @staticmethod
    def _items(action: workflow.Action, attrs: dict[str, Any]) -> list[Any]:
        items = attrs["items"]
        if action is not workflow.Action.REQUEST_PAYMENT:
            if not all(isinstance(i, str) and len(i) <= 2000 for i in items):
                raise serializers.ValidationError(
                    {"items": [_("Each item is a text of at most 2000 characters.")]}
                )
            return list(items)
        try:
            lines = commands.payment_items(items)
        except ValueError:
            raise serializers.ValidationError(
                {"items": [_("Each item is {name, amount_vnd, kind: fee or charge} with a positive amount.")]}
            ) from None
        if lines and "amount_vnd" in attrs and sum(i.amount_vnd for i in lines) != attrs["amount_vnd"]:
            raise serializers.ValidationError({"items": [_("The items must add up to amount_vnd.")]})
        return [vars(i) for i in lines]


class DossierDocumentSerializer(serializers.Serializer[None]):
    """A document of a dossier as the API shows it (the shape of ``get_documents``)."""

    code = serializers.CharField()
    name = serializers.CharField()
    file_id = serializers.UUIDField(allow_null=True)
    digitized = serializers.BooleanField()
    reused = serializers.BooleanField()
    from_warehouse = serializers.BooleanField()
    added_at = serializers.DateTimeField()
    supplemented = serializers.BooleanField(help_text="Handed in answer to a supplement request.")


class SupplementRequestSerializer(serializers.Serializer[None]):
    requested_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True, help_text="Null while awaited.")
    items = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class PaymentSerializer(serializers.Serializer[None]):
    """A payment order (contract §8.3)."""

    id = serializers.IntegerField()
    amount_vnd = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["pending", "paid", "failed"])
    channel = serializers.ChoiceField(
        choices=["national_portal", "vietqr", "counter", "local_gateway"],
        allow_null=True,
        help_text="Null until the applicant chooses how to pay.",
    )
    reference = serializers.CharField(
        allow_null=True, help_text="MaThamChieu: the order's reference on the platform and in a transfer."
    )
    paid_at = serializers.DateTimeField(allow_null=True, help_text="Null until paid.")
    receipt_available = serializers.BooleanField(help_text="GET …/payments/{id}/receipt gives the e-receipt.")
    requested_at = serializers.DateTimeField()
    method = serializers.CharField(allow_null=True, help_text="online or counter; null until paid.")
    items = serializers.ListField(child=serializers.DictField(), help_text="{name, amount_vnd, kind}")


def local(value: Any) -> str | None:
    """ISO 8601 with the +07:00 offset (contract §2)."""
    return value.astimezone(timezone.get_default_timezone()).isoformat() if value else None


class DossierSerializer(serializers.Serializer[Dossier]):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    procedure_code = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    receiving_agency_code = serializers.CharField(source="receiving_agency.code")
    resolving_agency_code = serializers.CharField(source="resolving_agency.code")
    current_agency_code = serializers.CharField(source="current_agency.code")
    channel = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    sync_code = serializers.SerializerMethodField()
    applicant = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField()
    received_at = serializers.SerializerMethodField()
    due_at = serializers.SerializerMethodField()
    original_due_at = serializers.SerializerMethodField()
    resolved_at = serializers.SerializerMethodField()
    returned_at = serializers.SerializerMethodField()
    outcome = serializers.CharField(allow_null=True)
    timeliness = serializers.SerializerMethodField()
    clock_paused = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    supplement_requests = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    # The facts the 766 index counts, set by MotCua from what happened (contract §8.2).
    vneid_verified = serializers.BooleanField(help_text="Submitted in a session opened with VNeID.")
    population_data_used = serializers.BooleanField(
        help_text="Applicant data came from the population database."
    )
    e_result = serializers.BooleanField()
    result_pushed_to_warehouse = serializers.BooleanField()
    payment_channel = serializers.CharField(allow_null=True)
    synced_to_national_portal = serializers.BooleanField()

    @extend_schema_field(serializers.CharField())
    def get_status_label(self, obj: Dossier) -> str:
        return labels.status_label(obj.status)

    @extend_schema_field(serializers.CharField())
    def get_current_step(self, obj: Dossier) -> str:
        """The procedure's step the dossier is at, or where its status places it, in the reader's language."""
        return labels.where(obj)

    def get_sync_code(self, obj: Dossier) -> int:
        return workflow.SYNC_CODE[workflow.Status(obj.status)]

    @extend_schema_field(ApplicantSerializer)
    def get_applicant(self, obj: Dossier) -> dict[str, str]:
        return {
            "kind": obj.applicant_kind,
            "full_name": obj.applicant_name,
            "id_number": obj.applicant_id_number,
            "phone": obj.applicant_phone,
            "email": obj.applicant_email,
            "address": obj.applicant_address,
        }

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, obj: Dossier) -> str | None:
        return local(obj.submitted_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_received_at(self, obj: Dossier) -> str | None:
        return local(obj.received_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, obj: Dossier) -> str | None:
        return local(obj.due_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_original_due_at(self, obj: Dossier) -> str | None:
        return local(obj.original_due_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_resolved_at(self, obj: Dossier) -> str | None:
        return local(obj.resolved_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_returned_at(self, obj: Dossier) -> str | None:
        return local(obj.returned_at)

    @extend_schema_field(
        serializers.ChoiceField(choices=[t.value for t in workflow.Timeliness], allow_null=True)
    )
    def get_timeliness(self, obj: Dossier) -> str | None:
        return timeliness_of(obj)

    def get_clock_paused(self, obj: Dossier) -> bool:
        return obj.paused_at is not None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: Dossier) -> list[str]:
        return [a.value for a in workflow.allowed_actions(workflow.Status(obj.status))]

    @extend_schema_field(DossierDocumentSerializer(many=True))
    def get_documents(self, obj: Dossier) -> list[dict[str, Any]]:
        return [
            {
                "code": d.code,
                "name": d.name,
                "file_id": str(d.file_id) if d.file_id else None,
                "digitized": d.digitized,
                "reused": d.reused,
                "from_warehouse": d.from_warehouse,
                "added_at": local(d.added_at),
                "supplemented": d.supplement_id is not None,
            }
            for d in obj.documents.all()
        ]

    @extend_schema_field(SupplementRequestSerializer(many=True))
    def get_supplement_requests(self, obj: Dossier) -> list[dict[str, Any]]:
        return [
            {
                "requested_at": local(s.requested_at),
                "completed_at": local(s.completed_at),
                "items": s.items,
                "reason": s.reason,
            }
            for s in obj.supplement_requests.all()
        ]

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, obj: Dossier) -> list[dict[str, Any]]:
        return [payment_json(p) for p in obj.payments.all()]


def payment_json(p: Payment) -> dict[str, Any]:
    return {
        "id": p.id,
        "amount_vnd": p.amount_vnd,
        "status": p.status,
        "channel": p.channel,
        "reference": p.reference or None,
        "paid_at": local(p.paid_at),
        "receipt_available": p.receipt_available,
        "requested_at": local(p.requested_at),
        "method": p.method or None,
        "items": p.items,
    }


def timeliness_of(obj: Dossier | LookupResult) -> str | None:
    value = workflow.timeliness(
        status=workflow.Status(obj.status),
        resolved_at=obj.resolved_at,
        due_at=obj.due_at,
        original_due_at=obj.original_due_at,
        supplements_after_receipt=obj.supplements_after_receipt,
        paused_at=obj.paused_at,
        now=timezone.now(),
        tz=timezone.get_default_timezone(),
    )
    return value.value if value else None


class EventSerializer(serializers.Serializer[Any]):
    at = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    data = serializers.DictField()  # type: ignore[assignment]  # the event's field is named like Serializer.data

    @extend_schema_field(serializers.DateTimeField())
    def get_at(self, obj: Any) -> str | None:
        return local(obj.at)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, obj: Any) -> str | None:
        return str(obj.actor) if obj.actor else None


class LookupSerializer(serializers.Serializer[None]):
    code = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=14)


class RatingSerializer(serializers.Serializer[None]):
    code = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=14)
    satisfied = serializers.BooleanField()
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
