"""The petition state map walked whole: every (action, status) pair and the "who may act" matrix,
against contract §9 restated here by hand — not read back from ``lifecycle.TRANSITIONS``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any

import pytest

from motcua.petitions import lifecycle
from motcua.petitions.lifecycle import Action, Status, Timeliness

S, A = Status, Action

# Contract §9: received → accepted | forwarded | refused; awaiting_supplement ↔ accepted → answered →
# published. A forwarded petition is classified again by the agency that now holds it.
CONTRACT: dict[tuple[Action, Status], Status] = {
    **{(A.ACCEPT, s): S.ACCEPTED for s in (S.RECEIVED, S.FORWARDED)},
    **{(A.FORWARD, s): S.FORWARDED for s in (S.RECEIVED, S.FORWARDED)},
    **{(A.REFUSE, s): S.REFUSED for s in (S.RECEIVED, S.FORWARDED)},
    (A.REQUEST_SUPPLEMENT, S.ACCEPTED): S.AWAITING_SUPPLEMENT,
    (A.SUPPLEMENT, S.AWAITING_SUPPLEMENT): S.ACCEPTED,
    (A.ANSWER, S.ACCEPTED): S.ANSWERED,
    (A.PUBLISH, S.ANSWERED): S.PUBLISHED,
}


@pytest.mark.parametrize(("action", "status"), list(product(Action, Status)))
def test_every_action_from_every_status(action: Action, status: Status) -> None:
    expected = CONTRACT.get((action, status))
    if expected is None:
        with pytest.raises(lifecycle.NotAllowedNow):
            lifecycle.move(action, status)
        assert action not in lifecycle.allowed_actions(status)
        return
    move = lifecycle.move(action, status, role="leader")
    assert (move.before, move.to, move.draft) == (status, expected, False)
    assert action in lifecycle.allowed_actions(status)


def test_a_specialists_answer_is_a_draft_that_moves_nothing() -> None:
    move = lifecycle.move(A.ANSWER, S.ACCEPTED, role="specialist")
    assert move.draft and move.to is S.ACCEPTED
    with pytest.raises(lifecycle.NotAllowedNow):
        lifecycle.move(A.ANSWER, S.RECEIVED, role="specialist")


HOLDER, OTHER = 1, 2
STAFF_EVERYTHING_BUT_ANSWER = {a for a in Action if a not in (A.ANSWER, A.PUBLISH)}
WHO = {
    "receiver": STAFF_EVERYTHING_BUT_ANSWER,
    "specialist": set(Action),
    "leader": set(Action),
    "supervisor": set(),
    "citizen": set(),
    "admin": set(),
}


@pytest.mark.parametrize(("role", "agency", "action"), list(product(WHO, (HOLDER, OTHER, None), Action)))
def test_who_may_act(role: str, agency: int | None, action: Action) -> None:
    actor = lifecycle.Actor(user_id=10, role=role, agency_id=agency)
    expected = agency == HOLDER and action in WHO[role]
    assert lifecycle.may_act(actor, action, HOLDER) is expected


NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "consent", "missed", "due", "paused", "expected"),
    [
        (S.RECEIVED, True, False, NOW + timedelta(hours=1), None, Timeliness.ON_TRACK),
        (S.RECEIVED, True, False, NOW - timedelta(hours=1), None, Timeliness.OVERDUE),
        (S.ACCEPTED, True, True, NOW + timedelta(days=3), None, Timeliness.OVERDUE),  # a step was late
        # waiting for the sender: judged where the clock stopped
        (
            S.AWAITING_SUPPLEMENT,
            True,
            False,
            NOW - timedelta(hours=1),
            NOW - timedelta(hours=2),
            Timeliness.ON_TRACK,
        ),
        (
            S.ANSWERED,
            True,
            False,
            NOW - timedelta(minutes=1),
            None,
            Timeliness.OVERDUE,
        ),  # not published in time
        (S.ANSWERED, False, False, None, None, Timeliness.ON_TIME),  # no consent: finished when answered
        (S.ANSWERED, False, True, None, None, Timeliness.LATE),
        (S.PUBLISHED, True, False, None, None, Timeliness.ON_TIME),
        (S.PUBLISHED, True, True, None, None, Timeliness.LATE),
        (S.REFUSED, False, False, None, None, Timeliness.ON_TIME),
    ],
)
def test_timeliness(
    status: Status,
    consent: bool,
    missed: bool,
    due: datetime | None,
    paused: datetime | None,
    expected: Timeliness,
) -> None:
    got = lifecycle.timeliness(
        status=status, publish_consent=consent, missed=missed, due_at=due, paused_at=paused, now=NOW
    )
    assert got is expected
    assert lifecycle.in_time(got) is (expected in (Timeliness.ON_TIME, Timeliness.ON_TRACK))


def test_the_default_deadlines_are_the_national_portals() -> None:
    rules = lifecycle.Deadlines()
    assert (rules.classify, rules.first_supplement, rules.answer, rules.publish) == (2, 5, 15, 2)


def test_code_format() -> None:
    assert lifecycle.format_code("261120", 7) == "PAKN-261120-0007"


# --- the same table through ``services.act``: a 409 writes nothing, a success writes one event ------------

ARGS = {
    A.FORWARD: {"agency_code": "H15.16", "reason": "Thuộc thẩm quyền Sở Xây dựng"},
    A.REFUSE: {"reason": "Không thuộc phạm vi phản ánh, kiến nghị"},
    A.REQUEST_SUPPLEMENT: {"reason": "Xin bổ sung số hồ sơ"},
    A.ANSWER: {"answer": "Sở đã xem xét và trả lời như sau."},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), list(product(Action, Status)))
def test_every_pair_through_the_service(world: Any, action: Action, status: Status) -> None:
    from motcua.core.errors import Conflict
    from motcua.petitions import commands, services
    from motcua.petitions.models import Petition, PetitionEvent
    from motcua.petitions.tests.conftest import sent

    petition = sent(world)
    Petition.objects.filter(pk=petition.pk).update(status=status)
    events = PetitionEvent.objects.count()
    command = commands.Command(action=action, **ARGS.get(action, {}))
    expected = CONTRACT.get((action, status))
    if expected is None:
        with pytest.raises(Conflict):
            services.act(actor=world.leader, petition_id=petition.pk, command=command)
        assert Petition.objects.get(pk=petition.pk).status == status
        assert PetitionEvent.objects.count() == events
        return
    done = services.act(actor=world.leader, petition_id=petition.pk, command=command)
    assert done.status == expected
    event = PetitionEvent.objects.latest("id")
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        action,
        status,
        expected,
        world.leader,
    )
    assert PetitionEvent.objects.count() == events + 1
