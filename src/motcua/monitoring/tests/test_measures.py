"""The indicator definitions of domain.md §6.2 and contract §7, without a database."""

from __future__ import annotations

from datetime import date

from motcua.monitoring.index import Count
from motcua.monitoring.measures import (
    CatalogVersion,
    PetitionTally,
    Slice,
    measures,
    nth_working_day,
    petition_measures,
    publication_rules,
    sync_denominator,
    transparency,
)

HOLIDAY = date(2026, 9, 2)  # Quốc khánh, a Wednesday


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in (HOLIDAY, date(2026, 9, 1))


def version(procedure: int, **changes: object) -> CatalogVersion:
    base: dict[str, object] = {
        "procedure_id": procedure,
        "agency_ids": frozenset({1}),
        "current": True,
        "fee": False,
        "individual": True,
        "complete": True,
        "decision_date": None,
        "effective_date": None,
        "published_date": None,
    }
    return CatalogVersion(**(base | changes))  # type: ignore[arg-type]


def test_publication_deadlines_of_a_ministry_and_a_province() -> None:
    assert publication_rules(ministry=True) == (20, 10)
    assert publication_rules(ministry=False) == (5, 5)


def test_working_days_are_counted_past_weekends_and_holidays() -> None:
    # Friday 28/08 + 1 working day: Mon 31/08 (1/9 and 2/9 off), + 2: Thu 03/09.
    assert nth_working_day(date(2026, 8, 28), 1, 1, is_working_day) == date(2026, 8, 31)
    assert nth_working_day(date(2026, 8, 28), 2, 1, is_working_day) == date(2026, 9, 3)
    assert nth_working_day(date(2026, 9, 3), 2, -1, is_working_day) == date(2026, 8, 28)


def test_a_procedure_decided_twice_counts_once_and_one_late_decision_makes_it_late() -> None:
    effective = date(2026, 9, 10)
    on_time = nth_working_day(effective, 5, -1, is_working_day)
    versions = [
        version(1, decision_date=on_time, effective_date=effective, published_date=on_time),
        version(2, decision_date=on_time, effective_date=effective, published_date=on_time, current=False),
        # The same procedure 2, decided again too late: the period counts it once, and late.
        version(2, decision_date=date(2026, 9, 8), effective_date=effective, published_date=date(2026, 9, 8)),
        # Procedure 3 was made public 6 working days after its decision: late for a province.
        version(
            3,
            decision_date=on_time,
            effective_date=effective,
            published_date=nth_working_day(on_time, 6, 1, is_working_day),
            complete=False,
        ),
        version(4, decision_date=date(2025, 12, 1), effective_date=date(2026, 1, 1)),  # outside the period
    ]
    got = transparency(
        versions, date(2026, 8, 1), date(2026, 9, 30), ministry=False, is_working_day=is_working_day
    )
    assert got["publish_on_time"] == Count(2, 3)  # 1 and 3 on time, 2 late
    assert got["public_update_on_time"] == Count(2, 3)  # 1 and 2 public in time, 3 not
    # Content is judged on every current version as the catalog stands, whatever the period: 3 is not complete.
    assert got["public_content_full"] == Count(3, 4)


def test_a_ministry_has_twenty_working_days() -> None:
    effective = date(2026, 10, 30)
    five_before = nth_working_day(effective, 5, -1, is_working_day)
    versions = [version(1, decision_date=five_before, effective_date=effective, published_date=five_before)]
    period = (date(2026, 1, 1), date(2026, 12, 31))
    assert transparency(versions, *period, ministry=False, is_working_day=is_working_day)[
        "publish_on_time"
    ] == Count(1, 1)
    assert transparency(versions, *period, ministry=True, is_working_day=is_working_day)[
        "publish_on_time"
    ] == Count(0, 1)


def test_the_sync_denominator_falls_back_to_last_years_intake_pro_rata() -> None:
    assert sync_denominator(40, 1200, date(2026, 3, 1), date(2026, 3, 31)) == 40
    assert sync_denominator(0, 0, date(2026, 3, 1), date(2026, 3, 31)) == 0
    assert sync_denominator(0, 365, date(2026, 3, 1), date(2026, 3, 31)) == 31
    assert sync_denominator(0, 1, date(2026, 3, 1), date(2026, 3, 1)) == 1  # never below one
    assert sync_denominator(0, 366, date(2025, 1, 1), date(2025, 1, 31)) == 31  # 2024 was a leap year


def test_the_dossier_indicators_from_a_slice() -> None:
    s = Slice(overdue=3, overdue_ok=2)
    s.add(1, {"received": 60, "early": 20, "on_time": 15, "late": 5, "open_timed": 20, "dissatisfied": 7})
    s.add(2, {"received": 40, "with_fee": 40, "paid_online": 10, "population": 4, "synced": 100})
    versions = [version(1, individual=True), version(2, fee=True, individual=False), version(3, fee=True)]
    got = measures(
        s,
        versions,
        {1},
        prior_year_received=0,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        ministry=False,
        is_working_day=is_working_day,
    )
    assert got["on_time"] == Count(20 + 15 + (20 - 3), 20 + 15 + 5 + 20)  # open and on track count as on time
    assert got["dossier_satisfaction"] == Count(
        100 - 7 - 2, 100
    )  # late or unhappy, or overdue and not rated so
    assert got["dossier_sync"] == Count(100, 100)
    assert got["online_paid"] == Count(10, 40)
    assert got["procedures_with_online_payment"] == Count(1, 2)  # 2 had one, 3 none
    assert got["fee_procedures_with_dossiers"] == Count(1, 2)
    assert got["population_data_procedures"] == Count(0, 2)  # 1 and 3 are for individuals; only 2 used it
    # No petition and no commune: 0/0, which the index scores as full points.
    assert got["petition_on_time"] == got["petition_satisfaction"] == got["e_certified_copy"] == Count(0, 0)


def test_the_petition_indicators() -> None:
    tally = PetitionTally(received=10, late=2, late_or_unsatisfied=3, procedure=6, staff_conduct=3)
    got = petition_measures(tally)
    assert got["petition_on_time"] == Count(8, 10)
    assert got["petition_satisfaction"] == Count(7, 10)
    assert tally + PetitionTally(1, 1, 1, 0, 1) == PetitionTally(11, 3, 4, 6, 4)
