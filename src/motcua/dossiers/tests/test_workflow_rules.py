"""The plain-Python rules the services, the serializers and the generator share."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from motcua.dossiers.workflow import Status, Timeliness, label, step_timeliness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2026, 11, 26, 17, 0, tzinfo=TZ)


def test_a_step_is_graded_against_its_deadline_by_calendar_day() -> None:
    assert step_timeliness(datetime(2026, 11, 25, 16, 59, tzinfo=TZ), DUE, TZ) == Timeliness.EARLY
    assert step_timeliness(datetime(2026, 11, 26, 8, 0, tzinfo=TZ), DUE, TZ) == Timeliness.ON_TIME
    assert step_timeliness(DUE, DUE, TZ) == Timeliness.ON_TIME
    assert step_timeliness(datetime(2026, 11, 26, 17, 1, tzinfo=TZ), DUE, TZ) == Timeliness.LATE
    # The day is the province's: 23:30 UTC on the 25th is already the 26th in Vietnam.
    assert (
        step_timeliness(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC")), DUE, TZ) == Timeliness.ON_TIME
    )


def test_status_labels_are_vietnamese_unless_english_is_asked_for() -> None:
    assert label(Status.REFUSED, "vi") == label(Status.REFUSED, None) == "Không được tiếp nhận"
    assert label(Status.REFUSED, "en") != "Không được tiếp nhận"


def test_the_leaders_step_is_done_by_a_leader_before_the_result() -> None:
    from motcua.dossiers.workflow import Route, StepRefusal, may_move_to, may_resolve

    steps = ("receiver", "specialist", "leader", "specialist")  # receive, appraise, approve, issue
    assert may_resolve(Route(steps, None), "specialist") == (StepRefusal.APPROVAL_PENDING, 2)
    assert may_resolve(Route(steps, 1), "leader") == (StepRefusal.APPROVAL_PENDING, 2)
    assert may_resolve(Route(steps, 2), "specialist") == (StepRefusal.LEADER_ACTS, 2)
    assert may_resolve(Route(steps, 2), "leader") is None
    assert may_resolve(Route(steps, 3), "specialist") is None  # approved: the result is issued
    assert may_resolve(Route(("specialist",), None), "specialist") is None  # no leader's step
    assert may_move_to(Route(steps, 1), 3, "specialist") == (StepRefusal.APPROVAL_PENDING, 2)  # no skipping
    assert may_move_to(Route(steps, 1), 2, "specialist") is None  # to the leader
    assert may_move_to(Route(steps, 2), 3, "specialist") == (StepRefusal.LEADER_ACTS, 2)
    assert may_move_to(Route(steps, 2), 3, "leader") is None
    assert may_move_to(Route(steps, 2), 1, "leader") is None  # sent back
