"""What the pages say about a dossier, in plain words: labels, the clock, the timeline, the next step.

Both sides (citizen portal and back-office) use these. They only read a dossier the selectors
already loaded and ask ``workflow`` for the rules; they decide nothing themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.accounts.permissions import is_admin
from motcua.calendar.selectors import get_calendar
from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.selectors import LookupResult
from motcua.dossiers.serializers import timeliness_of
from motcua.dossiers.workflow import Action, Status


def status_label(status: str) -> str:
    try:
        return workflow.label(Status(status), translation.get_language())
    except ValueError:
        return status


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


def _working_day() -> timedelta:
    def minutes(t: Any) -> int:
        return t.hour * 60 + t.minute

    return timedelta(
        minutes=sum(minutes(end) - minutes(start) for start, end in settings.MOTCUA_WORKING_PERIODS)
    )


def working_duration(amount: timedelta) -> str:
    """2 days 3 hours of working time, in words ("2 ngày 3 giờ làm việc")."""
    day = _working_day() or timedelta(hours=8)
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


def clock(dossier: Dossier, now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    due = dossier.due_at
    if dossier.resolved_at is not None:
        return Clock("finished", due, _("Finished %(at)s") % {"at": local(dossier.resolved_at)}, "success")
    if dossier.closed_at is not None:
        return Clock("closed", due, _("Closed — the clock no longer runs"), "muted")
    if due is None:
        return Clock("not_started", None, _("Starts when the dossier is received"), "muted")
    if dossier.paused_at is not None:
        left = timedelta(seconds=dossier.remaining_seconds or 0)
        text = _("Paused while waiting for the applicant — %(left)s left") % {"left": working_duration(left)}
        return Clock("paused", due, text, "warning")
    left = get_calendar().working_time_between(now, due)
    if now > due:
        return Clock("overdue", due, _("Overdue by %(late)s") % {"late": working_duration(left)}, "danger")
    return Clock("running", due, _("%(left)s left") % {"left": working_duration(left)}, "info")


# --- who may do what ------------------------------------------------------------------------------------


def actor_of(user: Any) -> workflow.Actor:
    return workflow.Actor(user_id=user.pk, role=user.role, agency_id=user.agency_id, is_admin=is_admin(user))


def actions_for(user: Any, dossier: Dossier) -> list[Action]:
    """The actions the contract allows now that this user may take."""
    holding = workflow.Holding(
        dossier.current_agency_id, dossier.receiving_agency_id, dossier.applicant_user_id
    )
    actor = actor_of(user)
    return [
        a for a in workflow.allowed_actions(Status(dossier.status)) if workflow.may_act(actor, a, holding)
    ]


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


def _vnd(amount: Any) -> str:
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
                    _("Dossier code %(code)s") % {"code": data.get("code") or dossier.code},
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
            steps.append(Step(e.at, title, _vnd(data.get("amount_vnd")), "warning"))
        elif e.action == Action.PAY:
            steps.append(Step(e.at, _("Fees paid"), _vnd(data.get("amount_vnd"))))
        elif e.action == Action.EXTEND:
            new_due = data.get("new_due_at")
            when = local(datetime.fromisoformat(new_due)) if new_due else ""
            steps.append(
                Step(e.at, _("The appointment was moved to %(at)s") % {"at": when}, e.note, "warning")
            )
        elif e.action == Action.RESOLVE:
            if you:
                title = _("Result ready — collect it at %(agency)s") % {
                    "agency": dossier.receiving_agency.name
                }
            else:
                title = _("Resolved: %(outcome)s") % {
                    "outcome": _("approved") if data.get("outcome") == "approved" else _("rejected")
                }
            steps.append(Step(e.at, title, e.note, "success"))
        elif e.action == Action.RETURN_RESULT:
            steps.append(Step(e.at, status_label(Status.RETURNED), "", "success"))
        elif e.action in (Action.REFUSE, Action.WITHDRAW, Action.STOP):
            steps.append(Step(e.at, status_label(e.to_status), e.note, "muted"))
        else:
            steps.append(Step(e.at, status_label(e.to_status), e.note))
    return steps


@dataclass(frozen=True)
class NextStep:
    """What is asked of the citizen now."""

    tone: str
    title: str
    text: str
    action: str = ""  # "supplement", "rate" or "" (no link)


def next_step(dossier: Dossier, *, rated: bool) -> NextStep:
    status = Status(dossier.status)
    due = local(dossier.due_at)
    if status is Status.SUBMITTED:
        return NextStep(
            "info",
            _("Nothing to do for now"),
            _(
                "An officer of %(agency)s will check your dossier and receive it, usually within one working day."
            )
            % {"agency": dossier.receiving_agency.name},
        )
    if status is Status.AWAITING_SUPPLEMENT:
        return NextStep(
            "warning",
            _("Action needed: add the missing documents"),
            _("The clock is paused until you send them. Everything you already sent is kept."),
            "supplement",
        )
    if status is Status.AWAITING_PAYMENT:
        return NextStep(
            "warning",
            _("Action needed: pay the fees"),
            _("Pay %(amount)s at the one-stop desk of %(agency)s or on the national public service portal.")
            % {"amount": _vnd(open_payment_amount(dossier)), "agency": dossier.receiving_agency.name},
        )
    if status in (Status.RECEIVED, Status.PROCESSING):
        return NextStep(
            "info",
            _("Nothing to do for now"),
            _("Your dossier is being processed. The result is due by %(due)s.") % {"due": due},
        )
    if status is Status.RESOLVED:
        return NextStep(
            "success",
            _("Your result is ready"),
            _("Collect it at %(agency)s with your receipt and your ID card.")
            % {"agency": dossier.receiving_agency.name},
            "" if rated else "rate",
        )
    if status is Status.RETURNED:
        if rated:
            return NextStep("success", _("Done"), _("The result was handed over. Thank you for your rating."))
        return NextStep(
            "success",
            _("Done — tell us how it went"),
            _("The result was handed over. Your rating helps the agency serve you better."),
            "rate",
        )
    return NextStep("muted", status_label(status), _("This dossier is closed."))


def supplement_items(dossier: Dossier, request: SupplementRequest) -> list[tuple[str, str]]:
    """(document code, item name) for each item asked for; items named like a required document
    keep that document's code."""
    codes = {d.name: d.code for d in dossier.procedure_version.required_documents.all()}
    return [(codes.get(str(item), f"BS{i}"), str(item)) for i, item in enumerate(request.items, start=1)]


def timeliness(dossier: Dossier | LookupResult) -> tuple[str, str]:
    value = timeliness_of(dossier)
    return timeliness_label(value), timeliness_tone(value)


# --- actions and printable forms (back-office) -------------------------------------------------------

ACTION_LABELS = {
    Action.RECEIVE: gettext_lazy("Receive the dossier"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Request a supplement"),
    Action.SUPPLEMENT: gettext_lazy("Record the supplement handed in at the desk"),
    Action.REFUSE: gettext_lazy("Refuse to receive"),
    Action.FORWARD: gettext_lazy("Hand over for processing"),
    Action.REQUEST_PAYMENT: gettext_lazy("Request payment of fees"),
    Action.PAY: gettext_lazy("Record the payment"),
    Action.EXTEND: gettext_lazy("Extend the due date (apology letter)"),
    Action.RESOLVE: gettext_lazy("Resolve: the result is ready"),
    Action.RETURN_RESULT: gettext_lazy("Hand over the result"),
    Action.WITHDRAW: gettext_lazy("Withdraw at the applicant's request"),
    Action.STOP: gettext_lazy("Stop processing"),
}
ACTION_HELP = {
    Action.RECEIVE: gettext_lazy(
        "The dossier gets its code and due date now; print the receipt (form 01) for the applicant."
    ),
    Action.REQUEST_SUPPLEMENT: gettext_lazy(
        "Ask once and in full. The clock stops until the applicant answers (form 02)."
    ),
    Action.SUPPLEMENT: gettext_lazy(
        "The applicant brought the missing documents to the desk. The clock runs again."
    ),
    Action.REFUSE: gettext_lazy("The dossier is not received; the applicant gets the refusal (form 03)."),
    Action.FORWARD: gettext_lazy("A row is added to the control sheet (form 06)."),
    Action.REQUEST_PAYMENT: gettext_lazy("The clock stops until the fees are paid."),
    Action.PAY: gettext_lazy("Paid at the desk. The clock runs again."),
    Action.EXTEND: gettext_lazy(
        "Once only, before the due date. The first appointment is kept for the statistics (form 04)."
    ),
    Action.RESOLVE: gettext_lazy("The result goes back to the one-stop desk that received the dossier."),
    Action.RETURN_RESULT: gettext_lazy("The applicant has the result; the dossier is finished."),
    Action.WITHDRAW: gettext_lazy("Only on the applicant's written request."),
    Action.STOP: gettext_lazy("Processing ends without a result (form 05)."),
}
CREATED = gettext_lazy("Dossier created")
DESTRUCTIVE = frozenset({Action.REFUSE, Action.WITHDRAW, Action.STOP})
# The action most likely wanted comes first and is shown open.
ACTION_ORDER = [
    Action.RECEIVE,
    Action.RETURN_RESULT,
    Action.RESOLVE,
    Action.FORWARD,
    Action.REQUEST_SUPPLEMENT,
    Action.SUPPLEMENT,
    Action.PAY,
    Action.REQUEST_PAYMENT,
    Action.EXTEND,
    Action.REFUSE,
    Action.WITHDRAW,
    Action.STOP,
]


def ordered(actions: Iterable[Action]) -> list[Action]:
    wanted = set(actions)
    return [a for a in ACTION_ORDER if a in wanted]


def form_url(dossier: Dossier, form: str) -> str:
    return f"/api/v1/dossiers/{dossier.pk}/forms/{form}"


def printable_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(label, URL) of the PDF forms that exist for this dossier now."""
    out: list[tuple[str, str]] = []
    if dossier.code:
        out.append((_("Receipt and appointment slip (form 01)"), form_url(dossier, "receipt")))
    if any(True for _s in dossier.supplement_requests.all()):
        out.append((_("Supplement request (form 02)"), form_url(dossier, "supplement")))
    if dossier.status == Status.REFUSED:
        out.append((_("Refusal to receive (form 03)"), form_url(dossier, "refusal")))
    if dossier.extended_at:
        out.append((_("Apology and new appointment (form 04)"), form_url(dossier, "apology")))
    if dossier.status == Status.STOPPED:
        out.append((_("Stop of processing (form 05)"), form_url(dossier, "stop")))
    if dossier.received_at:
        out.append((_("Process control sheet (form 06)"), form_url(dossier, "control-sheet")))
    return out
