"""Paying a dossier's payment order (contract §8.3): checkout, the platform's confirmation, the
reconciliation by QUERY, and bank transfers (VietQR) confirmed by the desk or a bank statement.

Every way an order gets paid ends in the dossier's ``pay`` action (``dossiers.services.act`` for a
person, ``act_as_system`` on the platform's word), so the event log, the clock and the flags move the
same way whatever the channel. Logs name the order's reference and the reason, never the payer.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency, CollectingAccount
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from motcua.core.text import fold
from motcua.dossiers import commands, workflow
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, OrderChannel, Payment, PaymentStatus
from motcua.dossiers.selectors import visible_dossiers
from motcua.integrations import registry, transport
from motcua.integrations.payment import vietqr
from motcua.integrations.payment.ports import (
    Account,
    BadSignature,
    Line,
    PaymentEvent,
    PaymentRequest,
    PaymentState,
)

log = logging.getLogger("motcua.payments")

CHECKOUT_CHANNELS = ("national_portal", "vietqr")
RECONCILE_AFTER = timedelta(minutes=30)  # TD's window: from 30 minutes to 3 days after INIT
RECONCILE_UNTIL = timedelta(days=3)
REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE = re.compile(rf"DVC\d{{8}}[{REFERENCE_LETTERS}]{{5}}")


class PaymentNotConnected(ServiceError):
    status = 503
    code = "payment_not_connected"
    default_message = _("The national payment platform is not connected.")


class PaymentUnavailable(ServiceError):
    status = 503
    code = "payment_unavailable"
    default_message = _(
        "The national payment platform cannot be reached right now. Please try again later, or pay by "
        "bank transfer or at the counter."
    )


class NoCollectingAccount(ServiceError):
    status = 409
    code = "no_collecting_account"
    default_message = _("The agency has no collecting account for payments; please pay at the counter.")


class ConfirmRefused(ServiceError):
    """A confirmation that changes nothing: answered 400 with the error envelope."""

    status = 400

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(message, code=code)


# --- reading ------------------------------------------------------------------------------------


def new_reference(payment: Payment) -> str:
    """MaThamChieu: ``DVC``, the order's number on 8 digits and 5 random letters — never reused, even by
    another database speaking to the same platform, and short enough for a transfer's description beside
    the dossier code. Letters, so that no run of digits looks like a phone or personal ID number to the
    logs' masking."""
    suffix = "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(5))
    return f"DVC{payment.pk:08d}{suffix}"


def collecting_account(agency: Agency) -> CollectingAccount | None:
    """The agency's collecting account, or its nearest ancestor's."""
    codes = [c for c in agency.path.strip("/").split("/") if c] or [agency.code]
    found = {
        a.agency.code: a
        for a in CollectingAccount.objects.select_related("agency").filter(agency__code__in=codes)
    }
    return next((found[c] for c in reversed(codes) if c in found), None)


def order_for(actor: User, dossier_id: int, payment_id: int) -> Payment:
    """An order of a dossier the actor may see (404 otherwise)."""
    payment = (
        Payment.objects.select_related(
            "dossier", "dossier__procedure_version", "dossier__receiving_agency", "dossier__resolving_agency"
        )
        .filter(pk=payment_id, dossier__in=visible_dossiers(actor).filter(pk=dossier_id))
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def _may_pay(actor: User, dossier: Dossier) -> bool:
    """The applicant, or the desk on their behalf: staff holding the dossier, receivers where it was received."""
    holding = workflow.Holding(
        dossier.current_agency_id, dossier.receiving_agency_id, dossier.applicant_user_id
    )
    if workflow.may_act(dossier_services.actor_of(actor), workflow.Action.PAY, holding):
        return True
    return actor.role == "receiver" and actor.agency_id == dossier.receiving_agency_id


def payable(actor: User, dossier_id: int, payment_id: int) -> Payment:
    payment = order_for(actor, dossier_id, payment_id)
    if not _may_pay(actor, payment.dossier):
        raise Forbidden(_("You may not pay this order."))
    if payment.status == PaymentStatus.PAID:
        raise Conflict(_("This order has already been paid."), code="already_paid")
    if payment.dossier.status != workflow.Status.AWAITING_PAYMENT:
        raise Conflict(_("The dossier is not awaiting payment."), code="not_awaiting_payment")
    return payment


# --- checkout -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    redirect_url: str = ""
    qr_payload: str = ""


def _with_reference(payment: Payment) -> Payment:
    if not payment.reference:
        Payment.objects.filter(pk=payment.pk, reference="").update(reference=new_reference(payment))
        payment.reference = Payment.objects.values_list("reference", flat=True).get(pk=payment.pk)
    return payment


def transfer_purpose(payment: Payment) -> str:
    """What a transfer's description (tag 62/08) carries: the order's reference and the dossier's code."""
    return vietqr.clean(f"{payment.reference} {payment.dossier.code or ''}", 60)


def qr_payload(payment: Payment) -> str:
    account = collecting_account(payment.dossier.receiving_agency)
    if account is None:
        raise NoCollectingAccount()
    return vietqr.payload(
        bank_bin=account.bank_bin,
        account=account.account_number,
        amount=payment.amount_vnd,
        purpose=transfer_purpose(payment),
        bill_number=payment.reference,
    )


def checkout(
    *, actor: User, dossier_id: int, payment_id: int, channel: str, base_url: str, client_ip: str
) -> Checkout:
    """Start paying an order: the platform's checkout page, or a VietQR payload for a bank transfer."""
    if channel not in CHECKOUT_CHANNELS:
        raise InvalidInput(fields={"channel": [_("Use national_portal or vietqr.")]})
    payment = _with_reference(payable(actor, dossier_id, payment_id))
    if channel == "vietqr":
        payload = qr_payload(payment)
        Payment.objects.filter(pk=payment.pk).update(
            channel=OrderChannel.VIETQR, status=PaymentStatus.PENDING
        )
        return Checkout(qr_payload=payload)
    gateway = registry.payment_gateway()
    if gateway is None:
        raise PaymentNotConnected()
    account = collecting_account(payment.dossier.receiving_agency)
    if account is None:
        raise NoCollectingAccount()
    now = timezone.now()
    try:
        started = gateway.init(_request(payment, account, now, base_url=base_url, client_ip=client_ip))
    except transport.IntegrationError as exc:
        log.warning("payment INIT failed for %s: %s", payment.reference, exc.detail)
        raise PaymentUnavailable() from exc
    Payment.objects.filter(pk=payment.pk).update(
        channel=OrderChannel.NATIONAL_PORTAL, checkout_at=now, status=PaymentStatus.PENDING
    )
    return Checkout(redirect_url=started.redirect_url)


def _request(
    payment: Payment, account: CollectingAccount, now: datetime, *, base_url: str, client_ip: str
) -> PaymentRequest:
    dossier = payment.dossier
    code = dossier.code or str(dossier.pk)
    lines = tuple(Line(i["name"], int(i["amount_vnd"]), i.get("kind", "fee")) for i in payment.items) or (
        Line(str(_("Fees and charges")), payment.amount_vnd),
    )
    return PaymentRequest(
        reference=payment.reference,
        amount_vnd=payment.amount_vnd,
        description=f"THANH TOAN HO SO {code}",
        initiated_at=now,
        client_ip=client_ip or "127.0.0.1",
        confirm_url=f"{base_url}/integrations/payment/confirm",
        return_url=f"{base_url}/thanh-toan/ket-qua",
        dossier_code=code,
        procedure_code=dossier.procedure_version.procedure.code,
        procedure_name=dossier.procedure_version.name,
        agency_code=dossier.receiving_agency.code,
        agency_name=dossier.receiving_agency.name,
        account=Account(account.bank_bin, account.account_number, account.account_name),
        payer_name=fold(dossier.applicant_name).upper(),
        payer_id_number=dossier.applicant_id_number,
        payer_address=dossier.applicant_address,
        lines=lines,
    )


# --- the platform's word ----------------------------------------------------------------------------


def confirm(body: dict[str, Any]) -> dict[str, str]:
    """Apply the platform's CONFIRM; the wire reply. ConfirmRefused when it changes nothing."""
    gateway = registry.payment_gateway()
    if gateway is None:
        raise PaymentNotConnected()
    try:
        event = gateway.parse_confirm(body)
    except BadSignature as exc:
        log.warning("payment CONFIRM refused: %s", exc)
        raise ConfirmRefused("bad_signature", _("The confirmation's signature is not valid.")) from exc
    settle(event, source="confirm")
    return gateway.confirm_reply(error_code="00", message="Thanh cong")


def settle(event: PaymentEvent, *, source: str) -> Payment:
    """A verified confirmation (or a QUERY's answer): the order paid or failed, or ConfirmRefused."""
    payment = Payment.objects.filter(reference=event.reference).first()
    if payment is None:
        log.warning("payment %s refused: unknown reference %s", source, event.reference)
        raise ConfirmRefused("unknown_reference", _("No payment order has this reference."))
    if event.currency != "VND" or event.amount_vnd != payment.amount_vnd:
        log.warning(
            "payment %s refused for %s: amount or currency differs from the order", source, event.reference
        )
        raise ConfirmRefused("wrong_amount", _("The amount or currency is not the order's."))
    if payment.status == PaymentStatus.PAID:
        log.warning(
            "payment %s for %s ignored: already paid (%s)", source, event.reference, event.transaction_id
        )
        raise ConfirmRefused("already_confirmed", _("This order has already been paid."))
    if not event.succeeded:
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED, transaction_id=event.transaction_id
        )
        log.info("payment %s: %s failed (MaLoi %s)", source, event.reference, event.error_code)
        payment.refresh_from_db()
        return payment
    try:
        dossier_services.act_as_system(
            dossier_id=payment.dossier_id,
            command=commands.Pay(
                amount_vnd=event.amount_vnd,
                method="online",
                reference=event.transaction_id,
                gateway=OrderChannel.NATIONAL_PORTAL,
                payment_id=payment.pk,
            ),
        )
    except Conflict as exc:  # paid meanwhile, or the dossier left awaiting_payment
        log.warning("payment %s for %s not applied: %s", source, event.reference, exc.code)
        raise ConfirmRefused("already_confirmed", exc.message) from exc
    log.info("payment %s: %s paid", source, event.reference)
    payment.refresh_from_db()
    return payment


# --- reconciliation ------------------------------------------------------------------------------


@dataclass
class Reconciled:
    asked: int = 0
    paid: int = 0
    failed: int = 0
    pending: int = 0
    errors: int = 0


def reconcile(*, now: datetime | None = None) -> Reconciled:
    """QUERY the platform about orders started there from 30 minutes to 3 days ago and still pending."""
    gateway = registry.payment_gateway()
    done = Reconciled()
    if gateway is None:
        return done
    now = now or timezone.now()
    # Every order started on the platform, even if the payer then chose a transfer: they may have paid there.
    due = Payment.objects.filter(
        status=PaymentStatus.PENDING,
        checkout_at__lte=now - RECONCILE_AFTER,
        checkout_at__gte=now - RECONCILE_UNTIL,
    ).order_by("checkout_at")
    for payment in due:
        assert payment.checkout_at is not None  # noqa: S101 — filtered above
        done.asked += 1
        try:
            answer = gateway.query(payment.reference, payment.checkout_at)
        except transport.IntegrationError as exc:
            log.warning("payment QUERY failed for %s: %s", payment.reference, exc.detail)
            done.errors += 1
            continue
        if answer.state is PaymentState.PENDING or answer.event is None:
            done.pending += 1
            continue
        try:
            settled = settle(answer.event, source="query")
        except ConfirmRefused as exc:
            log.warning("payment QUERY answer for %s not applied: %s", payment.reference, exc.code)
            done.errors += 1
            continue
        if settled.status == PaymentStatus.PAID:
            done.paid += 1
        elif answer.state is PaymentState.FAILED:
            done.failed += 1
    return done


# --- bank transfers (VietQR) ----------------------------------------------------------------------


def confirm_transfer(*, actor: User, dossier_id: int, payment_id: int, transaction_id: str = "") -> Dossier:
    """The desk saw the transfer on the agency's account: the order is paid through VietQR."""
    payment = order_for(actor, dossier_id, payment_id)
    if actor.role not in workflow.STAFF_ACTING:
        raise Forbidden(_("Only the desk confirms a bank transfer."))
    if payment.status == PaymentStatus.PAID:
        raise Conflict(_("This order has already been paid."), code="already_paid")
    return dossier_services.act(
        actor=actor,
        dossier_id=dossier_id,
        command=commands.Pay(
            amount_vnd=payment.amount_vnd,
            method="online",
            reference=transaction_id,
            gateway=OrderChannel.VIETQR,
            payment_id=payment.pk,
        ),
    )


@dataclass(frozen=True)
class Transfer:
    """One credit line of a bank statement."""

    amount_vnd: int
    description: str
    transaction_id: str = ""


@dataclass
class Matched:
    paid: list[str]
    unmatched: list[int]  # line numbers (1-based) no order matched


def apply_statement(transfers: list[Transfer], *, actor: User | None = None) -> Matched:
    """Settle the pending orders whose reference a transfer's description carries, for the exact amount;
    with an ``actor`` (a desk upload), only orders of dossiers they can see."""
    result = Matched([], [])
    orders = (
        Payment.objects.all()
        if actor is None
        else Payment.objects.filter(dossier__in=visible_dossiers(actor))
    )
    for line, transfer in enumerate(transfers, 1):
        found = REFERENCE.search(transfer.description.upper().replace(" ", ""))
        payment = (
            orders.filter(reference=found.group(0), status=PaymentStatus.PENDING).first() if found else None
        )
        if payment is None or payment.amount_vnd != transfer.amount_vnd:
            result.unmatched.append(line)
            continue
        try:
            with transaction.atomic():
                dossier_services.act_as_system(
                    dossier_id=payment.dossier_id,
                    command=commands.Pay(
                        amount_vnd=payment.amount_vnd,
                        method="online",
                        reference=transfer.transaction_id,
                        gateway=OrderChannel.VIETQR,
                        payment_id=payment.pk,
                    ),
                )
        except Conflict:
            result.unmatched.append(line)
            continue
        result.paid.append(payment.reference)
    return result
