"""Writes for petitions: ``submit``, every action of contract §9 through ``act``, and ``evaluate``.

``act`` is the one door for actions, as for dossiers: it locks the petition row (two officers acting
at once give one success and one 409), checks visibility (404), the actor (403) and the state (409),
lets the action's handler do what is particular to it, moves the step deadlines on the working-day
calendar, and appends to the event log, which is never edited. Personal data of the sender never
goes into an event, a message or a log line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.agencies.models import Agency
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.files.models import StoredFile
from motcua.petitions import lifecycle
from motcua.petitions.commands import Command, SubmitterIn, missing
from motcua.petitions.lifecycle import Action, Status
from motcua.petitions.models import (
    About,
    Attachment,
    Channel,
    Evaluation,
    Petition,
    PetitionEvent,
    PetitionSerial,
    Submitter,
)
from motcua.petitions.selectors import deadlines, visible_petitions

DESK_CHANNELS = frozenset({Channel.LETTER, Channel.PHONE, Channel.COUNTER})


def _working_days(start: datetime, days: int) -> datetime:
    return get_calendar().due(start, days, "working_days").due


def _next_code(now: datetime) -> str:
    """One upsert that locks the day's counter row until commit: concurrent petitions get distinct,
    consecutive serials, and a rolled-back one gives its number back."""
    day: date = now.astimezone(timezone.get_default_timezone()).date()
    table = connection.ops.quote_name(PetitionSerial._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 — a model's table
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [connection.ops.adapt_datefield_value(day)],
        )
        serial = cursor.fetchone()[0]
    return lifecycle.format_code(f"{day:%y%m%d}", serial)


def _search_key(petition: Petition) -> str:
    return fold(f"{petition.code} {petition.title} {petition.content} {petition.answer}")


def _check_submitter(submitter: SubmitterIn) -> None:
    errors: dict[str, list[Any]] = {}
    if not submitter.full_name.strip():
        errors["submitter.full_name"] = [_("Give the sender's name.")]
    if not (submitter.phone or submitter.email):
        errors["submitter.phone"] = [_("Give a phone number or an e-mail address to receive the answer.")]
    if submitter.id_number:
        try:
            identity.check_applicant(submitter.kind, submitter.id_number)
        except identity.InvalidIdentifier as exc:
            errors["submitter.id_number"] = [IDENTIFIER_MESSAGES[exc.reason]]
    if errors:
        raise InvalidInput(fields=errors)


@transaction.atomic
def submit(
    *,
    actor: User | None,
    title: str,
    content: str,
    about: str,
    submitter: SubmitterIn,
    publish_consent: bool,
    procedure_code: str | None = None,
    agency_code: str | None = None,
    dossier_code: str | None = None,
    channel: str = Channel.PORTAL,
    attachments: Sequence[StoredFile] = (),
) -> Petition:
    """A petition sent online (anyone, logged in or not) or entered at the desk from a letter or a
    call (staff, for their own agency unless they name another). It is received at once: it gets its
    code and the agency's classification deadline. ``attachments`` were stored, and checked by
    content, by the page that took them."""
    errors: dict[str, list[Any]] = {}
    if not title.strip():
        errors["title"] = [_("Give the petition a title.")]
    if not content.strip():
        errors["content"] = [_("Write what the petition is about.")]
    if about not in About.values:
        errors["about"] = [_("Use regulation, procedure, staff_conduct or other.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Use portal, letter, phone or counter.")]
    if errors:
        raise InvalidInput(fields=errors)
    staff = actor is not None and actor.role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER)
    if channel in DESK_CHANNELS and not staff:
        raise Forbidden(_("Petitions by letter or phone are entered by the agency's staff."))
    _check_submitter(submitter)
    version = None
    if procedure_code:
        version = (
            ProcedureVersion.objects.select_related("agency", "procedure")
            .filter(procedure__code=procedure_code, status=VersionStatus.CURRENT)
            .first()
        )
        if version is None:
            raise InvalidInput(
                fields={"procedure_code": [_("Unknown procedure %(code)s.") % {"code": procedure_code}]}
            )
    dossier = None
    if dossier_code:
        dossier = Dossier.objects.select_related("resolving_agency").filter(code=dossier_code).first()
        if dossier is None:
            raise InvalidInput(
                fields={"dossier_code": [_("Unknown dossier %(code)s.") % {"code": dossier_code}]}
            )
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            raise InvalidInput(
                fields={"agency_code": [_("Unknown agency %(code)s.") % {"code": agency_code}]}
            )
    elif dossier is not None:
        agency = dossier.resolving_agency
    elif version is not None:
        agency = version.agency
    elif staff and actor is not None and actor.agency is not None:
        agency = actor.agency
    else:
        raise InvalidInput(fields={"agency_code": [_("Choose the agency the petition is about.")]})
    now = timezone.now()
    rules = deadlines()
    petition = Petition(
        code=_next_code(now),
        title=title.strip(),
        content=content.strip(),
        about=about,
        channel=channel,
        procedure=version.procedure if version else (dossier.procedure if dossier else None),
        dossier=dossier,
        first_agency=agency,
        agency=agency,
        status=Status.RECEIVED,
        publish_consent=publish_consent,
        received_at=now,
        held_since=now,
        due_at=_working_days(now, rules.classify),
        answer_due_at=_working_days(now, rules.answer),
        created_by=actor,
    )
    petition.search = _search_key(petition)
    petition.save()
    Submitter.objects.create(
        petition=petition,
        kind=submitter.kind,
        full_name=submitter.full_name.strip(),
        phone=submitter.phone,
        email=submitter.email,
        id_number=submitter.id_number,
        address=submitter.address,
        user=actor if actor is not None and actor.role == Role.CITIZEN else None,
    )
    Attachment.objects.bulk_create(Attachment(petition=petition, file=f, added_at=now) for f in attachments)
    PetitionEvent.objects.create(
        petition=petition,
        at=now,
        actor=actor,
        agency=agency,
        action="submit",
        from_status="",
        to_status=Status.RECEIVED,
        data={"channel": channel, "code": petition.code},
    )
    return petition


# --- actions ------------------------------------------------------------------------------------------


@dataclass
class _Step:
    petition: Petition
    actor: User
    move: lifecycle.Move
    now: datetime
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def judge(self) -> None:
        """The step now finished is late when its deadline has passed."""
        due = self.petition.due_at
        if due is not None and self.now > due:
            self.petition.missed = True
            self.data["late"] = True


def _begin(actor: User, petition_id: int, action: Action) -> tuple[Petition, lifecycle.Move]:
    """Lock the row, then check in the order a user can understand: 404, 403, 409."""
    Petition.objects.select_for_update().filter(pk=petition_id).values_list("pk", flat=True).first()
    petition = visible_petitions(actor).select_related("agency").filter(pk=petition_id).first()
    if petition is None:
        raise NotFound()
    who = lifecycle.Actor(user_id=actor.pk, role=actor.role, agency_id=actor.agency_id)
    if not lifecycle.may_act(who, action, petition.agency_id):
        if action is Action.ANSWER and petition.agency_id == actor.agency_id:
            raise Forbidden(_("A specialist drafts the answer and a leader approves it."))
        raise Forbidden(_("You may not %(action)s this petition.") % {"action": action.value})
    status = Status(petition.status)
    try:
        move = lifecycle.move(action, status, role=actor.role)
    except lifecycle.NotAllowedNow as exc:
        raise Conflict(
            _(
                "The action %(action)s is not allowed while the petition is %(status)s. Allowed now: %(allowed)s."
            )
            % {
                "action": action.value,
                "status": f"“{lifecycle.label(status, translation.get_language())}” ({status.value})",
                "allowed": ", ".join(exc.allowed) or "—",
            },
            code="action_not_allowed",
        ) from exc
    return petition, move


def _accept(step: _Step, command: Command) -> None:
    """Tiếp nhận xử lý: within competence; the answer deadline runs from receipt at this agency."""
    step.judge()
    p = step.petition
    p.accepted_at = step.now
    p.answer_due_at = _working_days(p.held_since, deadlines().answer)
    p.due_at = p.answer_due_at


def _forward(step: _Step, command: Command) -> None:
    """Chuyển: to the competent agency, which gets its own classification deadline from now."""
    p = step.petition
    target = Agency.objects.filter(code=command.agency_code).first()
    if target is None:
        raise InvalidInput(
            fields={"agency_code": [_("Unknown agency %(code)s.") % {"code": command.agency_code}]}
        )
    if target.pk == p.agency_id:
        raise InvalidInput(fields={"agency_code": [_("The petition is already at this agency.")]})
    step.judge()
    step.data = {"from": p.agency.code, "to": target.code}
    p.agency = target
    p.held_since = step.now
    p.reason = command.reason
    p.due_at = _working_days(step.now, deadlines().classify)
    p.answer_due_at = _working_days(step.now, deadlines().answer)
    step.note = command.reason


def _refuse(step: _Step, command: Command) -> None:
    step.judge()
    p = step.petition
    p.reason = step.note = command.reason
    p.closed_at = step.now
    p.due_at = None


def _request_supplement(step: _Step, command: Command) -> None:
    """Yêu cầu bổ sung: the first request is due within 5 working days of receipt."""
    p, rules = step.petition, deadlines()
    if p.supplement_requests == 0 and step.now > _working_days(p.held_since, rules.first_supplement):
        p.missed = True
        step.data["late"] = True
    p.supplement_requests += 1
    p.reason = step.note = command.reason
    if rules.pause_for_supplement and p.due_at is not None:
        if step.now > p.due_at:
            p.missed = True
        p.paused_at = step.now
        p.remaining_seconds = max(
            0, int(get_calendar().working_time_between(step.now, p.due_at).total_seconds())
        )


def _supplement(step: _Step, command: Command) -> None:
    p = step.petition
    if p.paused_at is not None and p.remaining_seconds is not None:
        p.due_at = p.answer_due_at = get_calendar().resume(timedelta(seconds=p.remaining_seconds), step.now)
    p.paused_at = p.remaining_seconds = None
    step.note = command.note


def _answer(step: _Step, command: Command) -> None:
    """Trả lời: a specialist's answer is a draft; a leader's is the approved answer, and the
    publication deadline runs from it (when the sender agreed to publication)."""
    p = step.petition
    if step.move.draft:
        p.answer_draft = command.answer
        step.data = {"draft": True}
        return
    step.judge()
    p.answer = command.answer
    p.answer_draft = ""
    if command.file_id:
        found = StoredFile.objects.filter(id=command.file_id, uploaded_by=step.actor).first()
        if found is None:
            raise InvalidInput(fields={"file_id": [_("Unknown file %(id)s.") % {"id": command.file_id}]})
        p.answer_file = found
    p.answered_at = step.now
    p.search = _search_key(p)
    if p.publish_consent:
        p.due_at = _working_days(step.now, deadlines().publish)
    else:
        p.due_at = None
        p.closed_at = step.now


def _publish(step: _Step, command: Command) -> None:
    """Công khai: only with the sender's consent; the public list never shows the sender."""
    p = step.petition
    if not p.publish_consent:
        raise Conflict(
            _("The sender did not agree to publication; the answer was sent to them only."),
            code="no_publish_consent",
        )
    step.judge()
    p.published_at = p.closed_at = step.now
    p.due_at = None


_HANDLERS: dict[Action, Callable[[_Step, Command], None]] = {
    Action.ACCEPT: _accept,
    Action.FORWARD: _forward,
    Action.REFUSE: _refuse,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.ANSWER: _answer,
    Action.PUBLISH: _publish,
}


@transaction.atomic
def act(*, actor: User, petition_id: int, command: Command) -> Petition:
    """Take one action of contract §9 on a petition; the petition as it is afterwards."""
    petition, move = _begin(actor, petition_id, command.action)
    absent = missing(command)
    if absent:
        raise InvalidInput(fields={name: [_("This field is required.")] for name in absent})
    step = _Step(petition, actor, move, timezone.now(), note=command.note)
    _HANDLERS[command.action](step, command)
    petition.status = move.to
    petition.save()
    PetitionEvent.objects.create(
        petition=petition,
        at=step.now,
        actor=actor,
        agency_id=actor.agency_id,
        action=command.action,
        from_status=move.before,
        to_status=move.to,
        note=step.note,
        data=step.data,
    )
    return petition


@transaction.atomic
def evaluate(*, code: str, satisfied: bool, id_number: str = "", phone: str = "") -> Evaluation:
    """The sender's one judgement of the answer, proved by the ID number or the phone they gave. A
    wrong pair is the same 404 as an unknown code."""
    proof = {"submitter__id_number": id_number} if id_number else {"submitter__phone": phone}
    if not (id_number or phone):
        raise InvalidInput(
            fields={"id_number": [_("Give the ID number or the phone number you sent it with.")]}
        )
    petition = Petition.objects.select_for_update().filter(code=code, **proof).first()
    if petition is None:
        raise NotFound()
    if petition.status not in lifecycle.ANSWERED:
        raise Conflict(_("A petition can be rated once it is answered."), code="not_answered")
    if Evaluation.objects.filter(petition=petition).exists():
        raise Conflict(_("This answer has already been rated."), code="already_evaluated")
    return Evaluation.objects.create(petition=petition, satisfied=satisfied, created_at=timezone.now())


@transaction.atomic
def classify(*, actor: User, petition_id: int, about: str) -> Petition:
    """Phân loại: the officer corrects what the petition is about (regulation, procedure, staff
    conduct, other); the index reports the shares. Staff of the holding agency, while it is open."""
    if about not in About.values:
        raise InvalidInput(fields={"about": [_("Use regulation, procedure, staff_conduct or other.")]})
    Petition.objects.select_for_update().filter(pk=petition_id).values_list("pk", flat=True).first()
    petition = visible_petitions(actor).filter(pk=petition_id).first()
    if petition is None:
        raise NotFound()
    if (
        actor.agency_id is None
        or actor.agency_id != petition.agency_id
        or actor.role not in lifecycle.MAY[Action.ACCEPT]
    ):
        raise Forbidden(_("Only the staff of the agency holding the petition classify it."))
    if petition.closed_at is not None:
        raise Conflict(_("A finished petition is not classified again."), code="finished")
    before, petition.about = petition.about, about
    petition.save(update_fields=["about", "updated_at"])
    PetitionEvent.objects.create(
        petition=petition,
        at=timezone.now(),
        actor=actor,
        agency_id=actor.agency_id,
        action="classify",
        from_status=petition.status,
        to_status=petition.status,
        data={"from": before, "to": about},
    )
    return petition
