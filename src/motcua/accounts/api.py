from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts import services, sessions
from motcua.accounts.current import user_of
from motcua.core.throttling import WindowThrottle


class TokenRequestSerializer(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenView(APIView):
    """Exchange a username and password for a Bearer token. Throttled against password guessing."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"token": services.issue_token(**data.validated_data)})


class MeSerializer(serializers.Serializer[None]):
    username = serializers.CharField()
    role = serializers.CharField()
    agency_code = serializers.CharField(allow_null=True)
    full_name = serializers.CharField()
    id_number = serializers.CharField(allow_null=True)
    vneid_verified = serializers.BooleanField(
        help_text="This session was opened with VNeID (never for a Bearer token)."
    )


class MeView(APIView):
    """Who is calling (contract §8.1): any logged-in user, by session (with its CSRF token) or Bearer token."""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = user_of(request)
        agency = user.agency
        return Response(
            {
                "username": user.username,
                "role": user.role,
                "agency_code": agency.code if agency is not None else None,
                "full_name": user.full_name,
                "id_number": user.id_number,
                "vneid_verified": sessions.vneid_verified(request),
            }
        )


urlpatterns = [
    path("auth/token", TokenView.as_view(), name="auth-token"),
    path("me", MeView.as_view(), name="me"),
]
