"""Writes for dossiers: creation and every action of contract §5.

Each function is one transaction that locks the dossier row, so that two officers acting at once
give one success and one 409; each appends to the event log, which is never edited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.models import User
from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import Level, ProcedureVersion, VersionStatus
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.dossiers import workflow
from motcua.dossiers.models import (
    Channel,
    ControlSheetEntry,
    DailySerial,
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    PaymentChannel,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.workflow import Action, Status
from motcua.files.models import StoredFile


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Applicant:
    kind: str
    full_name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class DocumentIn:
    code: str
    name: str
    file_id: str | None = None


# --- helpers --------------------------------------------------------------------------------------------


def _event(
    dossier: Dossier, actor: User | None, action: str, from_status: str, note: str = "", **data: Any
) -> None:
    DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data,
    )


def _check_applicant(applicant: Applicant) -> None:
    try:
        if applicant.kind == "organization":
            identity.check_tax_code(applicant.id_number)
        else:
            identity.check_personal_id(applicant.id_number)
    except identity.InvalidIdentifier as exc:
        raise InvalidInput(fields={"applicant.id_number": [IDENTIFIER_MESSAGES[exc.reason]]}) from exc


def _files(actor: User, documents: Sequence[DocumentIn], field: str) -> dict[str, StoredFile]:
    ids = {d.file_id for d in documents if d.file_id}
    found = {str(f.id): f for f in StoredFile.objects.filter(id__in=ids, uploaded_by=actor)} if ids else {}
    errors = {
        f"{field}.{i}.file_id": [_("Unknown file %(id)s.") % {"id": d.file_id}]
        for i, d in enumerate(documents)
        if d.file_id and d.file_id not in found
    }
    if errors:
        raise InvalidInput(fields=errors)
    return found


def _add_documents(
    dossier: Dossier,
    actor: User,
    documents: Sequence[DocumentIn],
    field: str,
    supplement: SupplementRequest | None = None,
) -> None:
    files = _files(actor, documents, field)
    now = timezone.now()
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            code=d.code,
            name=d.name,
            file=files.get(d.file_id or ""),
            digitized=bool(d.file_id),
            added_at=now,
            supplement=supplement,
        )
        for d in documents
    )


def centre_for(agency: Agency) -> Agency:
    """The one-stop centre that serves an agency: a centre among its children, else its parent's."""
    node: Agency | None = agency
    while node is not None:
        if node.kind == AgencyKind.CENTRE:
            return node
        centre = Agency.objects.filter(parent=node, kind=AgencyKind.CENTRE).order_by("code").first()
        if centre is not None:
            return centre
        node = node.parent
    return agency


def resolving_agency_for(version: ProcedureVersion, receiving: Agency) -> Agency:
    """A commune-level procedure is resolved by the commune where it is received (if it is received
    at a commune); otherwise by the procedure's agency."""
    if version.level == Level.COMMUNE and version.agency.kind == AgencyKind.COMMUNE:
        node: Agency | None = receiving
        while node is not None:
            if node.kind == AgencyKind.COMMUNE:
                return node
            node = node.parent
    return version.agency


def _assign_code(dossier: Dossier, received_at: datetime) -> None:
    """{agency code}-{YYMMDD}-{NNNN} for a received dossier already written. The serial comes from one
    upsert that locks the agency's counter row for the day until commit, so concurrent receipts get
    distinct, consecutive serials and a rolled-back one gives its number back.

    Call it last in the transaction: every statement after it keeps the other desks of the agency
    waiting. (With the upsert before the inserts, 16 counter clients spent most of their time in
    PostgreSQL's Lock:transactionid wait, at about 66 dossiers/s.)"""
    from django.db import connection

    day = received_at.astimezone(tz()).date()
    serials = DailySerial._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {serials} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {serials}.last + 1 RETURNING last",
            [dossier.receiving_agency_id, day],
        )
        serial = cursor.fetchone()[0]
        dossier.code = f"{dossier.receiving_agency.code}-{day:%y%m%d}-{serial:04d}"
        cursor.execute(
            f"UPDATE {Dossier._meta.db_table} SET code = %s WHERE id = %s",  # noqa: S608
            [dossier.code, dossier.pk],
        )


def _receive(dossier: Dossier, actor: User | None, now: datetime) -> None:
    version = dossier.procedure_version
    due = get_calendar().due(now, version.processing_time_value, version.processing_time_unit)
    dossier.received_at = now
    dossier.due_at = dossier.original_due_at = due.due
    dossier.status = Status.RECEIVED
    dossier.current_agency = dossier.receiving_agency
    dossier.current_step = str(_("Received at the one-stop desk"))
    # The code comes last, from _assign_code, once the dossier is written.


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- creation ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_dossier(
    *,
    actor: User,
    procedure_code: str,
    channel: str,
    applicant: Applicant,
    documents: Sequence[DocumentIn] = (),
    receiving_agency_code: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[Dossier, bool]:
    """Submit online (citizens) or receive at the counter or by post (receivers, received at once).
    Returns the dossier and whether it was created now (False when an Idempotency-Key repeats)."""
    digest = _digest(procedure_code, channel, applicant, tuple(documents), receiving_agency_code)
    if idempotency_key:
        existing = Dossier.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.request_digest != digest:
                raise Conflict(
                    _("This Idempotency-Key was used for a different request."), code="idempotency_key_reused"
                )
            return existing, False
    if channel not in Channel.values:
        raise InvalidInput(fields={"channel": [_("Use online, counter or post.")]})
    if actor.role == Role.CITIZEN:
        if channel != Channel.ONLINE:
            raise Forbidden(
                _("Citizens submit online; counter and post dossiers are entered by the one-stop desk.")
            )
    elif actor.role == Role.RECEIVER:
        if channel == Channel.ONLINE:
            raise InvalidInput(fields={"channel": [_("The one-stop desk enters counter or post dossiers.")]})
    else:
        raise Forbidden(_("Only citizens and one-stop desk officers create dossiers."))
    version = (
        ProcedureVersion.objects.select_related("agency", "procedure")
        .filter(procedure__code=procedure_code, status=VersionStatus.CURRENT)
        .first()
    )
    if version is None:
        raise InvalidInput(
            fields={"procedure_code": [_("Unknown procedure %(code)s.") % {"code": procedure_code}]}
        )
    _check_applicant(applicant)
    if channel == Channel.ONLINE:
        if receiving_agency_code:
            receiving = Agency.objects.filter(code=receiving_agency_code).first()
            if receiving is None:
                raise InvalidInput(
                    fields={
                        "receiving_agency_code": [
                            _("Unknown agency %(code)s.") % {"code": receiving_agency_code}
                        ]
                    }
                )
        else:
            receiving = centre_for(version.agency)
    else:
        if actor.agency is None or (receiving_agency_code and receiving_agency_code != actor.agency.code):
            raise InvalidInput(
                fields={
                    "receiving_agency_code": [_("A one-stop desk receives dossiers at its own agency only.")]
                }
            )
        receiving = actor.agency
    now = timezone.now()
    dossier = Dossier(
        procedure=version.procedure,
        procedure_version=version,
        receiving_agency=receiving,
        resolving_agency=resolving_agency_for(version, receiving),
        current_agency=receiving,
        channel=channel,
        status=Status.SUBMITTED,
        applicant_kind=applicant.kind,
        applicant_name=applicant.full_name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_user=actor if actor.role == Role.CITIZEN else None,
        created_by=actor,
        idempotency_key=idempotency_key or None,
        request_digest=digest,
        submitted_at=now,
        vneid_verified=False,
        current_step=str(_("Waiting to be received")),
    )
    files = _files(actor, documents, "documents")
    if channel != Channel.ONLINE:
        _receive(dossier, actor, now)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError as exc:  # the same Idempotency-Key, concurrently
        raise Conflict(
            _("This Idempotency-Key is being used by another request."), code="idempotency_key_reused"
        ) from exc
    docs = DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            code=d.code,
            name=d.name,
            file=files.get(d.file_id or ""),
            digitized=bool(d.file_id),
            added_at=now,
        )
        for d in documents
    )
    if channel != Channel.ONLINE:
        _assign_code(dossier, now)
    events = [
        DossierEvent(
            dossier=dossier,
            at=now,
            actor=actor,
            action="create",
            from_status="",
            to_status=Status.SUBMITTED,
            data={"channel": channel},
        )
    ]
    if channel != Channel.ONLINE:
        events.append(
            DossierEvent(
                dossier=dossier,
                at=now,
                actor=actor,
                action=Action.RECEIVE,
                from_status=Status.SUBMITTED,
                to_status=dossier.status,
                data={"code": dossier.code},
            )
        )
    DossierEvent.objects.bulk_create(events)
    dossier._prefetched_objects_cache = {"documents": docs, "supplement_requests": [], "payments": []}  # type: ignore[attr-defined]
    return dossier, True


# --- actions ------------------------------------------------------------------------------------------------


def _actor_view(user: User) -> workflow.Actor:
    return workflow.Actor(user_id=user.pk, role=user.role, agency_id=user.agency_id, is_admin=is_admin(user))


def _begin(actor: User, dossier_id: int, action: Action) -> tuple[Dossier, Status]:
    """Lock the dossier, then check in the order a user can understand: exists for you (404), you may
    act on it (403), the action is allowed now (409)."""
    # Lock the bare row first, then read it with its relations: one FOR UPDATE query with joins would,
    # on PostgreSQL, re-check the joins against the agency rows read before the wait, and a dossier a
    # concurrent forward moved to another agency would vanish (404 instead of 409).
    Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).first()
    dossier = (
        visible_dossiers(actor)
        .select_related("procedure_version", "receiving_agency", "resolving_agency", "current_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound()
    holding = workflow.Holding(
        dossier.current_agency_id, dossier.receiving_agency_id, dossier.applicant_user_id
    )
    if not workflow.may_act(_actor_view(actor), action, holding):
        raise Forbidden(_("You may not %(action)s this dossier.") % {"action": action.value})
    status = Status(dossier.status)
    if status not in workflow.TRANSITIONS[action].allowed_from:
        allowed = ", ".join(workflow.allowed_actions(status)) or "—"
        raise Conflict(
            _(
                "The action %(action)s is not allowed while the dossier is %(status)s. Allowed now: %(allowed)s."
            )
            % {
                "action": action.value,
                "status": f"“{workflow.label(status, translation.get_language())}” ({status.value})",
                "allowed": allowed,
            },
            code="action_not_allowed",
        )
    return dossier, status


def _pause(dossier: Dossier, now: datetime) -> None:
    """The clock stops: keep the working time left until the due date and the first appointment."""
    if dossier.due_at is None or dossier.paused_at is not None:
        return
    cal = get_calendar()
    dossier.paused_at = now
    dossier.remaining_seconds = int(cal.working_time_between(now, dossier.due_at).total_seconds())
    if dossier.original_due_at is not None:
        dossier.original_remaining_seconds = int(
            cal.working_time_between(now, dossier.original_due_at).total_seconds()
        )


def _resume(dossier: Dossier, now: datetime) -> None:
    """The applicant answered: the time left is walked forward again from the next working instant.
    The first appointment moves too, because time spent waiting for the applicant is not the agency's."""
    if dossier.paused_at is None or dossier.remaining_seconds is None:
        return
    cal = get_calendar()
    dossier.due_at = cal.resume(timedelta(seconds=dossier.remaining_seconds), now)
    if dossier.original_remaining_seconds is not None:
        dossier.original_due_at = cal.resume(timedelta(seconds=dossier.original_remaining_seconds), now)
    dossier.paused_at = dossier.remaining_seconds = dossier.original_remaining_seconds = None


def _close_open_step(dossier: Dossier, now: datetime) -> None:
    entry = dossier.control_sheet.filter(completed_at__isnull=True).order_by("-handed_over_at", "-id").first()
    if entry is None:
        return
    entry.completed_at = now
    if entry.step_due_at:
        entry.result = workflow.step_timeliness(now, entry.step_due_at, tz()).value
    entry.save(update_fields=["completed_at", "result"])


def _hand_over(dossier: Dossier, actor: User, to: Agency, step: str, now: datetime, note: str = "") -> None:
    """A row of the process control sheet (form 06), with the step's deadline when the procedure has one."""
    _close_open_step(dossier, now)
    planned = next((s for s in dossier.procedure_version.steps.all() if s.name == step), None)
    step_due = (
        get_calendar().add_working_time(now, timedelta(hours=float(planned.working_hours)))
        if planned
        else dossier.due_at
    )
    ControlSheetEntry.objects.create(
        dossier=dossier,
        from_agency=dossier.current_agency,
        to_agency=to,
        step=step,
        handed_over_at=now,
        handed_over_by=actor,
        step_due_at=step_due,
        note=note,
    )


@transaction.atomic
def receive(*, actor: User, dossier_id: int) -> Dossier:
    dossier, before = _begin(actor, dossier_id, Action.RECEIVE)
    now = timezone.now()
    _receive(dossier, actor, now)
    dossier.save()
    _assign_code(dossier, now)
    _event(dossier, actor, Action.RECEIVE, before, code=dossier.code)
    return dossier


@transaction.atomic
def request_supplement(*, actor: User, dossier_id: int, items: Sequence[str], reason: str) -> Dossier:
    """Yêu cầu bổ sung (form 02): once and in full; the clock stops while the applicant answers."""
    dossier, before = _begin(actor, dossier_id, Action.REQUEST_SUPPLEMENT)
    if not items:
        raise InvalidInput(fields={"items": [_("Name at least one item to supplement.")]})
    now = timezone.now()
    after_receipt = before != Status.SUBMITTED
    _pause(dossier, now)
    dossier.left_status = before
    dossier.status = Status.AWAITING_SUPPLEMENT
    if after_receipt:
        dossier.supplements_after_receipt += 1
    dossier.save()
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=now,
        requested_by=actor,
        items=list(items),
        reason=reason,
        after_receipt=after_receipt,
    )
    _event(dossier, actor, Action.REQUEST_SUPPLEMENT, before, note=reason, items=list(items))
    return dossier


@transaction.atomic
def supplement(*, actor: User, dossier_id: int, documents: Sequence[DocumentIn]) -> Dossier:
    dossier, before = _begin(actor, dossier_id, Action.SUPPLEMENT)
    if not documents:
        raise InvalidInput(fields={"documents": [_("Attach the documents that were asked for.")]})
    now = timezone.now()
    request = dossier.supplement_requests.filter(completed_at__isnull=True).order_by("-requested_at").first()
    _add_documents(dossier, actor, documents, "documents", supplement=request)
    if request is not None:
        request.completed_at = now
        request.save(update_fields=["completed_at"])
    _resume(dossier, now)
    dossier.status = workflow.next_status(Action.SUPPLEMENT, before, left_from=Status(dossier.left_status))
    dossier.left_status = ""
    dossier.save()
    _event(dossier, actor, Action.SUPPLEMENT, before, documents=[d.code for d in documents])
    return dossier


def _close(dossier: Dossier, now: datetime) -> None:
    dossier.closed_at = now
    dossier.paused_at = dossier.remaining_seconds = dossier.original_remaining_seconds = None


@transaction.atomic
def refuse(*, actor: User, dossier_id: int, reason: str) -> Dossier:
    """Từ chối tiếp nhận (form 03)."""
    dossier, before = _begin(actor, dossier_id, Action.REFUSE)
    _close(dossier, timezone.now())
    dossier.status = Status.REFUSED
    dossier.save()
    _event(dossier, actor, Action.REFUSE, before, note=reason)
    return dossier


@transaction.atomic
def forward(
    *, actor: User, dossier_id: int, agency_code: str | None = None, step: str | None = None, note: str = ""
) -> Dossier:
    """Chuyển hồ sơ: to another agency (một cửa liên thông) or to the next step within one."""
    dossier, before = _begin(actor, dossier_id, Action.FORWARD)
    if agency_code:
        target = Agency.objects.filter(code=agency_code).first()
        if target is None:
            raise InvalidInput(
                fields={"agency_code": [_("Unknown agency %(code)s.") % {"code": agency_code}]}
            )
    elif dossier.current_agency_id != dossier.resolving_agency_id:
        target = dossier.resolving_agency
    else:
        target = dossier.current_agency
    now = timezone.now()
    step_name = step or target.name
    _hand_over(dossier, actor, target, step_name, now, note)
    dossier.current_agency = target
    dossier.current_step = step_name
    dossier.status = Status.PROCESSING
    dossier.save()
    _event(dossier, actor, Action.FORWARD, before, note=note, to=target.code, step=step_name)
    return dossier


@transaction.atomic
def request_payment(*, actor: User, dossier_id: int, amount_vnd: int) -> Dossier:
    dossier, before = _begin(actor, dossier_id, Action.REQUEST_PAYMENT)
    if amount_vnd <= 0:
        raise InvalidInput(fields={"amount_vnd": [_("The amount must be positive.")]})
    now = timezone.now()
    _pause(dossier, now)
    dossier.left_status = before
    dossier.status = Status.AWAITING_PAYMENT
    dossier.save()
    Payment.objects.create(dossier=dossier, amount_vnd=amount_vnd, requested_at=now, requested_by=actor)
    _event(dossier, actor, Action.REQUEST_PAYMENT, before, amount_vnd=amount_vnd)
    return dossier


@transaction.atomic
def pay(
    *,
    actor: User,
    dossier_id: int,
    amount_vnd: int,
    method: str,
    reference: str = "",
    gateway: str | None = None,
) -> Dossier:
    """Payment recorded; ``gateway`` says which online platform took it (national portal by default)."""
    dossier, before = _begin(actor, dossier_id, Action.PAY)
    payment = dossier.payments.filter(paid_at__isnull=True).order_by("-requested_at").first()
    if payment is None:
        raise Conflict(_("No payment is awaited."), code="no_payment_due")
    if amount_vnd != payment.amount_vnd:
        raise InvalidInput(
            fields={"amount_vnd": [_("The amount due is %(amount)s VND.") % {"amount": payment.amount_vnd}]}
        )
    if method not in ("online", "counter"):
        raise InvalidInput(fields={"method": [_("Use online or counter.")]})
    now = timezone.now()
    payment.paid_at, payment.paid_amount_vnd, payment.method, payment.reference = (
        now,
        amount_vnd,
        method,
        reference,
    )
    payment.save()
    dossier.fee_vnd += amount_vnd
    dossier.payment_channel = (
        PaymentChannel.COUNTER if method == "counter" else (gateway or PaymentChannel.NATIONAL_PORTAL)
    )
    _resume(dossier, now)
    dossier.status = workflow.next_status(Action.PAY, before, left_from=Status(dossier.left_status))
    dossier.left_status = ""
    dossier.save()
    _event(dossier, actor, Action.PAY, before, amount_vnd=amount_vnd, method=method)
    return dossier


@transaction.atomic
def extend(*, actor: User, dossier_id: int, new_due_at: datetime, reason: str) -> Dossier:
    """Xin lỗi và gia hạn (form 04): once, before the due date; the first appointment is kept."""
    dossier, before = _begin(actor, dossier_id, Action.EXTEND)
    now = timezone.now()
    if dossier.extended_at is not None:
        raise Conflict(_("The appointment has already been extended once."), code="already_extended")
    if dossier.due_at is None or now >= dossier.due_at:
        raise Conflict(_("An extension must be made before the due date."), code="past_due")
    if new_due_at <= dossier.due_at:
        raise InvalidInput(fields={"new_due_at": [_("The new date must be after the current due date.")]})
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("State the reason for the delay.")]})
    previous = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extended_at = now
    dossier.save()
    _event(
        dossier,
        actor,
        Action.EXTEND,
        before,
        note=reason,
        previous_due_at=previous.isoformat(),
        new_due_at=new_due_at.isoformat(),
    )
    return dossier


@transaction.atomic
def resolve(
    *, actor: User, dossier_id: int, outcome: str, note: str = "", result_file_id: str | None = None
) -> Dossier:
    """Kết quả: the result is ready and goes back to the one-stop desk that received the dossier."""
    dossier, before = _begin(actor, dossier_id, Action.RESOLVE)
    if outcome not in ("approved", "rejected"):
        raise InvalidInput(fields={"outcome": [_("Use approved or rejected.")]})
    if result_file_id:
        dossier.result_file = _files(actor, [DocumentIn("KQ", "", result_file_id)], "result")[result_file_id]
        dossier.e_result = True
    now = timezone.now()
    dossier.resolved_at = now
    dossier.outcome = outcome
    dossier.status = Status.RESOLVED
    if dossier.current_agency_id != dossier.receiving_agency_id:
        _hand_over(
            dossier,
            actor,
            dossier.receiving_agency,
            str(_("Result returned to the one-stop desk")),
            now,
            note,
        )
    else:
        _close_open_step(dossier, now)
    dossier.current_agency = dossier.receiving_agency
    dossier.current_step = str(_("Result ready"))
    dossier.save()
    _event(dossier, actor, Action.RESOLVE, before, note=note, outcome=outcome)
    return dossier


@transaction.atomic
def return_result(*, actor: User, dossier_id: int, method: str) -> Dossier:
    dossier, before = _begin(actor, dossier_id, Action.RETURN_RESULT)
    if method not in ("counter", "post", "online"):
        raise InvalidInput(fields={"method": [_("Use counter, post or online.")]})
    now = timezone.now()
    _close_open_step(dossier, now)
    dossier.returned_at = now
    dossier.return_method = method
    dossier.status = Status.RETURNED
    dossier.current_step = str(_("Result returned"))
    dossier.save()
    _event(dossier, actor, Action.RETURN_RESULT, before, method=method)
    return dossier


@transaction.atomic
def withdraw(*, actor: User, dossier_id: int, reason: str) -> Dossier:
    dossier, before = _begin(actor, dossier_id, Action.WITHDRAW)
    _close(dossier, timezone.now())
    dossier.status = Status.WITHDRAWN
    dossier.save()
    _event(dossier, actor, Action.WITHDRAW, before, note=reason)
    return dossier


@transaction.atomic
def stop(*, actor: User, dossier_id: int, reason: str) -> Dossier:
    """Dừng giải quyết (form 05)."""
    dossier, before = _begin(actor, dossier_id, Action.STOP)
    _close(dossier, timezone.now())
    dossier.status = Status.STOPPED
    dossier.save()
    _event(dossier, actor, Action.STOP, before, note=reason)
    return dossier


@transaction.atomic
def rate(*, code: str, id_number: str, satisfied: bool, comment: str = "") -> Rating:
    """Đánh giá by the applicant, once per finished dossier; a wrong pair is the same 404 as no dossier."""
    dossier = Dossier.objects.select_for_update().filter(code=code, applicant_id_number=id_number).first()
    if dossier is None:
        raise NotFound()
    if dossier.status not in workflow.FINISHED:
        raise Conflict(_("A dossier can be rated once its result is ready."), code="not_finished")
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict(_("This dossier has already been rated."), code="already_rated")
    return Rating.objects.create(
        dossier=dossier, satisfied=satisfied, comment=comment, created_at=timezone.now()
    )


ACTIONS: Mapping[Action, Any] = {
    Action.RECEIVE: receive,
    Action.REQUEST_SUPPLEMENT: request_supplement,
    Action.SUPPLEMENT: supplement,
    Action.REFUSE: refuse,
    Action.FORWARD: forward,
    Action.REQUEST_PAYMENT: request_payment,
    Action.PAY: pay,
    Action.EXTEND: extend,
    Action.RESOLVE: resolve,
    Action.RETURN_RESULT: return_result,
    Action.WITHDRAW: withdraw,
    Action.STOP: stop,
}
