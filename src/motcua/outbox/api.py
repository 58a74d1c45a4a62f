"""The outbox for admins (contract §8): ``GET /api/v1/integrations/outbox?state=failed`` lists
messages, ``POST /api/v1/integrations/outbox/{id}/retry`` puts a dead letter back in line."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.permissions import IsAdminRole
from motcua.core.errors import InvalidInput
from motcua.core.schema import error_response
from motcua.dossiers.serializers import local
from motcua.outbox import selectors, services
from motcua.outbox.models import OutboxMessage, State


class OutboxMessageSerializer(serializers.Serializer[OutboxMessage]):
    id = serializers.IntegerField()
    target = serializers.CharField(help_text="The counterpart: sms, zalo, email, payment, dvcqg, …")
    event = serializers.CharField()
    key = serializers.CharField(help_text="The idempotency key the receiver sees.")
    dossier_code = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=State.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.SerializerMethodField()
    next_attempt_at = serializers.SerializerMethodField()
    delivered_at = serializers.SerializerMethodField()

    def get_dossier_code(self, obj: OutboxMessage) -> str | None:
        return obj.dossier.code if obj.dossier is not None else None

    def get_created_at(self, obj: OutboxMessage) -> str | None:
        return local(obj.created_at)

    def get_next_attempt_at(self, obj: OutboxMessage) -> str | None:
        return local(obj.next_attempt_at) if obj.state == State.PENDING else None

    def get_delivered_at(self, obj: OutboxMessage) -> str | None:
        return local(obj.delivered_at)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("state", enum=[s.value for s in State]),
            OpenApiParameter("target", str),
        ]
    )
)
class OutboxList(ListAPIView[OutboxMessage]):
    permission_classes = [IsAdminRole]
    serializer_class = OutboxMessageSerializer

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        state = self.request.query_params.get("state") or None
        if state is not None and state not in State.values:
            raise InvalidInput(
                fields={"state": [_("Use one of: %(states)s.") % {"states": ", ".join(State.values)}]}
            )
        return selectors.messages(state=state, target=self.request.query_params.get("target") or None)


class OutboxRetry(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        request=None,
        responses={200: OutboxMessageSerializer, 409: error_response("The message has not failed.")},
    )
    def post(self, request: Request, message_id: int) -> Response:
        message = services.retry(message_id)
        return Response(OutboxMessageSerializer(message).data)


urlpatterns = [
    path("integrations/outbox", OutboxList.as_view(), name="outbox-list"),
    path("integrations/outbox/<int:message_id>/retry", OutboxRetry.as_view(), name="outbox-retry"),
]
