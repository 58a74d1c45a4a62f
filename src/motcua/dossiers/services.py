"""Writes for dossiers: creation and every action of contract §5.

``act`` is the one door for actions: it locks the dossier row (so that two officers acting at once
give one success and one 409), checks visibility (404), the actor (403) and the state (409), lets
the action's handler do what is particular to it, then takes the next status and the clock effect
from ``workflow.TRANSITIONS`` and appends to the event log, which is never edited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import ProcedureVersion, ProcessStep, VersionStatus
from motcua.catalog.selectors import implementing_agencies
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import fold
from motcua.dossiers import commands, serials, workflow
from motcua.dossiers.commands import Applicant, DocumentIn
from motcua.dossiers.models import (
    Channel,
    ControlSheetEntry,
    Dossier,
    DossierDocument,
    DossierEvent,
    OrderChannel,
    Payment,
    PaymentChannel,
    PaymentStatus,
    Rating,
    ResultSigning,
    SigningState,
    SupplementRequest,
)
from motcua.dossiers.selectors import route_of, visible_dossiers
from motcua.dossiers.workflow import Action, Clock, Status
from motcua.files.models import StoredFile
from motcua.integrations import registry
from motcua.integrations.dvcqg import services as national_portal
from motcua.integrations.inbound import status as channel_status
from motcua.integrations.models import PopulationLookup
from motcua.integrations.population import selectors as population_selectors
from motcua.integrations.population import services as population
from motcua.notifications import services as notifications
from motcua.outbox import services as outbox
from motcua.warehouse import selectors as warehouse_selectors
from motcua.warehouse import services as warehouse
from motcua.warehouse.models import WarehouseDocument

# --- helpers --------------------------------------------------------------------------------------------


def _check_applicant(applicant: Applicant) -> None:
    try:
        identity.check_applicant(applicant.kind, applicant.id_number)
    except identity.InvalidIdentifier as exc:
        raise InvalidInput(fields={"applicant.id_number": [IDENTIFIER_MESSAGES[exc.reason]]}) from exc


def _from_population(actor: User, lookup_id: str, applicant: Applicant) -> tuple[PopulationLookup, Applicant]:
    """The actor's look-up that found a citizen, and the applicant with its blanks filled from it."""
    lookup = population_selectors.found_lookup(user=actor, lookup_id=lookup_id)
    if lookup is None:
        raise InvalidInput(
            fields={
                "population_lookup_id": [
                    _("This is not a look-up of yours that found a citizen, or another dossier has used it.")
                ]
            }
        )
    record = population_selectors.record_of(lookup)
    filled = population.filled_applicant(applicant, record)
    if filled.id_number != record.id_number:
        raise InvalidInput(
            fields={"applicant.id_number": [_("This is not the personal ID of the citizen looked up.")]}
        )
    return lookup, filled


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


def _reused(owner: str, documents: Sequence[DocumentIn], field: str) -> dict[int, WarehouseDocument]:
    """The warehouse documents given by ``warehouse_id``: the applicant's own (``owner``) or, as if
    they did not exist, 404 — another person's warehouse is never visible."""
    both = {
        f"{field}.{i}.warehouse_id": [_("Give either file_id or warehouse_id, not both.")]
        for i, d in enumerate(documents)
        if d.file_id and d.warehouse_id
    }
    if both:
        raise InvalidInput(fields=both)
    found = warehouse_selectors.owned(owner, (d.warehouse_id for d in documents if d.warehouse_id))
    unknown = {
        f"{field}.{i}.warehouse_id": [
            _("No document %(id)s in the applicant's data warehouse.") % {"id": d.warehouse_id}
        ]
        for i, d in enumerate(documents)
        if d.warehouse_id and d.warehouse_id not in found
    }
    if unknown:
        raise NotFound(fields=unknown)
    return found


def _add_documents(
    dossier: Dossier,
    files: dict[str, StoredFile],
    documents: Sequence[DocumentIn],
    now: datetime,
    supplement: SupplementRequest | None = None,
    reused: dict[int, WarehouseDocument] | None = None,
) -> list[DossierDocument]:
    kept = reused or {}
    return DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            code=d.code,
            name=d.name,
            file=kept[d.warehouse_id].file if d.warehouse_id else files.get(d.file_id or ""),
            digitized=bool(d.file_id or d.warehouse_id),
            reused=bool(d.warehouse_id),
            from_warehouse=bool(d.warehouse_id),
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


def resolving_agency_for(
    version: ProcedureVersion, receiving: Agency | None, implementing: list[Agency]
) -> Agency:
    """Who settles a dossier nobody chose an agency for: the implementing agency the receiving desk
    belongs to (a commune's centre receives for its commune), else the procedure's own agency."""
    codes = {a.code: a for a in implementing}
    node: Agency | None = receiving
    while node is not None:
        if node.code in codes:
            return codes[node.code]
        node = node.parent
    return version.agency


def _chosen_agency(version: ProcedureVersion, code: str, implementing: list[Agency]) -> Agency:
    """The implementing agency the applicant chose (contract §5); any other is 400."""
    for agency in implementing:
        if agency.code == code:
            return agency
    raise InvalidInput(
        fields={
            "resolving_agency_code": [
                _("%(code)s does not settle this procedure. Choose one of: %(codes)s.")
                % {"code": code, "codes": ", ".join(a.code for a in implementing)}
            ]
        }
    )


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- the clock, driven by workflow.TRANSITIONS --------------------------------------------------------


def _start(dossier: Dossier, move: workflow.Move, now: datetime) -> None:
    """Receipt: the due date is set from now, by the procedure's processing time."""
    version = dossier.procedure_version
    due = get_calendar().due(now, version.processing_time_value, version.processing_time_unit)
    dossier.received_at = now
    dossier.due_at = dossier.original_due_at = due.due
    dossier.current_agency = dossier.receiving_agency
    dossier.current_step = None


def _pause(dossier: Dossier, move: workflow.Move, now: datetime) -> None:
    """Waiting for the applicant: keep the working time left until the due date and the first
    appointment, and the status to come back to."""
    dossier.left_status = move.before
    if dossier.due_at is None or dossier.paused_at is not None:
        return
    cal = get_calendar()
    dossier.paused_at = now
    dossier.remaining_seconds = int(cal.working_time_between(now, dossier.due_at).total_seconds())
    if dossier.original_due_at is not None:
        dossier.original_remaining_seconds = int(
            cal.working_time_between(now, dossier.original_due_at).total_seconds()
        )


def _resume(dossier: Dossier, move: workflow.Move, now: datetime) -> None:
    """The applicant answered: the time left is walked forward again from the next working instant.
    The first appointment moves too, because time spent waiting for the applicant is not the agency's."""
    dossier.left_status = ""
    if dossier.paused_at is None or dossier.remaining_seconds is None:
        return
    cal = get_calendar()
    dossier.due_at = cal.resume(timedelta(seconds=dossier.remaining_seconds), now)
    if dossier.original_remaining_seconds is not None:
        dossier.original_due_at = cal.resume(timedelta(seconds=dossier.original_remaining_seconds), now)
    dossier.paused_at = dossier.remaining_seconds = dossier.original_remaining_seconds = None


def _end(dossier: Dossier, move: workflow.Move, now: datetime) -> None:
    """The clock stops for good: with a result (resolved_at) or without one (closed_at)."""
    dossier.paused_at = dossier.remaining_seconds = dossier.original_remaining_seconds = None
    dossier.left_status = ""
    if move.to in workflow.CLOSED:
        dossier.closed_at = now
    else:
        dossier.resolved_at = now


def _unchanged(dossier: Dossier, move: workflow.Move, now: datetime) -> None:
    """Forward and return leave the clock as it is; an extension moves the due date in its handler."""


_CLOCK: dict[Clock, Callable[[Dossier, workflow.Move, datetime], None]] = {
    Clock.START: _start,
    Clock.PAUSE: _pause,
    Clock.RESUME: _resume,
    Clock.END: _end,
    Clock.MOVE: _unchanged,
    Clock.NONE: _unchanged,
}


# --- creation ---------------------------------------------------------------------------------------------


def _applicant_columns(applicant: Applicant) -> dict[str, str]:
    """The dossier's columns that hold the applicant as given (the search column folded)."""
    return {
        "applicant_kind": applicant.kind,
        "applicant_name": applicant.full_name,
        "applicant_search": fold(applicant.full_name),
        "applicant_id_number": applicant.id_number,
        "applicant_phone": applicant.phone,
        "applicant_email": applicant.email,
        "applicant_address": applicant.address,
    }


def _created_event(dossier: Dossier, actor: User | None, now: datetime) -> DossierEvent:
    """The first event of every dossier: submitted, through its channel (not yet written)."""
    return DossierEvent(
        dossier=dossier,
        province=dossier.province,
        at=now,
        actor=actor,
        action="create",
        from_status="",
        to_status=Status.SUBMITTED,
        data={"channel": dossier.channel},
    )


def _one_request_per_key(actor_id: int, key: str) -> None:
    """On PostgreSQL, requests with the same actor and Idempotency-Key take turns (a lock held until
    commit): the second finds the first's dossier instead of racing it. The unique constraint alone
    cannot promise that once the dossier table is partitioned (core.partitioning: a unique constraint
    then holds within one province and instant), and without partitions it would answer the second
    with a 409 rather than the dossier. SQLite writes one transaction at a time already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"idempotency:{actor_id}:{key}"]
        )


@transaction.atomic
def create_dossier(
    *,
    actor: User,
    procedure_code: str,
    channel: str,
    applicant: Applicant,
    documents: Sequence[DocumentIn] = (),
    receiving_agency_code: str | None = None,
    resolving_agency_code: str | None = None,
    idempotency_key: str | None = None,
    vneid_verified: bool = False,
    population_lookup_id: str | None = None,
) -> tuple[Dossier, bool]:
    """Submit online (citizens) or receive at the counter or by post (receivers, received at once).
    ``resolving_agency_code`` chooses among the procedure's implementing agencies (a commune-level
    procedure is settled by each commune). ``vneid_verified``: the citizen submits in a session opened
    with VNeID (the 766 index counts it; a desk officer's dossier never is). ``population_lookup_id``:
    a look-up in the population database the actor made; the applicant's blank fields come from its
    record ("provide data only once") and the dossier says so. Returns the dossier and whether it was
    created now (False when an Idempotency-Key repeats)."""
    digest = _digest(
        procedure_code,
        channel,
        applicant,
        tuple(documents),
        receiving_agency_code,
        resolving_agency_code,
        *((population_lookup_id,) if population_lookup_id else ()),
    )
    if idempotency_key:
        _one_request_per_key(actor.pk, idempotency_key)
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
    lookup = None
    if population_lookup_id:
        lookup, applicant = _from_population(actor, population_lookup_id, applicant)
    if not applicant.full_name.strip():
        raise InvalidInput(fields={"applicant.full_name": [_("Enter the applicant's full name.")]})
    _check_applicant(applicant)
    implementing = list(implementing_agencies(version))
    chosen = _chosen_agency(version, resolving_agency_code, implementing) if resolving_agency_code else None
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
        else:  # the one-stop centre that serves the agency that will settle it
            receiving = centre_for(chosen or resolving_agency_for(version, None, implementing))
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
        province=receiving.province,
        resolving_agency=chosen or resolving_agency_for(version, receiving, implementing),
        current_agency=receiving,
        channel=channel,
        status=Status.SUBMITTED,
        **_applicant_columns(applicant),
        applicant_user=actor if actor.role == Role.CITIZEN else None,
        created_by=actor,
        idempotency_key=idempotency_key or None,
        request_digest=digest,
        submitted_at=now,
        vneid_verified=vneid_verified and actor.role == Role.CITIZEN,
        population_data_used=lookup is not None,
    )
    owner = (actor.id_number or "") if actor.role == Role.CITIZEN else applicant.id_number
    reused = _reused(owner, documents, "documents")
    files = _files(actor, documents, "documents")
    receipt = workflow.move(Action.RECEIVE, Status.SUBMITTED) if channel != Channel.ONLINE else None
    if receipt is not None:  # the desk receives what is handed in at once
        _CLOCK[receipt.clock](dossier, receipt, now)
        dossier.status = receipt.to
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError as exc:  # the same Idempotency-Key, concurrently
        raise Conflict(
            _("This Idempotency-Key is being used by another request."), code="idempotency_key_reused"
        ) from exc
    if lookup is not None:
        population.attach_dossier(lookup=lookup, dossier=dossier)
    docs = _add_documents(dossier, files, documents, now, reused=reused)
    events = [_created_event(dossier, actor, now)]
    if receipt is not None:
        warehouse.take_in_received(dossier, docs, now)
        events.append(
            DossierEvent(
                dossier=dossier,
                province=dossier.province,
                at=now,
                actor=actor,
                action=Action.RECEIVE,
                from_status=Status.SUBMITTED,
                to_status=dossier.status,
            )
        )
    DossierEvent.objects.bulk_create(events)
    if receipt is not None:
        # After every other write: the code's upsert locks the agency's counter row until commit,
        # and only the outbox rows that carry the code (the applicant's SMS) come after it.
        serials.assign_code(dossier, now)
    _announce(dossier, events[-1])  # a counter dossier is received now: tell the portal and the applicant
    dossier._prefetched_objects_cache = {"documents": docs, "supplement_requests": [], "payments": []}  # type: ignore[attr-defined]  # the response shows what was just written
    return dossier, True


@transaction.atomic
def submit_from_channel(
    *,
    version: ProcedureVersion,
    resolving: Agency,
    applicant: Applicant,
    files: Sequence[tuple[str, str, StoredFile]] = (),
    submitted_at: datetime | None = None,
    vneid_verified: bool = False,
    digest: str = "",
) -> Dossier:
    """A dossier filed on a national channel (the national portal, DVC liên thông, VNeID), created
    by MotCua itself: online, ``submitted`` at the one-stop centre that serves ``resolving``, with
    the files (code, name, stored file) the channel sent. The caller (``integrations.inbound``) has
    mapped the national procedure and keeps the channel's code; an event without an actor."""
    _check_applicant(applicant)
    if not applicant.full_name.strip():
        raise InvalidInput(fields={"applicant.full_name": [_("Enter the applicant's full name.")]})
    now = timezone.now()
    receiving = centre_for(resolving)
    dossier = Dossier.objects.create(
        procedure=version.procedure,
        procedure_version=version,
        receiving_agency=receiving,
        province=receiving.province,
        resolving_agency=resolving,
        current_agency=receiving,
        channel=Channel.ONLINE,
        status=Status.SUBMITTED,
        **_applicant_columns(applicant),
        request_digest=digest,
        submitted_at=min(submitted_at, now) if submitted_at is not None else now,
        vneid_verified=vneid_verified,
    )
    documents = [DocumentIn(code=code, name=name, file_id=str(f.id)) for code, name, f in files]
    docs = _add_documents(dossier, {str(f.id): f for _c, _n, f in files}, documents, now)
    event = _created_event(dossier, None, now)
    event.save()
    _announce(dossier, event)
    dossier._prefetched_objects_cache = {"documents": docs, "supplement_requests": [], "payments": []}  # type: ignore[attr-defined]
    return dossier


# --- actions ------------------------------------------------------------------------------------------------


def actor_of(user: User) -> workflow.Actor:
    return workflow.Actor(user_id=user.pk, role=user.role, agency_id=user.agency_id)


def _begin(actor: User | None, dossier_id: int, action: Action) -> tuple[Dossier, workflow.Move]:
    """Lock the dossier, then check in the order a user can understand: exists for you (404), you may
    act on it (403), the action is allowed now (409). With no actor (MotCua itself, on a national
    system's word) only the last applies."""
    # Lock the bare row first, then read it with its relations: one FOR UPDATE query with joins would,
    # on PostgreSQL, re-check the joins against the agency rows read before the wait, and a dossier a
    # concurrent forward moved to another agency would vanish (404 instead of 409).
    Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).first()
    dossier = (
        (Dossier.objects.all() if actor is None else visible_dossiers(actor))
        # What _announce reads, read here rather than after the code's upsert (which locks the
        # agency's counter until commit): the national channel the dossier came from and the
        # channels its applicant chose.
        .select_related(
            "procedure_version",
            "receiving_agency",
            "resolving_agency",
            "current_agency",
            "external",
            "applicant_user__notification_channels",
        )
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound()
    holding = workflow.Holding(
        dossier.current_agency_id, dossier.receiving_agency_id, dossier.applicant_user_id
    )
    if actor is not None and not workflow.may_act(actor_of(actor), action, holding):
        raise Forbidden(_("You may not %(action)s this dossier.") % {"action": action.value})
    status = Status(dossier.status)
    try:
        left = Status(dossier.left_status) if dossier.left_status else None
        move = workflow.move(action, status, left_from=left)
    except workflow.NotAllowedNow as exc:
        raise Conflict(
            _(
                "The action %(action)s is not allowed while the dossier is %(status)s. Allowed now: %(allowed)s."
            )
            % {
                "action": action.value,
                "status": f"“{workflow.label(status, translation.get_language())}” ({status.value})",
                "allowed": ", ".join(exc.allowed) or "—",
            },
            code="action_not_allowed",
        ) from exc
    return dossier, move


@dataclass
class _Step:
    """One action in hand: the locked dossier, who acts, what they asked, and the move it makes."""

    dossier: Dossier
    actor: User  # MotCua itself (None) only for the system's actions, which do not read it
    move: workflow.Move
    now: datetime
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _close_open_step(dossier: Dossier, now: datetime) -> None:
    entry = dossier.control_sheet.filter(completed_at__isnull=True).order_by("-handed_over_at", "-id").first()
    if entry is None:
        return
    entry.completed_at = now
    if entry.step_due_at:
        entry.result = workflow.step_timeliness(now, entry.step_due_at, timezone.get_default_timezone()).value
    entry.save(update_fields=["completed_at", "result"])


def _hand_over(
    step: _Step, to: Agency, name: str, planned: ProcessStep | None = None, note: str = ""
) -> None:
    """A row of the process control sheet (form 06), with the step's deadline when the procedure has one."""
    dossier, now = step.dossier, step.now
    _close_open_step(dossier, now)
    step_due = (
        get_calendar().add_working_time(now, timedelta(hours=float(planned.working_hours)))
        if planned
        else dossier.due_at
    )
    ControlSheetEntry.objects.create(
        dossier=dossier,
        from_agency=dossier.current_agency,
        to_agency=to,
        step=name,
        handed_over_at=now,
        handed_over_by=step.actor,
        step_due_at=step_due,
        note=note,
    )


def _refuse_step(refusal: tuple[workflow.StepRefusal, int] | None, steps: list[ProcessStep]) -> None:
    """Turn the leader's-approval rule's answer into the error the officer reads."""
    if refusal is None:
        return
    reason, index = refusal
    name = steps[index].name
    if reason is workflow.StepRefusal.APPROVAL_PENDING:
        raise Conflict(
            _("The leader's approval comes first: hand the dossier over to the step “%(step)s”.")
            % {"step": name},
            code=reason.value,
        )
    raise Forbidden(
        _("At the step “%(step)s” the leader approves: only a leader resolves the dossier or moves it on.")
        % {"step": name},
        code=reason.value,
    )


def _receive(step: _Step, command: commands.Receive) -> None:
    """Tiếp nhận: the clock starts (workflow) and the code is given last (``act``). The digitised
    documents enter the applicant's warehouse now: the desk has just checked them."""
    warehouse.take_in_received(step.dossier, step.dossier.documents.all(), step.now)


def _request_supplement(step: _Step, command: commands.RequestSupplement) -> None:
    """Yêu cầu bổ sung (form 02): once and in full; the clock stops while the applicant answers."""
    if not command.items:
        raise InvalidInput(fields={"items": [_("Name at least one item to supplement.")]})
    dossier = step.dossier
    after_receipt = step.move.before != Status.SUBMITTED
    if after_receipt:
        dossier.supplements_after_receipt += 1
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=step.now,
        requested_by=step.actor,
        items=list(command.items),
        reason=command.reason,
        after_receipt=after_receipt,
    )
    step.note, step.data = command.reason, {"items": list(command.items)}


def _supplement(step: _Step, command: commands.Supplement) -> None:
    if not command.documents:
        raise InvalidInput(fields={"documents": [_("Attach the documents that were asked for.")]})
    dossier = step.dossier
    request = dossier.supplement_requests.filter(completed_at__isnull=True).order_by("-requested_at").first()
    actor = step.actor
    owner = (actor.id_number or "") if actor.role == Role.CITIZEN else dossier.applicant_id_number
    reused = _reused(owner, command.documents, "documents")
    files = _files(actor, command.documents, "documents")
    _add_documents(dossier, files, command.documents, step.now, supplement=request, reused=reused)
    if request is not None:
        request.completed_at = step.now
        request.save(update_fields=["completed_at"])
    step.data = {"documents": [d.code for d in command.documents]}


def _close(step: _Step, command: commands.Close) -> None:
    """Refused (form 03), withdrawn, or stopped (form 05): the clock ends without a result (workflow)."""
    step.note = command.reason


def _forward(step: _Step, command: commands.Forward) -> None:
    """Chuyển hồ sơ: to another agency (một cửa liên thông) or to the next step within one."""
    dossier = step.dossier
    if command.agency_code:
        target = Agency.objects.filter(code=command.agency_code).first()
        if target is None:
            raise InvalidInput(
                fields={"agency_code": [_("Unknown agency %(code)s.") % {"code": command.agency_code}]}
            )
    elif dossier.current_agency_id != dossier.resolving_agency_id:
        target = dossier.resolving_agency
    else:
        target = dossier.current_agency
    route, steps = route_of(dossier)
    planned = next((s for s in steps if s.name == command.step), None) if command.step else None
    if command.step and planned is None and steps:
        raise InvalidInput(
            fields={
                "step": [
                    _("The procedure has no step %(step)s. Its steps: %(steps)s.")
                    % {"step": command.step, "steps": "; ".join(s.name for s in steps)}
                ]
            }
        )
    if planned is not None:
        _refuse_step(workflow.may_move_to(route, steps.index(planned), step.actor.role), steps)
    name = command.step or target.name
    _hand_over(step, target, name, planned, command.note)
    dossier.current_agency = target
    dossier.current_step = planned
    step.note, step.data = command.note, {"to": target.code, "step": name}


def _request_payment(step: _Step, command: commands.RequestPayment) -> None:
    if command.amount_vnd <= 0:
        raise InvalidInput(fields={"amount_vnd": [_("The amount must be positive.")]})
    if command.items and sum(i.amount_vnd for i in command.items) != command.amount_vnd:
        raise InvalidInput(fields={"items": [_("The items must add up to amount_vnd.")]})
    order = Payment.objects.create(
        dossier=step.dossier,
        amount_vnd=command.amount_vnd,
        items=[vars(i) for i in command.items],
        requested_at=step.now,
        requested_by=step.actor,
    )
    step.data = {"amount_vnd": command.amount_vnd, "payment_id": order.pk}


def _pay(step: _Step, command: commands.Pay) -> None:
    """Đã thực hiện nghĩa vụ tài chính: the order is paid, through the channel that took the money."""
    dossier = step.dossier
    awaited = dossier.payments.select_for_update().filter(status=PaymentStatus.PENDING)
    if command.payment_id is not None:
        awaited = awaited.filter(pk=command.payment_id)
    payment = awaited.order_by("-requested_at", "-id").first()
    if payment is None:
        raise Conflict(_("No payment is awaited."), code="no_payment_due")
    if command.amount_vnd != payment.amount_vnd:
        raise InvalidInput(
            fields={"amount_vnd": [_("The amount due is %(amount)s VND.") % {"amount": payment.amount_vnd}]}
        )
    if command.method not in ("online", "counter"):
        raise InvalidInput(fields={"method": [_("Use online or counter.")]})
    channel = (
        OrderChannel.COUNTER
        if command.method == "counter"
        else (command.gateway or OrderChannel.NATIONAL_PORTAL)
    )
    payment.status, payment.channel = PaymentStatus.PAID, channel
    payment.paid_at, payment.paid_amount_vnd = step.now, command.amount_vnd
    payment.method, payment.transaction_id = command.method, command.reference
    payment.save()
    dossier.fee_vnd += command.amount_vnd
    # The dossier's flag (the sync's DuocThanhToanTrucTuyen) knows only the two online platforms and the
    # counter; a VietQR transfer reaches the agency's account outside both (docs/decisions.md).
    dossier.payment_channel = (
        channel
        if channel in (PaymentChannel.NATIONAL_PORTAL, PaymentChannel.LOCAL_GATEWAY)
        else PaymentChannel.COUNTER
    )
    step.data = {
        "amount_vnd": command.amount_vnd,
        "method": command.method,
        "payment_id": payment.pk,
        "channel": channel,
    }


def _extend(step: _Step, command: commands.Extend) -> None:
    """Xin lỗi và gia hạn (form 04): once, before the due date; the first appointment is kept."""
    dossier, now = step.dossier, step.now
    if dossier.extended_at is not None:
        raise Conflict(_("The appointment has already been extended once."), code="already_extended")
    if dossier.due_at is None or now >= dossier.due_at:
        raise Conflict(_("An extension must be made before the due date."), code="past_due")
    if command.new_due_at <= dossier.due_at:
        raise InvalidInput(fields={"new_due_at": [_("The new date must be after the current due date.")]})
    cal = get_calendar()
    if not cal.is_working_time(command.new_due_at):
        # Only one extension is allowed: a slip here could not be put right afterwards.
        nearest = cal.nearest_working_time(command.new_due_at)
        if nearest <= dossier.due_at:
            nearest = cal.next_working_instant(command.new_due_at)
        at = f"{timezone.localtime(nearest):%H:%M %d/%m/%Y}"
        raise InvalidInput(
            fields={
                "new_due_at": [
                    _(
                        "The new appointment must fall within the working hours of a working day; "
                        "the nearest is %(at)s."
                    )
                    % {"at": at}
                ]
            }
        )
    if not command.reason.strip():
        raise InvalidInput(fields={"reason": [_("State the reason for the delay.")]})
    previous = dossier.due_at
    dossier.due_at = command.new_due_at
    dossier.extended_at = now
    step.note = command.reason
    step.data = {"previous_due_at": previous.isoformat(), "new_due_at": command.new_due_at.isoformat()}


def _signed_result(result: StoredFile) -> bool:
    """Whether a result counts as electronic (e_result): signed and verified. With a signing service,
    only the output of a signing request that verified may be attached at all; without one, a result
    signed elsewhere (a USB token) counts when it verifies against the configured trust bundle."""
    if registry.remote_signer() is not None:
        if not ResultSigning.objects.filter(signed_file=result, state=SigningState.SIGNED).exists():
            raise Conflict(
                _("The result must be signed before the dossier is resolved."), code="signing_required"
            )
        return True
    verifier = registry.uploaded_result_verifier()
    if verifier is None or result.content_type != "application/pdf":
        return False
    with result.blob.open("rb") as f:
        return any(r.valid for r in verifier.verify(f.read()))


def _resolve(step: _Step, command: commands.Resolve) -> None:
    """Kết quả: the result is ready and goes back to the one-stop desk that received the dossier."""
    dossier = step.dossier
    if command.outcome not in ("approved", "rejected"):
        raise InvalidInput(fields={"outcome": [_("Use approved or rejected.")]})
    route, steps = route_of(dossier)
    _refuse_step(workflow.may_resolve(route, step.actor.role), steps)
    if command.result_file_id:
        found = _files(step.actor, [DocumentIn("KQ", "", command.result_file_id)], "result")
        result = found[command.result_file_id]
        dossier.result_file = result
        dossier.e_result = _signed_result(result)
    dossier.outcome = command.outcome
    if dossier.current_agency_id != dossier.receiving_agency_id:
        back = str(_("Result returned to the one-stop desk"))
        _hand_over(step, dossier.receiving_agency, back, note=command.note)
    else:
        _close_open_step(dossier, step.now)
    dossier.current_agency = dossier.receiving_agency
    dossier.current_step = None
    step.note, step.data = command.note, {"outcome": command.outcome}


def _return_result(step: _Step, command: commands.ReturnResult) -> None:
    dossier = step.dossier
    if command.method not in ("counter", "post", "online"):
        raise InvalidInput(fields={"method": [_("Use counter, post or online.")]})
    _close_open_step(dossier, step.now)
    dossier.returned_at = step.now
    dossier.return_method = command.method
    warehouse.push_result(dossier, step.now)  # the applicant may have it from now on
    step.data = {"method": command.method}


_HANDLERS: dict[Action, Callable[[_Step, Any], None]] = {
    Action.RECEIVE: _receive,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.FORWARD: _forward,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.PAY: _pay,
    Action.EXTEND: _extend,
    Action.RESOLVE: _resolve,
    Action.RETURN_RESULT: _return_result,
    **dict.fromkeys(workflow.CLOSING, _close),
}


SYSTEM_ACTIONS = frozenset({Action.PAY})


@transaction.atomic
def check_resolve(*, actor: User, dossier_id: int, command: commands.Resolve) -> tuple[Dossier, StoredFile]:
    """What ``act`` would check for this resolve, without doing it: the dossier and the result file.
    The signing flow runs it before asking for a signature, so a refusal comes before the officer's app."""
    dossier, _move = _begin(actor, dossier_id, Action.RESOLVE)
    if command.outcome not in ("approved", "rejected"):
        raise InvalidInput(fields={"outcome": [_("Use approved or rejected.")]})
    route, steps = route_of(dossier)
    _refuse_step(workflow.may_resolve(route, actor.role), steps)
    if not command.result_file_id:
        raise InvalidInput(fields={"result_file_id": [_("Give the result file to sign.")]})
    found = _files(actor, [DocumentIn("KQ", "", command.result_file_id)], "result")
    result = found[command.result_file_id]
    if result.content_type != "application/pdf":
        raise InvalidInput(fields={"result_file_id": [_("Only a PDF result can be signed.")]})
    return dossier, result


@transaction.atomic
def act(*, actor: User, dossier_id: int, command: commands.Command) -> Dossier:
    """Take one action of contract §5 on a dossier; the dossier as it is afterwards."""
    return _act(actor, dossier_id, command)


@transaction.atomic
def act_as_system(*, dossier_id: int, command: commands.Pay) -> Dossier:
    """The same action taken by MotCua itself on a national system's word (a payment platform's
    confirmation): no one to check rights for, and an event without an actor."""
    if command.action not in SYSTEM_ACTIONS:  # pragma: no cover — a programming error
        raise ValueError(command.action)
    return _act(None, dossier_id, command)


def _act(actor: User | None, dossier_id: int, command: commands.Command) -> Dossier:
    action = command.action
    dossier, move = _begin(actor, dossier_id, action)
    step = _Step(dossier, actor, move, timezone.now())  # type: ignore[arg-type]  # None only for SYSTEM_ACTIONS
    _HANDLERS[action](step, command)
    _CLOCK[move.clock](dossier, move, step.now)
    dossier.status = move.to
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        province=dossier.province,
        at=step.now,
        actor=actor,
        action=action,
        from_status=move.before,
        to_status=dossier.status,
        note=step.note,
        data=step.data,
    )
    if move.clock is Clock.START:  # last but the outbox: it locks the agency's counter until commit
        serials.assign_code(dossier, step.now)
    _announce(dossier, event)  # in this transaction: the outbox has it exactly when it happened
    return dossier


def _announce(dossier: Dossier, event: DossierEvent) -> None:
    """What leaves MotCua after a change: the portal's sync, the status for the national channel the
    dossier came from, and the applicant's notifications, as outbox rows written in one INSERT (each statement on this path costs the desk, bench_notify)."""
    outbox.enqueue_many(
        [
            *national_portal.sync_messages(dossier, event.pk),
            *channel_status.status_messages(dossier, event),  # back to the national channel it came from
            *notifications.messages(dossier, event),
        ]
    )


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
