"""The PAKN and certified-copy indicators from the data: petitions first received in the period,
judged now (late, overdue, not satisfied), and the communes' flag; with them the total is a number."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.monitoring import selectors
from motcua.petitions import commands, services
from motcua.petitions.lifecycle import Action
from motcua.petitions.models import Petition
from motcua.petitions.tests.conftest import PHONE, sent


def indicators(code: str = "H15") -> dict[str, Any]:
    today = timezone.localdate()
    whole, _units = selectors.service_index(Agency.objects.get(code=code), date(today.year, 1, 1), today)
    found = {i.code: i for g in whole.result.groups for i in g.indicators}
    found["total"] = whole.result.total
    return found


def test_no_petition_and_no_commune_flag_set_earn_full_points_on_petitions(world: Any) -> None:
    got = indicators()
    assert (got["petition_on_time"].denominator, got["petition_on_time"].score) == (0, Decimal(6))
    assert got["petition_satisfaction"].score == Decimal(6)
    assert got["total"] is not None


def test_late_overdue_and_unsatisfied_petitions_lose_points(world: Any) -> None:
    on_time = sent(world)
    overdue = sent(world)
    unhappy = sent(world)
    sent(world)  # received, still on track
    Petition.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=1))
    for command in (commands.Command(Action.ACCEPT), commands.Command(Action.ANSWER, answer="Đã trả lời")):
        services.act(actor=world.leader, petition_id=on_time.pk, command=command)
        services.act(actor=world.leader, petition_id=unhappy.pk, command=command)
    services.evaluate(code=unhappy.code, satisfied=False, phone=PHONE)
    services.evaluate(code=on_time.code, satisfied=True, phone=PHONE)
    got = indicators()
    on_time_rate, satisfaction = got["petition_on_time"], got["petition_satisfaction"]
    assert (on_time_rate.numerator, on_time_rate.denominator) == (3, 4)  # the overdue one is out
    assert on_time_rate.score == Decimal("4.50")
    assert (satisfaction.numerator, satisfaction.denominator) == (2, 4)  # overdue and unhappy are out
    # A petition received last year does not count in this year's index.
    Petition.objects.filter(pk=overdue.pk).update(
        received_at=timezone.now().replace(year=timezone.now().year - 1)
    )
    assert indicators()["petition_on_time"].denominator == 3
    # Another agency's scope does not see them.
    assert indicators("H15.16")["petition_on_time"].denominator == 0


def test_certified_copies_count_the_flagged_communes(world: Any) -> None:
    assert indicators()["e_certified_copy"].denominator == 2  # Buôn Ma Thuột and Hòa Phú
    assert indicators()["e_certified_copy"].score == Decimal(0)
    Agency.objects.filter(code="H15.105").update(offers_e_certified_copy=True)
    got = indicators()["e_certified_copy"]
    assert (got.numerator, got.denominator, got.score) == (1, 2, Decimal("1.00"))
    assert indicators("H15.STC")["e_certified_copy"].score == Decimal(2)  # no commune: 0/0, full points
