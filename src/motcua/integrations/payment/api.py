"""Payments over HTTP (contract §8.3): checkout, the QR image, the e-receipt, the public look-up's receipt,
and the platform's confirmation at ``POST /integrations/payment/confirm`` (outside /api/v1)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.http import HttpResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.current import user_of
from motcua.core.api import error_body
from motcua.core.errors import NotFound
from motcua.core.public_url import public_base_url
from motcua.core.schema import error_response
from motcua.core.throttling import WindowThrottle
from motcua.dossiers.forms.api import PDFRenderer
from motcua.dossiers.models import Payment
from motcua.dossiers.serializers import LookupSerializer
from motcua.integrations.payment import receipts, services


class CheckoutSerializer(serializers.Serializer[None]):
    channel = serializers.ChoiceField(choices=list(services.CHECKOUT_CHANNELS))


CheckoutResult = inline_serializer(
    "PaymentCheckout",
    {
        "redirect_url": serializers.URLField(
            required=False, help_text="national_portal: send the payer's browser here."
        ),
        "qr_payload": serializers.CharField(
            required=False, help_text="vietqr: the EMVCo/VietQR payload, with its CRC."
        ),
        "qr_image_url": serializers.CharField(required=False, help_text="vietqr: the QR code as SVG."),
    },
)


def qr_image_path(payment: Payment) -> str:
    return reverse("payment-qr", args=[payment.dossier_id, payment.pk])


class PaymentCheckout(APIView):
    """The applicant, or the desk on their behalf, starts paying an order."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="payment_checkout",
        request=CheckoutSerializer,
        responses={
            200: CheckoutResult,
            409: error_response(
                "`already_paid`, `not_awaiting_payment`, or `no_collecting_account` (the agency has no "
                "account to pay into)."
            ),
            503: error_response(
                "`payment_unavailable`: the platform cannot be reached; `payment_not_connected`: it is not "
                "configured."
            ),
        },
    )
    def post(self, request: Request, dossier_id: int, payment_id: int) -> Response:
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = data.validated_data["channel"]
        started = services.checkout(
            actor=user_of(request),
            dossier_id=dossier_id,
            payment_id=payment_id,
            channel=channel,
            base_url=public_base_url(request),
            client_ip=str(request.META.get("REMOTE_ADDR", "")),
        )
        if channel == "vietqr":
            payment = services.order_for(user_of(request), dossier_id, payment_id)
            return Response({"qr_payload": started.qr_payload, "qr_image_url": qr_image_path(payment)})
        return Response({"redirect_url": started.redirect_url})


class SVGRenderer(PDFRenderer):
    media_type = "image/svg+xml"
    format = "svg"


class PaymentQR(APIView):
    """The VietQR code of an order awaiting a bank transfer, as SVG."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, SVGRenderer]

    @extend_schema(
        operation_id="payment_qr",
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.BINARY, description="The QR code."),
            409: error_response("`already_paid`, `not_awaiting_payment` or `no_collecting_account`."),
        },
    )
    def get(self, request: Request, dossier_id: int, payment_id: int) -> HttpResponse:
        payment = services.payable(user_of(request), dossier_id, payment_id)
        if not payment.reference:
            raise NotFound()
        out = io.BytesIO()
        segno.make(services.qr_payload(payment), error="m").save(out, kind="svg", scale=6, border=2)
        response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def _pdf(payment: Payment) -> HttpResponse:
    response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipts.filename(payment)}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


class PDFView(APIView):
    """Answers a PDF, and its errors in the JSON envelope even to a client that asked for PDF only."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class PaymentReceipt(PDFView):
    """The e-receipt (biên lai điện tử) of a paid order: the applicant, staff who can see the dossier."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="payment_receipt",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The receipt."),
            409: error_response("`not_paid`: the order has not been paid yet."),
        },
    )
    def get(self, request: Request, dossier_id: int, payment_id: int) -> HttpResponse:
        return _pdf(services.order_for(user_of(request), dossier_id, payment_id))


class LookupReceiptSerializer(LookupSerializer):
    payment_id = serializers.IntegerField(help_text="The order's id, from the dossier's payments.")


class LookupReceipt(PDFView):
    """The e-receipt by dossier code and personal ID (in the body, never the URL). Rate-limited."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WindowThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="lookup_receipt",
        request=LookupReceiptSerializer,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The receipt."),
            404: error_response("No dossier with this code and personal ID, or no such order."),
            409: error_response("`not_paid`: the order has not been paid yet."),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        data = LookupReceiptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        payment = (
            Payment.objects.select_related(
                "dossier", "dossier__procedure_version", "dossier__receiving_agency"
            )
            .filter(
                pk=body["payment_id"],
                dossier__code=body["code"],
                dossier__applicant_id_number=body["id_number"],
            )
            .first()
        )
        if payment is None:
            raise NotFound()
        return _pdf(payment)


class PaymentConfirm(APIView):
    """The national payment platform's CONFIRM (IPN): signed, anonymous, idempotent on the transaction."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        body: Any = request.data
        if not isinstance(body, dict):
            body = {}
        try:
            reply = services.confirm(dict(body))
        except services.ConfirmRefused as exc:
            # Contract §2: a 4xx body is the envelope and nothing else; the platform's own error codes
            # are not published (integrations.md §4.1), so the status says "not accepted".
            return Response(error_body(exc.code, exc.message), status=400)
        return Response(reply)


api_urlpatterns = [
    path(
        "dossiers/<int:dossier_id>/payments/<int:payment_id>/checkout",
        PaymentCheckout.as_view(),
        name="payment-checkout",
    ),
    path(
        "dossiers/<int:dossier_id>/payments/<int:payment_id>/qr.svg", PaymentQR.as_view(), name="payment-qr"
    ),
    path(
        "dossiers/<int:dossier_id>/payments/<int:payment_id>/receipt",
        PaymentReceipt.as_view(),
        name="payment-receipt",
    ),
    path("lookup/receipt", LookupReceipt.as_view(), name="lookup-receipt"),
]

confirm_urlpatterns = [path("confirm", PaymentConfirm.as_view(), name="payment-confirm")]
