"""The dossier state machine (contract §5), in one map. Plain Python, no Django import.

Everything else asks this module: which actions a status allows, where each leads, what it does
to the clock, who may take it, and how timely a dossier is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    REFUSED = "refused"
    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESOLVED = "resolved"
    RETURNED = "returned"


# The code each status is synchronised under to the national portal, and its label there.
SYNC_CODE = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.AWAITING_SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}
LABEL_VI = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    Status.AWAITING_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESOLVED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
LABEL_EN = {
    Status.SUBMITTED: "Submitted, awaiting receipt",
    Status.RECEIVED: "Received",
    Status.REFUSED: "Refused at receipt",
    Status.PROCESSING: "Being processed",
    Status.AWAITING_SUPPLEMENT: "Supplement requested",
    Status.AWAITING_PAYMENT: "Awaiting payment",
    Status.WITHDRAWN: "Withdrawn by the applicant",
    Status.STOPPED: "Processing stopped",
    Status.RESOLVED: "Resolved, result ready",
    Status.RETURNED: "Result returned",
}
FINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
FINISHED = frozenset({Status.RESOLVED, Status.RETURNED})  # resolved_at is set
WAITING = frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})


class Action(StrEnum):
    RECEIVE = "receive"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"
    FORWARD = "forward"
    REQUEST_PAYMENT = "request_payment"
    PAY = "pay"
    EXTEND = "extend"
    RESOLVE = "resolve"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"


class Clock(StrEnum):
    """What an action does to the dossier's working-time clock."""

    START = "start"  # receipt: the due date is set from now
    PAUSE = "pause"  # waiting for the applicant: remaining time is kept
    RESUME = "resume"  # the applicant answered: remaining time is walked forward again
    MOVE = "move"  # extension: the due date moves, the first one is kept
    END = "end"  # the dossier is finished or closed
    NONE = "none"


BACK = "back"  # "back to the state it left" (supplement, pay)
SAME = "same"  # the status does not change (extension)


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[Status]
    to: Status | str  # a Status, BACK or SAME
    clock: Clock


_OPEN = frozenset({Status.RECEIVED, Status.PROCESSING})
TRANSITIONS: dict[Action, Transition] = {
    Action.RECEIVE: Transition(frozenset({Status.SUBMITTED}), Status.RECEIVED, Clock.START),
    Action.REQUEST_SUPPLEMENT: Transition(
        frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING}),
        Status.AWAITING_SUPPLEMENT,
        Clock.PAUSE,
    ),
    Action.SUPPLEMENT: Transition(frozenset({Status.AWAITING_SUPPLEMENT}), BACK, Clock.RESUME),
    Action.REFUSE: Transition(frozenset({Status.SUBMITTED, Status.RECEIVED}), Status.REFUSED, Clock.END),
    Action.FORWARD: Transition(_OPEN, Status.PROCESSING, Clock.NONE),
    Action.REQUEST_PAYMENT: Transition(frozenset({Status.PROCESSING}), Status.AWAITING_PAYMENT, Clock.PAUSE),
    Action.PAY: Transition(frozenset({Status.AWAITING_PAYMENT}), BACK, Clock.RESUME),
    Action.EXTEND: Transition(_OPEN, SAME, Clock.MOVE),
    Action.RESOLVE: Transition(frozenset({Status.PROCESSING}), Status.RESOLVED, Clock.END),
    Action.RETURN_RESULT: Transition(frozenset({Status.RESOLVED}), Status.RETURNED, Clock.NONE),
    Action.WITHDRAW: Transition(
        frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, *WAITING}),
        Status.WITHDRAWN,
        Clock.END,
    ),
    Action.STOP: Transition(
        frozenset({Status.RECEIVED, Status.PROCESSING, *WAITING}), Status.STOPPED, Clock.END
    ),
}


def allowed_actions(status: Status) -> list[Action]:
    return [action for action, t in TRANSITIONS.items() if status in t.allowed_from]


class NotAllowedNow(Exception):
    def __init__(self, action: Action, status: Status) -> None:
        self.action, self.status, self.allowed = action, status, allowed_actions(status)
        super().__init__(
            f"{action} is not allowed in status {status}; allowed: {', '.join(self.allowed) or 'none'}"
        )


def next_status(action: Action, status: Status, *, left_from: Status | None = None) -> Status:
    """The status after ``action``; BACK returns to ``left_from`` (the status before the wait)."""
    transition = TRANSITIONS[action]
    if status not in transition.allowed_from:
        raise NotAllowedNow(action, status)
    if transition.to == SAME:
        return status
    if transition.to == BACK:
        if left_from is None:
            raise ValueError("a dossier waiting for the applicant remembers the status it left")
        return left_from
    return Status(transition.to)


# --- Who may act (contract §5, "Who acts") -----------------------------------------------------------

STAFF_ACTING = frozenset({"receiver", "specialist", "leader"})
RECEIVING_DESK_ACTIONS = frozenset({Action.RECEIVE, Action.REFUSE, Action.SUPPLEMENT, Action.RETURN_RESULT})
APPLICANT_ACTIONS = frozenset({Action.SUPPLEMENT, Action.PAY, Action.WITHDRAW})


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    agency_id: int | None
    is_admin: bool = False


@dataclass(frozen=True)
class Holding:
    """Who a dossier belongs to right now."""

    current_agency_id: int | None
    receiving_agency_id: int | None
    applicant_user_id: int | None


def may_act(actor: Actor, action: Action, dossier: Holding) -> bool:
    if actor.role in STAFF_ACTING and actor.agency_id is not None:
        if actor.agency_id == dossier.current_agency_id:
            return True
        # Results come back to where the dossier was received; the desk also acts for the applicant.
        if actor.role == "receiver" and actor.agency_id == dossier.receiving_agency_id:
            return action in RECEIVING_DESK_ACTIONS
        return False
    if actor.role == "citizen":
        return dossier.applicant_user_id == actor.user_id and action in APPLICANT_ACTIONS
    return False


# --- Timeliness (contract §5) --------------------------------------------------------------------------------


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"


def timeliness(
    *,
    status: Status,
    resolved_at: datetime | None,
    due_at: datetime | None,
    original_due_at: datetime | None,
    supplements_after_receipt: int,
    now: datetime,
    tz: tzinfo,
) -> Timeliness | None:
    """Finished: late if after the first appointment or supplemented more than once after receipt,
    early if on a calendar day before the appointment's day, else on time. Unfinished: overdue
    once now passes the due date. Dossiers never received (or closed without a result) have none.
    """
    if resolved_at is not None:
        if original_due_at is None:
            return None
        if resolved_at > original_due_at or supplements_after_receipt > 1:
            return Timeliness.LATE
        early = resolved_at.astimezone(tz).date() < original_due_at.astimezone(tz).date()
        return Timeliness.EARLY if early else Timeliness.ON_TIME
    if due_at is None or status in FINAL:
        return None
    return Timeliness.OVERDUE if now > due_at else Timeliness.ON_TRACK


def step_timeliness(completed: datetime, due: datetime, tz: tzinfo) -> Timeliness:
    """One step of the control sheet (form 06): late after its deadline, early if finished on a
    calendar day before the deadline's day, else on time."""
    if completed > due:
        return Timeliness.LATE
    early = completed.astimezone(tz).date() < due.astimezone(tz).date()
    return Timeliness.EARLY if early else Timeliness.ON_TIME


def label(status: Status, language: str | None) -> str:
    """The status as the desk reads it: English for "en", Vietnamese otherwise."""
    return (LABEL_EN if language == "en" else LABEL_VI)[status]


def is_late(
    resolved_at: datetime | None, original_due_at: datetime | None, supplements_after_receipt: int
) -> bool:
    return bool(
        resolved_at and original_due_at and (resolved_at > original_due_at or supplements_after_receipt > 1)
    )


__all__ = [
    "BACK",
    "SAME",
    "FINAL",
    "FINISHED",
    "LABEL_EN",
    "LABEL_VI",
    "SYNC_CODE",
    "TRANSITIONS",
    "WAITING",
    "Action",
    "Actor",
    "Clock",
    "Holding",
    "NotAllowedNow",
    "Status",
    "Timeliness",
    "Transition",
    "allowed_actions",
    "label",
    "may_act",
    "next_status",
    "step_timeliness",
    "timeliness",
]
