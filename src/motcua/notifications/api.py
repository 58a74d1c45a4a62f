"""``GET /api/v1/dossiers/{id}/notifications`` (contract §8.4): what the applicant was told, by
which channel, to which (masked) number or address, and whether it went."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.dossiers.serializers import local
from motcua.notifications import selectors

NoticeSerializer = inline_serializer(
    "Notification",
    {
        "channel": serializers.CharField(help_text="sms, zalo or email"),
        "event": serializers.CharField(
            help_text="received, supplement_requested, payment_requested, extended, refused, stopped, result_ready"
        ),
        "to": serializers.CharField(help_text="Masked: 84******678, n***@example.com"),
        "status": serializers.CharField(help_text="pending, delivered, failed or skipped"),
        "sent_at": serializers.DateTimeField(allow_null=True),
    },
    many=True,
)


class DossierNotifications(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NoticeSerializer)
    def get(self, request: Request, dossier_id: int) -> Response:
        return Response(
            [
                {
                    "channel": n.channel,
                    "event": n.event,
                    "to": n.to,
                    "status": n.status,
                    "sent_at": local(n.sent_at),
                }
                for n in selectors.for_dossier(dossier_id, request.user)
            ]
        )


urlpatterns = [
    path(
        "dossiers/<int:dossier_id>/notifications",
        DossierNotifications.as_view(),
        name="dossier-notifications",
    ),
]
