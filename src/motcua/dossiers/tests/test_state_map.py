"""The state map, walked whole, in the manner of Signalen's workflow tests: every (action, status)
pair and the whole "who may act" matrix, against contract §5 restated here by hand — not read
back from ``workflow.TRANSITIONS``, so a wrong entry in the map fails."""

from __future__ import annotations

from datetime import timedelta
from itertools import product
from typing import Any

import pytest

from motcua.calendar.selectors import get_calendar
from motcua.core.errors import Conflict
from motcua.dossiers import commands, services, workflow
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import World, applicant
from motcua.dossiers.workflow import Action, Clock, Status

S = Status
A = Action
WAITS = (S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT)

# Contract §5, the table of actions: (action, from) → to. "back" returns to the status the wait left.
CONTRACT: dict[tuple[Action, Status], Status | str] = {
    (A.RECEIVE, S.SUBMITTED): S.RECEIVED,
    **{(A.REQUEST_SUPPLEMENT, s): S.AWAITING_SUPPLEMENT for s in (S.SUBMITTED, S.RECEIVED, S.PROCESSING)},
    (A.SUPPLEMENT, S.AWAITING_SUPPLEMENT): "back",
    **{(A.REFUSE, s): S.REFUSED for s in (S.SUBMITTED, S.RECEIVED)},
    **{(A.FORWARD, s): S.PROCESSING for s in (S.RECEIVED, S.PROCESSING)},
    (A.REQUEST_PAYMENT, S.PROCESSING): S.AWAITING_PAYMENT,
    (A.PAY, S.AWAITING_PAYMENT): "back",
    **{(A.EXTEND, s): s for s in (S.RECEIVED, S.PROCESSING)},
    (A.RESOLVE, S.PROCESSING): S.RESOLVED,
    (A.RETURN_RESULT, S.RESOLVED): S.RETURNED,
    **{(A.WITHDRAW, s): S.WITHDRAWN for s in (S.SUBMITTED, S.RECEIVED, S.PROCESSING, *WAITS)},
    **{(A.STOP, s): S.STOPPED for s in (S.RECEIVED, S.PROCESSING, *WAITS)},
}
# Contract §4–§5: what each action does to the clock.
CLOCK = {
    A.RECEIVE: Clock.START,
    A.REQUEST_SUPPLEMENT: Clock.PAUSE,
    A.REQUEST_PAYMENT: Clock.PAUSE,
    A.SUPPLEMENT: Clock.RESUME,
    A.PAY: Clock.RESUME,
    A.EXTEND: Clock.MOVE,
    A.RESOLVE: Clock.END,
    A.REFUSE: Clock.END,
    A.WITHDRAW: Clock.END,
    A.STOP: Clock.END,
    A.FORWARD: Clock.NONE,
    A.RETURN_RESULT: Clock.NONE,
}


@pytest.mark.parametrize(("action", "status"), list(product(Action, Status)))
def test_every_action_from_every_status(action: Action, status: Status) -> None:
    expected = CONTRACT.get((action, status))
    if expected is None:
        with pytest.raises(workflow.NotAllowedNow):
            workflow.move(action, status, left_from=S.PROCESSING)
        assert action not in workflow.allowed_actions(status)
        return
    move = workflow.move(action, status, left_from=S.PROCESSING)
    assert move.to == (S.PROCESSING if expected == "back" else expected)
    assert move.clock == CLOCK[action]
    assert action in workflow.allowed_actions(status)


def test_the_status_sets_split_every_status_once() -> None:
    assert set(Status) == workflow.OPEN | workflow.FINISHED | workflow.CLOSED
    assert not (workflow.OPEN & workflow.FINISHED or workflow.OPEN & workflow.CLOSED)
    assert {S.RESOLVED, S.RETURNED} == workflow.FINISHED
    assert {S.REFUSED, S.WITHDRAWN, S.STOPPED} == workflow.CLOSED


# --- who may act: contract §5, "Who acts" -----------------------------------------------------------------

HOLDER, DESK, OTHER = 1, 2, 3  # the agency holding the dossier, the one that received it, any other
ME, SOMEONE_ELSE = 10, 11
RELATIONS = {
    "staff of the holding agency": (HOLDER, None),
    "staff of the receiving agency": (DESK, None),
    "staff of another agency": (OTHER, None),
    "the applicant": (None, ME),
    "another citizen": (None, SOMEONE_ELSE),
}


def contract_says(role: str, relation: str, action: Action) -> bool:
    if role in ("receiver", "specialist", "leader") and relation == "staff of the holding agency":
        return True
    if role == "receiver" and relation == "staff of the receiving agency":
        return action in (A.RECEIVE, A.REFUSE, A.SUPPLEMENT, A.RETURN_RESULT)
    if role == "citizen" and relation == "the applicant":
        return action in (A.SUPPLEMENT, A.PAY, A.WITHDRAW)
    return False


@pytest.mark.parametrize(
    ("role", "relation"),
    [
        *((r, rel) for r in ("receiver", "specialist", "leader", "supervisor", "admin") for rel in RELATIONS),
        *(("citizen", rel) for rel in ("the applicant", "another citizen")),
    ],
)
def test_the_may_act_matrix(role: str, relation: str) -> None:
    agency, user = RELATIONS[relation]
    actor = workflow.Actor(user_id=user or 99, role=role, agency_id=agency)
    holding = workflow.Holding(current_agency_id=HOLDER, receiving_agency_id=DESK, applicant_user_id=ME)
    for action in Action:
        assert workflow.may_act(actor, action, holding) is contract_says(role, relation, action), action


# --- the services follow the map: every pair, on real dossiers ------------------------------------------


RECEIVE = ("desk", commands.Receive())
TO_LEADERS = ("desk", commands.Forward(step="Phê duyệt"))  # the leaders' step, where the leader resolves
# How the services bring a new online dossier to each status: (who, command) in order.
PATHS: dict[Status, list[tuple[str, commands.Command]]] = {
    S.SUBMITTED: [],
    S.REFUSED: [("desk", commands.Close(closing=A.REFUSE, reason="Không thuộc thẩm quyền"))],
    S.RECEIVED: [RECEIVE],
    S.PROCESSING: [RECEIVE, TO_LEADERS],
    S.AWAITING_SUPPLEMENT: [
        RECEIVE,
        TO_LEADERS,
        ("leader", commands.RequestSupplement(items=["Điều lệ công ty"], reason="Thiếu")),
    ],
    S.AWAITING_PAYMENT: [RECEIVE, TO_LEADERS, ("leader", commands.RequestPayment(amount_vnd=50000))],
    S.WITHDRAWN: [RECEIVE, TO_LEADERS, ("citizen", commands.Close(closing=A.WITHDRAW, reason="Rút"))],
    S.STOPPED: [RECEIVE, TO_LEADERS, ("leader", commands.Close(closing=A.STOP, reason="Dừng"))],
    S.RESOLVED: [RECEIVE, TO_LEADERS, ("leader", commands.Resolve(outcome="approved"))],
    S.RETURNED: [
        RECEIVE,
        TO_LEADERS,
        ("leader", commands.Resolve(outcome="approved")),
        ("desk", commands.ReturnResult(method="counter")),
    ],
}


def _dossier_in(world: World, status: Status) -> Dossier:
    """A dossier of the small province in ``status``, brought there by the services."""
    people = {"desk": world.receiver, "leader": world.leader, "citizen": world.citizen}
    dossier, _ = services.create_dossier(
        actor=world.citizen,
        procedure_code="1.000956",
        channel="online",
        applicant=commands.Applicant(**applicant()),
        documents=[commands.DocumentIn("GDN", "Giấy đề nghị")],
    )
    for who, command in PATHS[status]:
        services.act(actor=people[who], dossier_id=dossier.pk, command=command)
    dossier.refresh_from_db()
    assert dossier.status == status
    return dossier


def _command(action: Action, dossier: Dossier) -> commands.Command:
    later = (
        get_calendar().add_working_time(dossier.due_at, timedelta(hours=8))
        if dossier.due_at
        else dossier.submitted_at + timedelta(days=30)
    )
    data = {
        "items": (
            [{"name": "Lệ phí", "amount_vnd": 50000, "kind": "charge"}]
            if action is A.REQUEST_PAYMENT
            else ["Điều lệ công ty"]
        ),
        "reason": "Lý do",
        "documents": [{"code": "DL", "name": "Điều lệ công ty"}],
        "amount_vnd": 50000,
        "method": "counter",
        "new_due_at": later,
        "outcome": "approved",
    }
    return commands.build(action, data)


def _actor(world: World, action: Action, dossier: Dossier) -> Any:
    if action in (A.SUPPLEMENT, A.PAY, A.WITHDRAW):
        return world.citizen
    if dossier.current_agency_id == world.receiver.agency_id:
        return world.receiver
    return world.leader if action is A.RESOLVE else world.specialist


@pytest.mark.parametrize("status", list(Status))
def test_the_services_take_status_and_clock_from_the_map(world: World, status: Status) -> None:
    """Every action on a dossier in ``status`` (a fresh one each time; the province is set up once)."""
    for action in Action:
        _check_one(world, action, status)


def _check_one(world: World, action: Action, status: Status) -> None:
    dossier = _dossier_in(world, status)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    command = _command(action, dossier)
    actor = _actor(world, action, dossier)
    expected = CONTRACT.get((action, status))
    if expected is None:
        with pytest.raises(Conflict) as caught:
            services.act(actor=actor, dossier_id=dossier.pk, command=command)
        assert caught.value.code == "action_not_allowed", action
        assert DossierEvent.objects.filter(dossier=dossier).count() == events, action  # nothing written
        return
    after = services.act(actor=actor, dossier_id=dossier.pk, command=command)
    after.refresh_from_db()
    assert after.status == (S.PROCESSING if expected == "back" else expected), action
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.action, event.from_status, event.to_status) == (action, status, after.status)
    clock = CLOCK[action]
    if clock is Clock.START:
        assert after.received_at is not None and after.due_at is not None and after.code
    elif clock is Clock.PAUSE:
        assert after.left_status == status
        assert (after.paused_at is not None) is (dossier.due_at is not None), action  # none before receipt
    elif clock is Clock.RESUME:
        assert after.paused_at is None and after.left_status == "", action
    elif clock is Clock.END:
        assert after.paused_at is None, action
        ended = after.resolved_at if after.status == S.RESOLVED else after.closed_at
        assert ended is not None, action
    elif clock is Clock.MOVE:
        assert after.due_at > dossier.due_at and after.original_due_at == dossier.original_due_at
    else:
        assert (after.due_at, after.paused_at) == (dossier.due_at, dossier.paused_at), action
