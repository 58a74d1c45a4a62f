"""``GET /api/v1/dossiers/{id}/forms/{form}``: the printed forms 01–06 as PDF (contract §5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import NotFound
from motcua.core.public_url import public_base_url
from motcua.core.schema import error_response
from motcua.dossiers.forms.render import FORMS, filename, render_pdf
from motcua.dossiers.selectors import dossier_for_forms


class PDFRenderer(BaseRenderer):
    """Lets clients ask for ``Accept: application/pdf``; the PDF itself is returned as a plain HttpResponse."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


class DossierForm(APIView):
    """A printed form of Circular 03/2025/TT-VPCP for a dossier the caller may see."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        operation_id="dossier_form",
        parameters=[
            OpenApiParameter(
                "form",
                str,
                OpenApiParameter.PATH,
                enum=list(FORMS),
                description="; ".join(
                    f"{key}: Mẫu số {spec.number} {spec.name}" for key, spec in FORMS.items()
                ),
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The form, A4 PDF."),
            404: error_response("No such dossier for the caller, or no such form."),
            409: error_response("`form_not_available`: the form does not apply to the dossier yet."),
        },
    )
    def get(self, request: Request, dossier_id: int, form: str) -> HttpResponse:
        if form not in FORMS:
            raise NotFound()
        dossier = dossier_for_forms(request.user, dossier_id)
        pdf = render_pdf(form, dossier, base_url=public_base_url(request))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename(form, dossier)}"'
        response["Cache-Control"] = "private, no-store"  # personal data
        return response

    def handle_exception(self, exc: Exception) -> Response:
        # Errors are the JSON envelope, even for a client that asked for application/pdf only.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


urlpatterns = [
    path("dossiers/<int:dossier_id>/forms/<str:form>", DossierForm.as_view(), name="dossier-form"),
]
