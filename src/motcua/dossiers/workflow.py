"""The dossier state machine (contract §5), in one map. Plain Python, no Django import.

Everything else asks this module: which actions a status allows, where each leads, what it does
to the clock, who may take it, where a dossier stands, and how timely it is.
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

# The status sets, named once. Every dossier is in exactly one of OPEN, FINISHED and CLOSED.
FINISHED = frozenset({Status.RESOLVED, Status.RETURNED})  # a result exists: resolved_at is set
CLOSED = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})  # ended without a result: closed_at
OPEN = frozenset(Status) - FINISHED - CLOSED  # not finished yet: the clock runs or waits
WAITING = frozenset(
    {Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT}
)  # the clock waits for the applicant
IN_HAND = frozenset({Status.RECEIVED, Status.PROCESSING})  # at an agency, being worked on


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


CLOSING = frozenset({Action.REFUSE, Action.WITHDRAW, Action.STOP})  # end the dossier without a result


class Clock(StrEnum):
    """What an action does to the dossier's working-time clock."""

    START = "start"  # receipt: the due date is set from now
    PAUSE = "pause"  # waiting for the applicant: remaining time is kept
    RESUME = "resume"  # the applicant answered: remaining time is walked forward again
    MOVE = "move"  # extension: the due date moves, the first one is kept
    END = "end"  # the dossier is finished or closed: the clock stops for good
    NONE = "none"


BACK = "back"  # "back to the state it left" (supplement, pay)
SAME = "same"  # the status does not change (extension)


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[Status]
    to: Status | str  # a Status, BACK or SAME
    clock: Clock


TRANSITIONS: dict[Action, Transition] = {
    Action.RECEIVE: Transition(frozenset({Status.SUBMITTED}), Status.RECEIVED, Clock.START),
    Action.REQUEST_SUPPLEMENT: Transition(
        frozenset({Status.SUBMITTED, *IN_HAND}), Status.AWAITING_SUPPLEMENT, Clock.PAUSE
    ),
    Action.SUPPLEMENT: Transition(frozenset({Status.AWAITING_SUPPLEMENT}), BACK, Clock.RESUME),
    Action.REFUSE: Transition(frozenset({Status.SUBMITTED, Status.RECEIVED}), Status.REFUSED, Clock.END),
    Action.FORWARD: Transition(IN_HAND, Status.PROCESSING, Clock.NONE),
    Action.REQUEST_PAYMENT: Transition(frozenset({Status.PROCESSING}), Status.AWAITING_PAYMENT, Clock.PAUSE),
    Action.PAY: Transition(frozenset({Status.AWAITING_PAYMENT}), BACK, Clock.RESUME),
    Action.EXTEND: Transition(IN_HAND, SAME, Clock.MOVE),
    Action.RESOLVE: Transition(frozenset({Status.PROCESSING}), Status.RESOLVED, Clock.END),
    Action.RETURN_RESULT: Transition(frozenset({Status.RESOLVED}), Status.RETURNED, Clock.NONE),
    Action.WITHDRAW: Transition(OPEN, Status.WITHDRAWN, Clock.END),
    Action.STOP: Transition(OPEN - {Status.SUBMITTED}, Status.STOPPED, Clock.END),
}


def allowed_actions(status: Status) -> list[Action]:
    return [action for action, t in TRANSITIONS.items() if status in t.allowed_from]


class NotAllowedNow(Exception):
    def __init__(self, action: Action, status: Status) -> None:
        self.action, self.status, self.allowed = action, status, allowed_actions(status)
        super().__init__(
            f"{action} is not allowed in status {status}; allowed: {', '.join(self.allowed) or 'none'}"
        )


@dataclass(frozen=True)
class Move:
    """What an action does to a dossier in a given status: where it goes and what the clock does."""

    action: Action
    before: Status
    to: Status
    clock: Clock


def move(action: Action, status: Status, *, left_from: Status | None = None) -> Move:
    """The move ``action`` makes from ``status``; BACK returns to ``left_from`` (the status before the wait).

    Raises NotAllowedNow when the action is not allowed in ``status``."""
    transition = TRANSITIONS[action]
    if status not in transition.allowed_from:
        raise NotAllowedNow(action, status)
    if transition.to == SAME:
        to = status
    elif transition.to == BACK:
        if left_from is None:
            raise ValueError("a dossier waiting for the applicant remembers the status it left")
        to = left_from
    else:
        to = Status(transition.to)
    return Move(action, status, to, transition.clock)


# --- Who may act (contract §5, "Who acts") -----------------------------------------------------------

STAFF_ACTING = frozenset({"receiver", "specialist", "leader"})
RECEIVING_DESK_ACTIONS = frozenset({Action.RECEIVE, Action.REFUSE, Action.SUPPLEMENT, Action.RETURN_RESULT})
APPLICANT_ACTIONS = frozenset({Action.SUPPLEMENT, Action.PAY, Action.WITHDRAW})


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    agency_id: int | None


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


# --- The procedure's steps: the leader's approval ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A procedure's steps, by the role that does each, and the step a dossier is at (None: at no step)."""

    roles: tuple[str, ...]
    at: int | None

    def leader_step_before(self, end: int) -> int | None:
        """The first leader's step after the current one and before ``end``."""
        start = -1 if self.at is None else self.at
        return next((i for i in range(start + 1, end) if self.roles[i] == "leader"), None)


class StepRefusal(StrEnum):
    APPROVAL_PENDING = "approval_pending"  # a leader's step lies ahead: 409
    LEADER_ACTS = "leader_resolves"  # at a leader's step, only a leader moves the dossier on: 403


def may_resolve(route: Route, role: str) -> tuple[StepRefusal, int] | None:
    """A step whose role is leader is done by a leader before the dossier is resolved. None when the
    actor may resolve; else why not and the step concerned."""
    ahead = route.leader_step_before(len(route.roles))
    if ahead is not None:
        return StepRefusal.APPROVAL_PENDING, ahead
    if route.at is not None and route.roles[route.at] == "leader" and role != "leader":
        return StepRefusal.LEADER_ACTS, route.at
    return None


def may_move_to(route: Route, to: int, role: str) -> tuple[StepRefusal, int] | None:
    """A forward along the steps may not jump over a leader's step, and only a leader moves a dossier
    on from one (a leader sending it back is free to)."""
    skipped = route.leader_step_before(to)
    if skipped is not None:
        return StepRefusal.APPROVAL_PENDING, skipped
    if route.at is not None and to > route.at and route.roles[route.at] == "leader" and role != "leader":
        return StepRefusal.LEADER_ACTS, route.at
    return None


# --- Where a dossier is ------------------------------------------------------------------------------


class Placement(StrEnum):
    """Where a dossier stands when it is not at a step of its procedure (the steps are data)."""

    AWAITING_RECEIPT = "awaiting_receipt"  # submitted online, the desk has not received it yet
    AT_DESK = "at_desk"  # received at the one-stop desk, not handed over yet
    IN_PROCESS = "in_process"  # being processed at an agency, at no named step
    AWAITING_APPLICANT = "awaiting_applicant"  # supplement or payment asked for
    RESULT_READY = "result_ready"  # back at the desk, to be handed over
    RESULT_RETURNED = "result_returned"
    CLOSED = "closed"  # refused, withdrawn or stopped


def placement(status: Status) -> Placement:
    if status is Status.SUBMITTED:
        return Placement.AWAITING_RECEIPT
    if status is Status.RECEIVED:
        return Placement.AT_DESK
    if status is Status.PROCESSING:
        return Placement.IN_PROCESS
    if status in WAITING:
        return Placement.AWAITING_APPLICANT
    if status is Status.RESOLVED:
        return Placement.RESULT_READY
    if status is Status.RETURNED:
        return Placement.RESULT_RETURNED
    return Placement.CLOSED


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
    paused_at: datetime | None,
    now: datetime,
    tz: tzinfo,
) -> Timeliness | None:
    """Finished: late if after the first appointment or supplemented more than once after receipt,
    early if on a calendar day before the appointment's day, else on time. Unfinished: overdue
    once the clock passes the due date — a paused clock is judged where it stopped, since time spent
    waiting for the applicant is not the agency's. Dossiers never received, or closed without a
    result, have none.
    """
    if resolved_at is not None:
        if original_due_at is None:
            return None
        if resolved_at > original_due_at or supplements_after_receipt > 1:
            return Timeliness.LATE
        early = resolved_at.astimezone(tz).date() < original_due_at.astimezone(tz).date()
        return Timeliness.EARLY if early else Timeliness.ON_TIME
    if due_at is None or status not in OPEN:
        return None
    judged_at = paused_at or now
    return Timeliness.OVERDUE if judged_at > due_at else Timeliness.ON_TRACK


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


__all__ = [
    "BACK",
    "CLOSED",
    "CLOSING",
    "FINISHED",
    "IN_HAND",
    "LABEL_EN",
    "LABEL_VI",
    "OPEN",
    "SAME",
    "SYNC_CODE",
    "TRANSITIONS",
    "WAITING",
    "Action",
    "Actor",
    "Clock",
    "Holding",
    "Move",
    "NotAllowedNow",
    "Placement",
    "Route",
    "Status",
    "StepRefusal",
    "Timeliness",
    "Transition",
    "allowed_actions",
    "label",
    "may_act",
    "may_move_to",
    "may_resolve",
    "move",
    "placement",
    "step_timeliness",
    "timeliness",
]
