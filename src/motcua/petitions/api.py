"""Petition API (contract §9): thin views that parse, call a service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from motcua.accounts.current import user_of
from motcua.core.errors import InvalidInput
from motcua.core.schema import error_response
from motcua.core.throttling import WindowThrottle
from motcua.petitions import commands, selectors, services
from motcua.petitions.models import Petition
from motcua.petitions.serializers import (
    EvaluationSerializer,
    PetitionActionSerializer,
    PetitionCreateSerializer,
    PetitionEventSerializer,
    PetitionSerializer,
    PublicPetitionSerializer,
)

ListItem = PolymorphicProxySerializer(
    component_name="PetitionListItem",
    serializers=[PetitionSerializer, PublicPetitionSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("agency", str, description="Agency code (holding it, or first sent to)"),
            OpenApiParameter(
                "published",
                bool,
                description="true: published answers, without personal data (anyone; the default without login)",
            ),
            OpenApiParameter("about", str, description="regulation, procedure, staff_conduct or other"),
            OpenApiParameter(
                "search", str, description="Words of the title, content or answer; diacritics optional"
            ),
        ],
        responses={200: ListItem, 400: error_response("`published` is neither true nor false.")},
    )
)
class PetitionListCreate(ListAPIView[Petition]):
    """Anyone may send a petition (rate-limited) and read the published answers; staff see their
    agency's petitions, citizens their own."""

    permission_classes = [AllowAny]
    throttle_scope = "petition"

    def get_throttles(self) -> list[BaseThrottle]:
        request = getattr(self, "request", None)
        return [WindowThrottle()] if request is not None and request.method == "POST" else []

    def _public(self) -> bool:
        published = self.request.query_params.get("published")
        if published not in (None, "", "true", "false"):
            raise InvalidInput(fields={"published": [_("Use true or false.")]})
        return published == "true" or not self.request.user.is_authenticated

    def get_serializer_class(self) -> Any:
        return PublicPetitionSerializer if self._public() else PetitionSerializer

    def get_queryset(self) -> QuerySet[Petition]:
        params = self.request.query_params
        if self._public():
            return selectors.published_petitions(
                agency_code=params.get("agency") or None,
                about=params.get("about") or None,
                search=params.get("search"),
            )
        return selectors.petition_list(
            self.request.user,
            status=params.get("status") or None,
            agency_code=params.get("agency") or None,
            search=params.get("search"),
        )

    @extend_schema(
        request=PetitionCreateSerializer,
        responses={
            201: PetitionSerializer,
            403: error_response("A petition by letter or phone is entered by staff only."),
        },
    )
    def post(self, request: Request) -> Response:
        data = PetitionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        user = user_of(request) if request.user.is_authenticated else None
        petition = services.submit(
            actor=user,
            title=body["title"],
            content=body["content"],
            about=body["about"],
            procedure_code=body.get("procedure_code") or None,
            agency_code=body.get("agency_code") or None,
            dossier_code=body.get("dossier_code") or None,
            submitter=commands.SubmitterIn(**body["submitter"]),
            publish_consent=body["publish_consent"],
        )
        shown = Petition.objects.select_related(
            "agency", "first_agency", "submitter", "procedure", "dossier"
        ).get(pk=petition.pk)
        return Response(PetitionSerializer(shown).data, status=201)


class PetitionDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PetitionSerializer)
    def get(self, request: Request, petition_id: int) -> Response:
        shown = selectors.petition_get(request.user, petition_id)
        return Response(PetitionSerializer(shown, context={"request": request}).data)


class PetitionActions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PetitionActionSerializer, responses=PetitionSerializer)
    def post(self, request: Request, petition_id: int) -> Response:
        data = PetitionActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        command = commands.build(data.validated_data)
        services.act(actor=user_of(request), petition_id=petition_id, command=command)
        shown = selectors.petition_get(request.user, petition_id)
        return Response(PetitionSerializer(shown, context={"request": request}).data)


class PetitionEvents(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PetitionEventSerializer(many=True))
    def get(self, request: Request, petition_id: int) -> Response:
        return Response(
            PetitionEventSerializer(selectors.petition_events(request.user, petition_id), many=True).data
        )


class Evaluations(APIView):
    """The sender rates the answer once, proving who they are with the ID number or phone they gave
    (in the body, never the URL)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        request=EvaluationSerializer,
        responses={
            201: inline_serializer(
                "EvaluationResult", {"code": serializers.CharField(), "satisfied": serializers.BooleanField()}
            ),
            404: error_response("No petition with this code sent with this ID number or phone."),
            409: error_response("`not_answered` or `already_evaluated`: rated once, when answered."),
        },
    )
    def post(self, request: Request, code: str) -> Response:
        data = EvaluationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        evaluation = services.evaluate(
            code=code, satisfied=body["satisfied"], id_number=body["id_number"], phone=body["phone"]
        )
        return Response({"code": code, "satisfied": evaluation.satisfied}, status=201)


urlpatterns = [
    path("petitions", PetitionListCreate.as_view(), name="petition-list"),
    path("petitions/<int:petition_id>", PetitionDetail.as_view(), name="petition-detail"),
    path("petitions/<int:petition_id>/actions", PetitionActions.as_view(), name="petition-actions"),
    path("petitions/<int:petition_id>/events", PetitionEvents.as_view(), name="petition-events"),
    path("petitions/<str:code>/evaluations", Evaluations.as_view(), name="petition-evaluations"),
]
