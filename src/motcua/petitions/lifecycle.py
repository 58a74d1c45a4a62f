"""The petition (PAKN — phản ánh, kiến nghị) state machine of contract §9, in one map. Plain Python,
no Django import.

Everything else asks this module: which actions a status allows, where each leads, who may take it,
the deadline of each step on the working-day clock, and how timely a petition is.

Deadlines are the national portal's rules (Decision 766 group 6, domain.md §6.2), configurable per
province: refuse or forward within 2 working days of receipt, the first supplement request within 5,
the answer within 15, publication within 2 of the answer. Circular 02/2017/TT-VPCP's 20-day answer
limit and 7-day progress updates are the legal frame (docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"  # tiếp nhận, not yet classified
    ACCEPTED = "accepted"  # within competence, being handled
    FORWARDED = "forwarded"  # sent on to the competent agency, which now holds it
    REFUSED = "refused"  # không tiếp nhận, with the reason
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # the sender was asked for more
    ANSWERED = "answered"  # the answer is approved by a leader
    PUBLISHED = "published"  # công khai: the answer is public, personal data removed


LABEL_VI = {
    Status.RECEIVED: "Đã tiếp nhận",
    Status.ACCEPTED: "Đang xử lý",
    Status.FORWARDED: "Đã chuyển cơ quan có thẩm quyền",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung thông tin",
    Status.ANSWERED: "Đã trả lời",
    Status.PUBLISHED: "Đã công khai trả lời",
}
LABEL_EN = {
    Status.RECEIVED: "Received",
    Status.ACCEPTED: "Accepted, being handled",
    Status.FORWARDED: "Forwarded to the competent agency",
    Status.REFUSED: "Refused",
    Status.AWAITING_SUPPLEMENT: "More information requested",
    Status.ANSWERED: "Answered",
    Status.PUBLISHED: "Answer published",
}

UNCLASSIFIED = frozenset({Status.RECEIVED, Status.FORWARDED})  # waiting to be accepted, forwarded or refused
ANSWERED = frozenset({Status.ANSWERED, Status.PUBLISHED})  # an answer exists: the sender may rate it


class Action(StrEnum):
    ACCEPT = "accept"  # tiếp nhận xử lý
    FORWARD = "forward"  # chuyển cơ quan có thẩm quyền
    REFUSE = "refuse"  # từ chối tiếp nhận
    REQUEST_SUPPLEMENT = "request_supplement"  # yêu cầu bổ sung thông tin
    SUPPLEMENT = "supplement"  # the sender's additional information, entered by staff
    ANSWER = "answer"  # trả lời: a specialist drafts, a leader approves
    PUBLISH = "publish"  # công khai


class Clock(StrEnum):
    """What an action does to the petition's clock."""

    START = "start"  # the agency that now holds it gets its classification deadline
    ANSWER = "answer"  # accepted: the answer deadline runs from receipt
    PAUSE = "pause"  # waiting for the sender (when the province pauses the clock)
    RESUME = "resume"
    PUBLISH = "publish"  # answered: the publication deadline runs from the answer
    END = "end"
    NONE = "none"  # a draft: nothing moves


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[Status]
    to: Status
    clock: Clock


TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: Transition(UNCLASSIFIED, Status.ACCEPTED, Clock.ANSWER),
    Action.FORWARD: Transition(UNCLASSIFIED, Status.FORWARDED, Clock.START),
    Action.REFUSE: Transition(UNCLASSIFIED, Status.REFUSED, Clock.END),
    Action.REQUEST_SUPPLEMENT: Transition(
        frozenset({Status.ACCEPTED}), Status.AWAITING_SUPPLEMENT, Clock.PAUSE
    ),
    Action.SUPPLEMENT: Transition(frozenset({Status.AWAITING_SUPPLEMENT}), Status.ACCEPTED, Clock.RESUME),
    Action.ANSWER: Transition(frozenset({Status.ACCEPTED}), Status.ANSWERED, Clock.PUBLISH),
    Action.PUBLISH: Transition(frozenset({Status.ANSWERED}), Status.PUBLISHED, Clock.END),
}

# Who may take each action among the staff of the agency holding the petition (contract §9). The
# answer is a leader's: a specialist's answer is kept as a draft for the leader to approve.
DRAFTERS = frozenset({"specialist"})
APPROVERS = frozenset({"leader"})
MAY = {
    Action.ACCEPT: frozenset({"receiver", "specialist", "leader"}),
    Action.FORWARD: frozenset({"receiver", "specialist", "leader"}),
    Action.REFUSE: frozenset({"receiver", "specialist", "leader"}),
    Action.REQUEST_SUPPLEMENT: frozenset({"receiver", "specialist", "leader"}),
    Action.SUPPLEMENT: frozenset({"receiver", "specialist", "leader"}),
    Action.ANSWER: DRAFTERS | APPROVERS,
    Action.PUBLISH: frozenset({"specialist", "leader"}),
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
    action: Action
    before: Status
    to: Status
    clock: Clock
    draft: bool = False  # a specialist's answer: kept as a draft, the status does not change


def move(action: Action, status: Status, *, role: str = "leader") -> Move:
    """The move ``action`` makes from ``status``. Raises NotAllowedNow when the status does not allow
    it. A drafter's answer stays where it is: only a leader's answer moves the petition on."""
    transition = TRANSITIONS[action]
    if status not in transition.allowed_from:
        raise NotAllowedNow(action, status)
    if action is Action.ANSWER and role in DRAFTERS:
        return Move(action, status, status, Clock.NONE, draft=True)
    return Move(action, status, transition.to, transition.clock)


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    agency_id: int | None


def may_act(actor: Actor, action: Action, holding_agency_id: int | None) -> bool:
    """Staff of the agency holding the petition, in the roles of ``MAY``."""
    return actor.agency_id is not None and actor.agency_id == holding_agency_id and actor.role in MAY[action]


# --- Deadlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """Working days allowed for each step (the national portal's defaults; a province may change them)."""

    classify: int = 2  # refuse or forward, counted from receipt at the agency holding it
    first_supplement: int = 5  # the first request for more information, from receipt
    answer: int = 15  # the answer, from receipt
    publish: int = 2  # publication, from the answer
    pause_for_supplement: bool = True  # whether waiting for the sender stops the clock ([U] in the law)


class Step(StrEnum):
    """The deadline a petition is being judged against now."""

    CLASSIFY = "classify"
    ANSWER = "answer"
    PUBLISH = "publish"


STEP_OF: dict[Status, Step] = {
    Status.RECEIVED: Step.CLASSIFY,
    Status.FORWARDED: Step.CLASSIFY,
    Status.ACCEPTED: Step.ANSWER,
    Status.AWAITING_SUPPLEMENT: Step.ANSWER,
    Status.ANSWERED: Step.PUBLISH,
}


def current_step(status: Status, *, publish_consent: bool) -> Step | None:
    """The step whose deadline runs now; None once the petition is finished. An answer the sender did
    not agree to publish is finished when it is answered."""
    if status is Status.ANSWERED and not publish_consent:
        return None
    return STEP_OF.get(status)


def finished(status: Status, *, publish_consent: bool) -> bool:
    return current_step(status, publish_consent=publish_consent) is None


# --- Timeliness (contract §9) -------------------------------------------------------------------------


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"


def timeliness(
    *,
    status: Status,
    publish_consent: bool,
    missed: bool,
    due_at: datetime | None,
    paused_at: datetime | None,
    now: datetime,
) -> Timeliness:
    """A finished petition is late if any step finished after its deadline, else on time. An unfinished
    one is overdue once a step was missed or the current step's deadline has passed (a paused clock is
    judged where it stopped), else on track."""
    if finished(status, publish_consent=publish_consent):
        return Timeliness.LATE if missed else Timeliness.ON_TIME
    judged_at = paused_at or now
    if missed or (due_at is not None and judged_at > due_at):
        return Timeliness.OVERDUE
    return Timeliness.ON_TRACK


def in_time(value: Timeliness) -> bool:
    """Counts for the 766 on-time indicator: handled on time, or in progress within time."""
    return value in (Timeliness.ON_TIME, Timeliness.ON_TRACK)


def label(status: Status, language: str | None) -> str:
    return (LABEL_EN if language == "en" else LABEL_VI)[status]


def format_code(day_yymmdd: str, serial: int) -> str:
    """``PAKN-{YYMMDD}-{NNNN}``: the serial is consecutive per day across the province."""
    return f"PAKN-{day_yymmdd}-{serial:04d}"


__all__ = [
    "ANSWERED",
    "APPROVERS",
    "DRAFTERS",
    "LABEL_EN",
    "LABEL_VI",
    "MAY",
    "STEP_OF",
    "TRANSITIONS",
    "UNCLASSIFIED",
    "Action",
    "Actor",
    "Clock",
    "Deadlines",
    "Move",
    "NotAllowedNow",
    "Status",
    "Step",
    "Timeliness",
    "Transition",
    "allowed_actions",
    "current_step",
    "finished",
    "format_code",
    "in_time",
    "label",
    "may_act",
    "move",
    "timeliness",
]
