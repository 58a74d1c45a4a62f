"""The electronic receipt (biên lai điện tử, integrations.md §4.3) of a paid order, as PDF.

The fields of a fee receipt (Decree 123/2020/NĐ-CP, Circular 78/2021/TT-BTC): the receipt's name, form
and series symbols and number, the collecting organisation and its tax code, the payer and their
identifier, each fee or charge with its amount, the total in figures and in words, how it was paid, the
date, and the collector's signature. Printed with the dossier forms' WeasyPrint set-up (Be Vietnam Pro).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict
from motcua.dossiers.forms.render import html_to_pdf
from motcua.dossiers.models import OrderChannel, Payment, PaymentStatus
from motcua.integrations.payment import services
from motcua.integrations.payment.words import in_words

KINDS = {"fee": "phí", "charge": "lệ phí"}
METHODS: dict[str, str] = {
    OrderChannel.NATIONAL_PORTAL: "Thanh toán trực tuyến qua Cổng Dịch vụ công quốc gia",
    OrderChannel.LOCAL_GATEWAY: "Thanh toán trực tuyến qua cổng thanh toán của tỉnh",
    OrderChannel.VIETQR: "Chuyển khoản (VietQR)",
    OrderChannel.COUNTER: "Nộp tại quầy (tiền mặt/thẻ)",
}


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def receipt_number(payment: Payment) -> str:
    return f"{payment.pk:07d}"


def context(payment: Payment) -> dict[str, object]:
    dossier = payment.dossier
    account = services.collecting_account(dossier.receiving_agency)
    lines = payment.items or [
        {"name": "Phí, lệ phí giải quyết thủ tục hành chính", "amount_vnd": payment.amount_vnd, "kind": "fee"}
    ]
    paid_at = timezone.localtime(payment.paid_at) if payment.paid_at else None
    return {
        "pattern": settings.MOTCUA_RECEIPT_PATTERN,
        "series": settings.MOTCUA_RECEIPT_SERIES,
        "number": receipt_number(payment),
        "collector": account.account_name if account else dossier.receiving_agency.name,
        "collector_tax_code": account.tax_code if account else "",
        "account": f"{account.account_number} — {account.bank_name or account.bank_bin}" if account else "—",
        "payer": dossier.applicant_name,
        "payer_id": dossier.applicant_id_number,
        "payer_address": dossier.applicant_address,
        "dossier_code": dossier.code or "",
        "procedure": dossier.procedure_version.name,
        "lines": [
            {
                "name": i["name"],
                "kind": KINDS.get(i.get("kind", "fee"), "phí"),
                "amount": money(int(i["amount_vnd"])),
            }
            for i in lines
        ],
        "total": money(payment.amount_vnd),
        "total_in_words": in_words(payment.amount_vnd),
        "method": METHODS.get(payment.channel or "", payment.channel or ""),
        "reference": payment.reference or "—",
        "transaction_id": payment.transaction_id or "—",
        "paid_on": f"{paid_at:%H:%M} ngày {paid_at:%d/%m/%Y}" if paid_at else "",
    }


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a paid order; Conflict(code="not_paid") otherwise."""
    if payment.status != PaymentStatus.PAID:
        raise Conflict(_("The order has not been paid; there is no receipt yet."), code="not_paid")
    return html_to_pdf(render_to_string("payment/receipt.html", context(payment)))


def filename(payment: Payment) -> str:
    return f"bien-lai-{receipt_number(payment)}.pdf"
