"""SIPAS API (contract §10): thin views that parse, call a service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.current import user_of
from motcua.core.errors import InvalidInput
from motcua.core.replica import reads_from_replica
from motcua.core.schema import error_response
from motcua.sipas import exports, selectors, services
from motcua.sipas.payloads import (
    index_payload,
    progress_payload,
    questionnaire_payload,
    survey_payload,
    units_payload,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SurveyCreateSerializer(serializers.Serializer[None]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    agency_code = serializers.CharField(max_length=35)
    locals()["from"] = serializers.DateField()
    to = serializers.DateField()
    sample_size = serializers.IntegerField(min_value=1, max_value=1_000_000)


class PaperFormSerializer(serializers.Serializer[None]):
    unit_code = serializers.CharField(max_length=35)
    form_number = serializers.CharField(
        max_length=40, help_text="The number printed on the paper form; unique in the survey"
    )
    # Checked against the questionnaire by the service, which names the wrong item (answers.<code>).
    answers = serializers.JSONField(help_text='{"<item code>": 1..5 | null}')
    respondent = serializers.DictField(required=False, help_text="Part A: {question code: option}")
    perceptions = serializers.DictField(required=False, help_text="Q1–Q8, Q10: {question code: option}")


SURVEY = inline_serializer(
    "SipasSurvey",
    {"id": serializers.IntegerField(), "units": serializers.ListField(child=serializers.DictField())},
)
PROGRESS = inline_serializer(
    "SipasProgress",
    {"survey": serializers.IntegerField(), "units": serializers.ListField(child=serializers.DictField())},
)
INDEX = inline_serializer(
    "SipasIndex",
    {
        "overall": serializers.FloatField(allow_null=True),
        "responses": serializers.IntegerField(),
        "pillars": serializers.ListField(child=serializers.DictField()),
    },
)
UNITS = inline_serializer("SipasUnitIndex", {"units": serializers.ListField(child=serializers.DictField())})


class Surveys(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SurveyCreateSerializer,
        responses={201: SURVEY, 403: error_response("Admins only.")},
        summary="Create a SIPAS survey and its sampling plan",
    )
    def post(self, request: Request) -> Response:
        data = SurveyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body: dict[str, Any] = data.validated_data
        survey = services.create_survey(
            actor=user_of(request),
            year=body["year"],
            agency_code=body["agency_code"],
            starts_on=body["from"],
            ends_on=body["to"],
            sample_size=body["sample_size"],
        )
        return Response(survey_payload(survey), status=201)


class SurveyDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SURVEY, summary="A survey and its sampling plan")
    def get(self, request: Request, survey_id: int) -> Response:
        return Response(survey_payload(selectors.survey_get(user_of(request), survey_id)))


class SurveyProgress(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PROGRESS, summary="Forms submitted against each unit's quota")
    def get(self, request: Request, survey_id: int) -> Response:
        return Response(progress_payload(selectors.survey_get(user_of(request), survey_id)))


class PaperForms(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PaperFormSerializer,
        responses={
            201: inline_serializer("SipasResponse", {"id": serializers.IntegerField()}),
            403: error_response("Officers of the unit's agency (or above it) and admins only."),
            409: error_response("`duplicate`: this form number has already been entered."),
        },
        summary="Enter a paper form",
    )
    def post(self, request: Request, survey_id: int) -> Response:
        data = PaperFormSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        response = services.enter_paper_form(
            actor=user_of(request),
            survey_id=survey_id,
            unit_code=body["unit_code"],
            answers=body["answers"],
            respondent=body.get("respondent"),
            perceptions=body.get("perceptions"),
            form_number=body["form_number"],
        )
        return Response({"id": response.pk}, status=201)


class QuestionnaireView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: inline_serializer(
                "SipasQuestionnaire",
                {
                    "year": serializers.IntegerField(),
                    "pillars": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
        summary="The questionnaire in force in a year",
    )
    def get(self, request: Request, year: int) -> Response:
        questionnaire = selectors.questionnaire_for(year)
        return Response(questionnaire_payload(year, questionnaire, selectors.tree_of(questionnaire)))


class IndexView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("survey", int, required=True),
            OpenApiParameter("agency", str, description="Only the units under this agency"),
            OpenApiParameter("by", str, enum=["unit"], description="unit: each unit's overall, ranked"),
            OpenApiParameter("format", str, enum=["json", "xlsx"], description="Default: json"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="SipasIndexAnswer",
                    serializers=[INDEX, UNITS],
                    resource_type_field_name=None,
                ),
                description="The index; each unit's, ranked, with ?by=unit",
            ),
            (200, XLSX): OpenApiTypes.BINARY,
            400: error_response("`survey` missing; `agency` unknown; `by` or `format` not one of theirs."),
            404: error_response("No such survey, or not one of yours."),
        },
        summary="The SIPAS index of a survey",
    )
    @method_decorator(reads_from_replica)
    def get(self, request: Request) -> Response | HttpResponse:
        params = request.query_params
        raw = params.get("survey", "")
        if not raw.isdigit():
            raise InvalidInput(fields={"survey": [_("A survey id is required.")]})
        by, fmt = params.get("by") or "", params.get("format") or "json"
        if by not in ("", "unit"):
            raise InvalidInput(fields={"by": ["unit"]})
        if fmt not in ("json", "xlsx"):
            raise InvalidInput(fields={"format": ["json, xlsx"]})
        survey = selectors.survey_get(user_of(request), int(raw))
        agency = params.get("agency") or None
        if fmt == "xlsx":
            result = selectors.index(survey, agency_code=agency)
            units = selectors.index_by_unit(survey, agency_code=agency)
            texts = selectors.tree_of(survey.questionnaire).texts()
            views = selectors.perceptions(survey, agency_code=agency)
            response = HttpResponse(exports.to_xlsx(survey, result, units, texts, views), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="sipas-{survey.year}-{survey.pk}.xlsx"'
            return response
        if by == "unit":
            return Response(units_payload(selectors.index_by_unit(survey, agency_code=agency)))
        return Response(index_payload(selectors.index(survey, agency_code=agency)))


urlpatterns = [
    path("sipas/surveys", Surveys.as_view(), name="sipas-surveys"),
    path("sipas/surveys/<int:survey_id>", SurveyDetail.as_view(), name="sipas-survey"),
    path("sipas/surveys/<int:survey_id>/progress", SurveyProgress.as_view(), name="sipas-progress"),
    path("sipas/surveys/<int:survey_id>/responses", PaperForms.as_view(), name="sipas-responses"),
    path("sipas/questionnaires/<int:year>", QuestionnaireView.as_view(), name="sipas-questionnaire"),
    path("sipas/index", IndexView.as_view(), name="sipas-index"),
]
