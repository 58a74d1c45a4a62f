"""Dossier API (contract §5): thin views that parse, call a service or selector, and render."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts import sessions
from motcua.accounts.current import user_of
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.schema import error_response
from motcua.core.throttling import WindowThrottle
from motcua.dossiers import commands, labels, selectors, services, signing
from motcua.dossiers.models import Dossier, ResultSigning
from motcua.dossiers.serializers import (
    ActionSerializer,
    DossierCreateSerializer,
    DossierSerializer,
    EventSerializer,
    LookupSerializer,
    RatingSerializer,
    local,
    timeliness_of,
)
from motcua.dossiers.workflow import Action
from motcua.files.downloads import download


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("agency", str, description="Receiving, resolving or current agency code"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("procedure", str),
        ],
        responses={
            200: DossierSerializer(many=True),
            400: error_response("`overdue` is neither true nor false."),
        },
    )
)
class DossierListCreate(ListAPIView[Dossier]):
    permission_classes = [IsAuthenticated]
    serializer_class = DossierSerializer

    def get_queryset(self) -> QuerySet[Dossier]:
        params = self.request.query_params
        overdue = params.get("overdue")
        if overdue not in (None, "", "true", "false"):
            raise InvalidInput(fields={"overdue": [_("Use true or false.")]})
        return selectors.dossier_list(
            self.request.user,
            status=params.get("status"),
            agency_code=params.get("agency"),
            overdue=None if not overdue else overdue == "true",
            procedure_code=params.get("procedure"),
        )

    @extend_schema(
        request=DossierCreateSerializer,
        responses={
            201: DossierSerializer,
            200: OpenApiResponse(
                DossierSerializer, description="The dossier an Idempotency-Key made before."
            ),
            409: error_response("`idempotency_key_reused`: the key came with a different request."),
        },
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER)],
    )
    def post(self, request: Request) -> Response:
        data = DossierCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
        dossier, created = services.create_dossier(
            actor=user_of(request),
            procedure_code=body["procedure_code"],
            channel=body["channel"],
            receiving_agency_code=body.get("receiving_agency_code") or None,
            resolving_agency_code=body.get("resolving_agency_code") or None,
            applicant=commands.Applicant(**body["applicant"]),
            documents=commands.documents(body.get("documents")),
            idempotency_key=key,
            vneid_verified=sessions.vneid_verified(request),
            population_lookup_id=str(body["population_lookup_id"])
            if body.get("population_lookup_id")
            else None,
        )
        shown = dossier if created else selectors.dossier_get(request.user, dossier.pk)
        return Response(DossierSerializer(shown).data, status=201 if created else 200)


class DossierDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DossierSerializer)
    def get(self, request: Request, dossier_id: int) -> Response:
        return Response(DossierSerializer(selectors.dossier_get(request.user, dossier_id)).data)


SigningSerializer = inline_serializer(
    "ResultSigning",
    {
        "state": serializers.ChoiceField(choices=["pending", "signed", "rejected", "expired", "failed"]),
        "requested_at": serializers.DateTimeField(),
        "finished_at": serializers.DateTimeField(allow_null=True),
        "signer": serializers.CharField(),
        "message": serializers.CharField(),
        "signed_file_id": serializers.UUIDField(allow_null=True),
    },
)


def signing_json(row: ResultSigning) -> dict[str, object]:
    return {
        "state": row.state,
        "requested_at": local(row.requested_at),
        "finished_at": local(row.finished_at) if row.finished_at else None,
        "signer": row.signer,
        "message": row.message,
        "signed_file_id": str(row.signed_file_id) if row.signed_file_id else None,
    }


class DossierActions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ActionSerializer,
        responses={
            200: DossierSerializer,
            202: inline_serializer("SigningPending", {"signing": SigningSerializer}),
        },
        description=(
            "With a signing service configured, `resolve` with a `result_file_id` (a PDF) has the result "
            "signed first (contract §8.6): 200 with the dossier once signed, verified and resolved; 202 "
            "while the leader has not yet confirmed in the signing app (send the same resolve again); 409 "
            "`signing_rejected` or `signing_expired` leaves the dossier in processing."
        ),
    )
    def post(self, request: Request, dossier_id: int) -> Response:
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        command = commands.build(Action(body["action"]), body)
        if isinstance(command, commands.Resolve) and command.result_file_id and signing.is_on():
            outcome = signing.resolve(actor=user_of(request), dossier_id=dossier_id, command=command)
            if outcome.dossier is None:
                return Response({"signing": signing_json(outcome.signing)}, status=202)
        else:
            services.act(actor=user_of(request), dossier_id=dossier_id, command=command)
        return Response(DossierSerializer(selectors.dossier_get(request.user, dossier_id)).data)


class DossierSigning(APIView):
    """The latest signing request of the dossier's result, for whoever may see the dossier."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SigningSerializer, 404: error_response("No signing request yet.")})
    def get(self, request: Request, dossier_id: int) -> Response:
        selectors.dossier_get(request.user, dossier_id)
        row = signing.latest(dossier_id)
        if row is None:
            raise NotFound(_("No signing request for this dossier."))
        return Response(signing_json(row))


class VerifyResult(APIView):
    """Anyone may check a result file: is it signed, intact, by whom, when, for which dossier."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes = [WindowThrottle]
    throttle_scope = "verify"

    @extend_schema(
        request={"multipart/form-data": inline_serializer("ResultFile", {"file": serializers.FileField()})},
        responses={
            200: inline_serializer(
                "ResultVerdict",
                {
                    "valid": serializers.BooleanField(),
                    "signer": serializers.CharField(allow_null=True),
                    "signed_at": serializers.DateTimeField(allow_null=True),
                    "dossier_code": serializers.CharField(allow_null=True),
                },
            ),
            503: error_response(
                "`signing_unavailable`: no signing service (and so no trust roots) is set up."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Choose the result file (PDF) to check.")]})
        verdict = signing.verify_result(upload.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1))
        return Response(
            {
                "valid": verdict.valid,
                "signer": verdict.signer or None,
                "signed_at": local(verdict.signed_at) if verdict.signed_at else None,
                "dossier_code": verdict.dossier_code or None,
            }
        )


class DossierEvents(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, dossier_id: int) -> Response:
        return Response(EventSerializer(selectors.dossier_events(request.user, dossier_id), many=True).data)


LookupResult = inline_serializer(
    "LookupResult",
    {
        "code": serializers.CharField(),
        "procedure_name": serializers.CharField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
        "received_at": serializers.DateTimeField(allow_null=True),
        "due_at": serializers.DateTimeField(allow_null=True),
        "resolved_at": serializers.DateTimeField(allow_null=True),
        "returned_at": serializers.DateTimeField(allow_null=True),
        "timeliness": serializers.CharField(allow_null=True),
        "current_agency": serializers.CharField(help_text="The agency that holds the dossier now."),
        "current_step": serializers.CharField(
            help_text="The procedure's step, or where its status places it."
        ),
        "steps": inline_serializer(
            "LookupHandover",
            {
                "agency": serializers.CharField(),
                "step": serializers.CharField(),
                "at": serializers.DateTimeField(),
                "done_at": serializers.DateTimeField(allow_null=True),
            },
            many=True,
        ),
        "e_result": serializers.BooleanField(),
        "result_downloadable": serializers.BooleanField(
            help_text="The electronic result can be downloaded (POST /api/v1/lookup/result)."
        ),
    },
)


class Lookup(APIView):
    """Public look-up by code and personal ID (in the body, never the URL). Rate-limited per client."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        request=LookupSerializer,
        responses={200: LookupResult, 404: error_response("No dossier with this code and personal ID.")},
    )
    def post(self, request: Request) -> Response:
        data = LookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.lookup(**data.validated_data)
        return Response(
            {
                "code": found.code,
                "procedure_name": found.procedure_name,
                "status": found.status,
                "status_label": labels.status_label(found.status),
                "received_at": local(found.received_at),
                "due_at": local(found.due_at),
                "resolved_at": local(found.resolved_at),
                "returned_at": local(found.returned_at),
                "timeliness": timeliness_of(found),
                "current_agency": found.holder,
                "current_step": labels.where_label(found.status, found.step),
                "steps": [
                    {"agency": h.agency, "step": h.step, "at": local(h.at), "done_at": local(h.done_at)}
                    for h in found.handovers
                ],
                "e_result": found.e_result,
                "result_downloadable": found.result_downloadable,
            }
        )


class LookupResultFile(APIView):
    """The electronic result by code and personal ID (in the body), once handed over. Rate-limited."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        request=LookupSerializer,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The result."),
            404: error_response("No dossier with this code and personal ID, or no result to download yet."),
        },
    )
    def post(self, request: Request) -> FileResponse:
        data = LookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = selectors.lookup_result_file(**data.validated_data)
        return download(stored, f"ket-qua-{data.validated_data['code']}.pdf")


class DossierResult(APIView):
    """The dossier's electronic result (contract §8.6): staff who may see it; the applicant once it
    has been handed over."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The result."),
            409: error_response("`result_not_returned`: the applicant gets it once it is handed over."),
        }
    )
    def get(self, request: Request, dossier_id: int) -> FileResponse:
        stored = selectors.result_file(request.user, dossier_id)
        return download(stored, f"ket-qua-{dossier_id}.pdf")


class Ratings(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        request=RatingSerializer,
        responses={
            201: inline_serializer(
                "RatingResult", {"code": serializers.CharField(), "satisfied": serializers.BooleanField()}
            ),
            404: error_response("No dossier with this code and personal ID."),
            409: error_response("`not_finished` or `already_rated`: rated once, when the result is ready."),
        },
    )
    def post(self, request: Request) -> Response:
        data = RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rate(**data.validated_data)
        return Response({"code": data.validated_data["code"], "satisfied": rating.satisfied}, status=201)


urlpatterns = [
    path("dossiers", DossierListCreate.as_view(), name="dossier-list"),
    path("dossiers/<int:dossier_id>", DossierDetail.as_view(), name="dossier-detail"),
    path("dossiers/<int:dossier_id>/actions", DossierActions.as_view(), name="dossier-actions"),
    path("dossiers/<int:dossier_id>/events", DossierEvents.as_view(), name="dossier-events"),
    path("dossiers/<int:dossier_id>/result", DossierResult.as_view(), name="dossier-result"),
    path("dossiers/<int:dossier_id>/signing", DossierSigning.as_view(), name="dossier-signing"),
    path("results/verify", VerifyResult.as_view(), name="result-verify"),
    path("lookup", Lookup.as_view(), name="lookup"),
    path("lookup/result", LookupResultFile.as_view(), name="lookup-result"),
    path("ratings", Ratings.as_view(), name="ratings"),
]
