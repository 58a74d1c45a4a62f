"""PAR INDEX API (contract §11): thin views that parse, call a service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.current import user_of
from motcua.core.errors import InvalidInput
from motcua.core.schema import error_response
from motcua.par import exports, selectors, services
from motcua.par.models import Assessment, AssessmentUnit, Score

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POINTS = {"max_digits": 6, "decimal_places": 2, "coerce_to_string": False}


class AssessmentCreateSerializer(serializers.Serializer[None]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    framework = serializers.CharField(max_length=40, help_text="The framework's code, loaded for the year")
    unit_codes = serializers.ListField(
        child=serializers.CharField(max_length=35), min_length=1, max_length=500
    )
    deadline = serializers.DateField(
        required=False, help_text="Self-assessment deadline; default 15 January next year"
    )


class SelfScoreSerializer(serializers.Serializer[None]):
    # Checked against the criterion's maximum by the service, which names the field.
    self_score = serializers.DecimalField(max_digits=8, decimal_places=4, coerce_to_string=False)
    evidence_file_ids = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AppraisalSerializer(serializers.Serializer[None]):
    appraised_score = serializers.DecimalField(
        max_digits=8, decimal_places=4, coerce_to_string=False, required=False, allow_null=True
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    returned = serializers.BooleanField(
        required=False, default=False, help_text="Return the criterion to the unit for explanation"
    )


def assessment_payload(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "year": assessment.year,
        "framework": assessment.framework.code,
        "deadline": assessment.deadline.isoformat(),
        "units": [
            {
                "unit_code": u.agency.code,
                "name": u.agency.name,
                "submitted_at": u.submitted_at and u.submitted_at.isoformat(),
            }
            for u in assessment.units.select_related("agency")
        ],
    }


def score_payload(score: Score) -> dict[str, Any]:
    return {
        "criterion": score.criterion,
        "self_score": None if score.self_score is None else float(score.self_score),
        "note": score.note,
        "evidence_file_ids": sorted(str(f.pk) for f in score.evidence.all()),
        "appraised_score": None if score.appraised_score is None else float(score.appraised_score),
        "comment": score.comment,
        "state": score.state,
    }


ASSESSMENT = inline_serializer(
    "ParAssessment",
    {
        "id": serializers.IntegerField(),
        "year": serializers.IntegerField(),
        "framework": serializers.CharField(),
        "deadline": serializers.DateTimeField(),
        "units": serializers.ListField(child=serializers.DictField()),
    },
)
SCORE = inline_serializer(
    "ParScore",
    {
        "criterion": serializers.CharField(),
        "self_score": serializers.FloatField(allow_null=True),
        "note": serializers.CharField(),
        "evidence_file_ids": serializers.ListField(child=serializers.CharField()),
        "appraised_score": serializers.FloatField(allow_null=True),
        "comment": serializers.CharField(),
        "state": serializers.CharField(help_text="draft, returned, explained or appraised"),
    },
)
UNIT = inline_serializer(
    "ParUnit",
    {"unit_code": serializers.CharField(), "submitted_at": serializers.DateTimeField(allow_null=True)},
)
INDEX = inline_serializer(
    "ParIndex",
    {"assessment": serializers.IntegerField(), "units": serializers.ListField(child=serializers.DictField())},
)


class Assessments(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={201: ASSESSMENT, 403: error_response("Admins only.")},
        summary="Open a PAR INDEX assessment of a year over the given units",
    )
    def post(self, request: Request) -> Response:
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body: dict[str, Any] = data.validated_data
        assessment = services.create_assessment(
            actor=user_of(request),
            year=body["year"],
            framework_code=body["framework"],
            unit_codes=body["unit_codes"],
            deadline=body.get("deadline"),
        )
        return Response(assessment_payload(assessment), status=201)


class AssessmentDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ASSESSMENT, summary="An assessment and its units")
    def get(self, request: Request, assessment_id: int) -> Response:
        return Response(assessment_payload(selectors.assessment_get(user_of(request), assessment_id)))


class SelfScore(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SelfScoreSerializer,
        responses={
            200: SCORE,
            403: error_response("The unit's own officers and admins only."),
            409: error_response("`already_submitted`, or `deadline_passed`."),
        },
        summary="A unit's self-score of a criterion, with evidence and a note",
    )
    def put(self, request: Request, assessment_id: int, unit_code: str, criterion: str) -> Response:
        data = SelfScoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        score = services.set_self_score(
            actor=user_of(request),
            assessment_id=assessment_id,
            unit_code=unit_code,
            criterion=criterion,
            self_score=body["self_score"],
            evidence_file_ids=body.get("evidence_file_ids", []),
            note=body.get("note", ""),
        )
        return Response(score_payload(score))


class Submit(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: UNIT,
            403: error_response("The unit's leader only."),
            409: error_response("`already_submitted`, or `deadline_passed`."),
        },
        summary="Submit the unit's self-assessment",
    )
    def post(self, request: Request, assessment_id: int, unit_code: str) -> Response:
        unit: AssessmentUnit = services.submit(
            actor=user_of(request), assessment_id=assessment_id, unit_code=unit_code
        )
        return Response(
            {
                "unit_code": unit.agency.code,
                "submitted_at": unit.submitted_at and unit.submitted_at.isoformat(),
            }
        )


class Appraisal(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AppraisalSerializer,
        responses={
            200: SCORE,
            403: error_response("Admins and appraisers (permission par.appraise_assessment) only."),
            409: error_response("`not_submitted`, or `awaiting_explanation`."),
        },
        summary="Appraise a criterion, or return it for explanation",
    )
    def put(self, request: Request, assessment_id: int, unit_code: str, criterion: str) -> Response:
        data = AppraisalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        score = services.appraise(
            actor=user_of(request),
            assessment_id=assessment_id,
            unit_code=unit_code,
            criterion=criterion,
            appraised_score=body.get("appraised_score"),
            comment=body.get("comment", ""),
            returned=body.get("returned", False),
        )
        return Response(score_payload(score))


class IndexView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("assessment", int, required=True),
            OpenApiParameter("format", str, enum=["json", "xlsx"], description="Default: json"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(INDEX, description="The units, ranked"),
            (200, XLSX): OpenApiTypes.BINARY,
            400: error_response("`assessment` missing; `format` not json or xlsx."),
            404: error_response("No such assessment, or not one of yours."),
        },
        summary="The PAR INDEX of an assessment's units, ranked",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        params = request.query_params
        raw = params.get("assessment", "")
        if not raw.isdigit():
            raise InvalidInput(fields={"assessment": [_("An assessment id is required.")]})
        fmt = params.get("format") or "json"
        if fmt not in ("json", "xlsx"):
            raise InvalidInput(fields={"format": ["json, xlsx"]})
        assessment = selectors.assessment_get(user_of(request), int(raw))
        rows = selectors.index(assessment)
        if fmt == "xlsx":
            content = exports.to_xlsx(assessment, selectors.framework_of(assessment), rows)
            response = HttpResponse(content, content_type=XLSX)
            response["Content-Disposition"] = (
                f'attachment; filename="par-index-{assessment.year}-{assessment.pk}.xlsx"'
            )
            return response
        return Response({"assessment": assessment.pk, "units": [selectors.unit_payload(r) for r in rows]})


urlpatterns = [
    path("par/assessments", Assessments.as_view(), name="par-assessments"),
    path("par/assessments/<int:assessment_id>", AssessmentDetail.as_view(), name="par-assessment"),
    path(
        "par/assessments/<int:assessment_id>/units/<str:unit_code>/scores/<str:criterion>",
        SelfScore.as_view(),
        name="par-self-score",
    ),
    path(
        "par/assessments/<int:assessment_id>/units/<str:unit_code>/submit",
        Submit.as_view(),
        name="par-submit",
    ),
    path(
        "par/assessments/<int:assessment_id>/units/<str:unit_code>/appraisals/<str:criterion>",
        Appraisal.as_view(),
        name="par-appraisal",
    ),
    path("par/index", IndexView.as_view(), name="par-index"),
]
