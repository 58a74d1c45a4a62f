"""``POST /api/v1/population/lookup`` (contract §8.2): desk officers look a citizen up in the
National Population Database. The personal ID travels in the body, never the URL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts import identity
from motcua.accounts.current import user_of
from motcua.accounts.roles import Role
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.core.schema import error_response
from motcua.core.throttling import WindowThrottle
from motcua.integrations.population import services
from motcua.integrations.population.places import address_text
from motcua.integrations.population.ports import CitizenQuery, check_id_number

LOOKUP_ROLES = frozenset({Role.RECEIVER, Role.SPECIALIST, Role.LEADER})


class CanLookUp(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request.user, "role", None) in LOOKUP_ROLES


def _id_number(value: str) -> str:
    try:
        return check_id_number(value)
    except identity.InvalidIdentifier as exc:
        raise serializers.ValidationError(str(IDENTIFIER_MESSAGES[exc.reason])) from exc


class PopulationQuerySerializer(serializers.Serializer[None]):
    id_number = serializers.CharField(
        max_length=12, help_text="The 12-digit personal ID (or a 9-digit old ID card number)."
    )
    full_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)

    def validate_id_number(self, value: str) -> str:
        return _id_number(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("birth_date") and not attrs.get("birth_year"):
            raise serializers.ValidationError(
                {"birth_date": [_("Give the date of birth, or the year of birth.")]}
            )
        born: date | None = attrs.get("birth_date")
        if born is not None and born > date.today():  # noqa: DTZ011 — a calendar date
            raise serializers.ValidationError({"birth_date": [_("The date of birth is in the future.")]})
        return attrs


LookupResponse = inline_serializer(
    "PopulationLookupResult",
    {
        "lookup_id": serializers.UUIDField(
            help_text="Give it as population_lookup_id when creating the dossier, to use this record."
        ),
        "id_number": serializers.CharField(),
        "full_name": serializers.CharField(),
        "birth_date": serializers.DateField(
            allow_null=True, help_text="Null when the registry knows only the year."
        ),
        "sex": serializers.ChoiceField(choices=["male", "female", ""]),
        "permanent_address": serializers.CharField(help_text="Thường trú"),
        "current_address": serializers.CharField(help_text="Nơi ở hiện tại"),
    },
)


class PopulationLookupView(APIView):
    """Receivers, specialists and leaders; every call is audited and rate-limited per officer."""

    permission_classes = [IsAuthenticated, CanLookUp]
    throttle_classes = [WindowThrottle]
    throttle_scope = "population"

    @extend_schema(
        request=PopulationQuerySerializer,
        responses={
            200: LookupResponse,
            404: error_response(
                "`citizen_not_found`: no citizen with this personal ID, name and birth date."
            ),
            503: error_response(
                "`registry_unavailable`: the population database is down, too slow, or answered something "
                "unreadable; `registry_not_connected`: it is not configured for this province."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = PopulationQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        query = CitizenQuery(
            id_number=body["id_number"],
            full_name=body["full_name"],
            birth_date=body.get("birth_date"),
            birth_year=None if body.get("birth_date") else body.get("birth_year"),
        )
        row = services.lookup_citizen(officer=user_of(request), query=query)
        record = services.raise_unless_found(row)
        return Response(
            {
                "lookup_id": str(row.lookup_id),
                "id_number": record.id_number,
                "full_name": record.full_name,
                "birth_date": record.birth_date.isoformat() if record.birth_date else None,
                "sex": record.sex,
                "permanent_address": address_text(record.permanent_address),
                "current_address": address_text(record.current_address),
            }
        )


urlpatterns = [path("population/lookup", PopulationLookupView.as_view(), name="population-lookup")]
