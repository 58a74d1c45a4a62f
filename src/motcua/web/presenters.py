"""What the pages of both sides say about a dossier, in plain words: labels, the clock, the timeline.

They only read a dossier the selectors already loaded and ask ``workflow`` for the rules; they
decide nothing themselves. A page that shows many dossiers reads the calendar once and passes it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.calendar.workcal import WorkingCalendar
from motcua.dossiers import labels, workflow
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.selectors import LookupResult, route_of
from motcua.dossiers.serializers import timeliness_of
from motcua.dossiers.workflow import Action, Status

status_label = labels.status_label
where = labels.where


# The tone of a status badge: what the person looking at it should feel.
STATUS_TONE = {
    Status.SUBMITTED: "info",
    Status.RECEIVED: "info",
    Status.PROCESSING: "info",
    Status.AWAITING_SUPPLEMENT: "warning",
    Status.AWAITING_PAYMENT: "warning",
    Status.RESOLVED: "success",
    Status.RETURNED: "success",
    Status.REFUSED: "muted",
    Status.WITHDRAWN: "muted",
    Status.STOPPED: "muted",
}


def status_tone(status: str) -> str:
    return STATUS_TONE.get(Status(status), "muted") if status in Status else "muted"


def counterpart(target: str) -> str:
    """What an outbox target is, in words (the admins' page of the national systems)."""
    names = {
        "dvcqg": _("National public service portal: dossier sync"),
        "inbound": _("National channels: status of the dossiers they sent"),
        "sms": _("SMS"),
        "zalo": _("Zalo"),
        "email": _("E-mail"),
    }
    return names.get(target, target)


def timeliness_label(value: str | None) -> str:
    return {
        "early": _("Ahead of time"),
        "on_time": _("On time"),
        "late": _("Overdue"),
        "on_track": _("Within the deadline"),
        "overdue": _("Overdue"),
    }.get(value or "", "")


def timeliness_tone(value: str | None) -> str:
    return {"early": "success", "on_time": "success", "on_track": "info"}.get(value or "", "danger")


def local(value: datetime | None) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "H:i d/m/Y")


# --- the clock ------------------------------------------------------------------------------------------


def working_duration(amount: timedelta, day: timedelta) -> str:
    """2 days 3 hours of working time, in words ("2 ngày 3 giờ làm việc"); ``day`` is the
    calendar's working day."""
    minutes = int(abs(amount).total_seconds() // 60)
    days, rest = divmod(minutes, int(day.total_seconds() // 60))
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return " ".join(parts)


@dataclass(frozen=True)
class Clock:
    """Where the dossier's working-time clock stands."""

    state: str  # "not_started", "running", "paused", "overdue", "finished", "closed"
    due_at: datetime | None
    text: str
    tone: str


def waiting_for(status: str, *, for_citizen: bool) -> str:
    """What a paused clock waits for, said to the applicant ("bạn") or to staff ("người nộp"): fees,
    or else documents, the only two waits (``workflow``'s Clock.PAUSE)."""
    if status == Status.AWAITING_PAYMENT:
        return (
            _("Paused while you pay the fees")
            if for_citizen
            else _("Paused while the applicant pays the fees")
        )
    return (
        _("Paused while you add documents") if for_citizen else _("Paused while the applicant adds documents")
    )


def clock(
    dossier: Dossier, calendar: WorkingCalendar, now: datetime | None = None, *, for_citizen: bool = False
) -> Clock:
    now = now or timezone.now()
    day = calendar.day_length
    due = dossier.due_at
    if dossier.resolved_at is not None:
        return Clock("finished", due, _("Finished %(at)s") % {"at": local(dossier.resolved_at)}, "success")
    if dossier.closed_at is not None:
        return Clock("closed", due, _("Closed — the clock no longer runs"), "muted")
    if due is None:
        return Clock("not_started", None, _("Starts when the dossier is received"), "muted")
    if dossier.paused_at is not None:
        left = timedelta(seconds=dossier.remaining_seconds or 0)
        waiting = waiting_for(dossier.status, for_citizen=for_citizen)
        if dossier.paused_at > due:  # paused after the due date: judged where it stopped
            text = _("%(waiting)s — overdue by %(late)s") % {
                "waiting": waiting,
                "late": working_duration(left, day),
            }
            return Clock("paused", due, text, "danger")
        text = _("%(waiting)s — %(left)s left") % {"waiting": waiting, "left": working_duration(left, day)}
        return Clock("paused", due, text, "warning")
    left = calendar.working_time_between(now, due)
    if now > due:
        return Clock(
            "overdue", due, _("Overdue by %(late)s") % {"late": working_duration(left, day)}, "danger"
        )
    return Clock("running", due, _("%(left)s left") % {"left": working_duration(left, day)}, "info")


def overdue_by(dossier: Dossier, calendar: WorkingCalendar, now: datetime) -> timedelta:
    """Working time past the due date: until now, or until the clock stopped if it is paused; zero
    when the dossier is not late."""
    if dossier.due_at is None:
        return timedelta()
    late = calendar.working_time_between(dossier.due_at, dossier.paused_at or now)
    return max(late, timedelta())


# --- who may do what ------------------------------------------------------------------------------------


def actions_for(user: Any, dossier: Dossier) -> list[Action]:
    """The actions the contract allows now that this user may take."""
    holding = workflow.Holding(
        dossier.current_agency_id, dossier.receiving_agency_id, dossier.applicant_user_id
    )
    actor = workflow.Actor(user_id=user.pk, role=user.role, agency_id=user.agency_id)
    actions = [
        a for a in workflow.allowed_actions(Status(dossier.status)) if workflow.may_act(actor, a, holding)
    ]
    if Action.RESOLVE in actions and workflow.may_resolve(route_of(dossier)[0], user.role) is not None:
        actions.remove(Action.RESOLVE)  # the leader's approval comes first: not offered, not refused later
    return actions


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    """The supplement request the applicant has not answered yet (prefetched by the selector)."""
    pending = [s for s in dossier.supplement_requests.all() if s.completed_at is None]
    return pending[-1] if pending else None


def open_payment_amount(dossier: Dossier) -> int | None:
    pending = [p for p in dossier.payments.all() if p.paid_at is None]
    return pending[-1].amount_vnd if pending else None


# --- the timeline in plain words ----------------------------------------------------------------------


@dataclass
class Step:
    at: datetime
    title: str
    detail: str = ""
    tone: str = "info"
    items: list[str] = field(default_factory=list)


def vnd(amount: Any) -> str:
    """50000 → "50.000 đ"."""
    try:
        return f"{int(amount):,}".replace(",", ".") + " đ"
    except (TypeError, ValueError):
        return ""


def timeline(
    dossier: Dossier, events: Iterable[DossierEvent], agency_names: Mapping[str, str], *, for_citizen: bool
) -> list[Step]:
    """Each event as a sentence: received, at which agency, waiting for you, result ready."""
    you = for_citizen
    names = {d.code: d.name for d in dossier.documents.all()}
    steps: list[Step] = []
    for e in events:
        data = e.data or {}
        if e.action == "create":
            if dossier.channel == "online":
                title = _("You submitted the dossier online") if you else _("Submitted online")
            else:
                title = _("Dossier handed in at the one-stop desk")
            steps.append(Step(e.at, title, dossier.receiving_agency.name))
        elif e.action == Action.RECEIVE:
            steps.append(
                Step(
                    e.at,
                    _("Received at %(agency)s") % {"agency": dossier.receiving_agency.name},
                    _("Dossier code %(code)s")
                    % {"code": data.get("code") or dossier.code},  # older events kept it
                )
            )
        elif e.action == Action.REQUEST_SUPPLEMENT:
            title = _("Waiting for you: documents to add") if you else _("Supplement requested")
            steps.append(Step(e.at, title, e.note, "warning", [str(i) for i in data.get("items", [])]))
        elif e.action == Action.SUPPLEMENT:
            steps.append(
                Step(
                    e.at,
                    _("Documents added"),
                    "",
                    "info",
                    [names.get(str(c), str(c)) for c in data.get("documents", [])],
                )
            )
        elif e.action == Action.FORWARD:
            to = agency_names.get(str(data.get("to", "")), str(data.get("to", "")))
            title = _("Being processed at %(agency)s") % {"agency": to}
            step = str(data.get("step") or "")
            steps.append(Step(e.at, title, "" if step == to else step))
        elif e.action == Action.REQUEST_PAYMENT:
            title = _("Waiting for you: fees to pay") if you else _("Payment requested")
            steps.append(Step(e.at, title, vnd(data.get("amount_vnd")), "warning"))
        elif e.action == Action.PAY:
            steps.append(Step(e.at, _("Fees paid"), vnd(data.get("amount_vnd"))))
        elif e.action == Action.EXTEND:
            new_due = data.get("new_due_at")
            when = local(datetime.fromisoformat(new_due)) if new_due else ""
            steps.append(
                Step(e.at, _("The appointment was moved to %(at)s") % {"at": when}, e.note, "warning")
            )
        elif e.action == Action.RESOLVE:
            if you and dossier.return_method == "online":
                title = _("Result ready")
            elif you:
                title = _("Result ready — collect it at %(agency)s") % {
                    "agency": dossier.receiving_agency.name
                }
            else:
                title = _("Resolved: %(outcome)s") % {
                    "outcome": _("approved") if data.get("outcome") == "approved" else _("rejected")
                }
            steps.append(Step(e.at, title, e.note, "success"))
        elif e.action == Action.RETURN_RESULT:
            method = data.get("method")
            if method == "online":
                title = (
                    _("Result returned online: download it on this page")
                    if you
                    else _("Result returned online")
                )
            elif method == "post":
                title = _("Result sent by post")
            else:
                title = _("Result handed over at %(agency)s") % {"agency": dossier.receiving_agency.name}
            steps.append(Step(e.at, title, "", "success"))
        elif e.action in (Action.REFUSE, Action.WITHDRAW, Action.STOP):
            steps.append(Step(e.at, status_label(e.to_status), e.note, "muted"))
        else:
            steps.append(Step(e.at, status_label(e.to_status), e.note))
    return steps


def supplement_items(dossier: Dossier, request: SupplementRequest) -> list[tuple[str, str]]:
    """(document code, item name) for each item asked for; items named like a required document
    keep that document's code."""
    codes = {d.name: d.code for d in dossier.procedure_version.required_documents.all()}
    return [(codes.get(str(item), f"BS{i}"), str(item)) for i, item in enumerate(request.items, start=1)]


def timeliness(dossier: Dossier | LookupResult) -> tuple[str, str]:
    value = timeliness_of(dossier)
    return timeliness_label(value), timeliness_tone(value)
