"""The index engine against hand-computed examples (domain.md §6.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.monitoring import index as engine
from motcua.monitoring.index import Count, NoSource

RULES = engine.ruleset_for(2026)
D = Decimal


def rule(code: str) -> engine.IndicatorRule:
    return next(i for g in RULES.groups for i in g.indicators if i.code == code)


def full_measures(**changes: engine.Measure) -> dict[str, engine.Measure]:
    measures: dict[str, engine.Measure] = {code: Count(1, 1) for code in RULES.indicator_codes()}
    measures.update(changes)
    return measures


def test_the_set_adds_up_to_100_in_six_groups() -> None:
    assert [g.code for g in RULES.groups] == [
        "transparency",
        "progress",
        "online",
        "digitization",
        "payment",
        "satisfaction",
    ]
    assert [g.max_points for g in RULES.groups] == [18, 20, 12, 22, 10, 18]
    assert sum(g.max_points for g in RULES.groups) == 100
    for g in RULES.groups:
        if g.code != "payment":  # 6 + 2 + 2.5: the portal's fit, capped at 10
            assert sum(i.max_points for i in g.indicators) == g.max_points, g.code


@pytest.mark.parametrize(
    ("code", "num", "den", "points"),
    [
        ("on_time", 95, 100, "19.00"),  # 20·r, linear
        ("on_time", 2, 3, "13.33"),
        ("publish_on_time", 1, 3, "2.00"),
        ("e_result", 5, 8, "3.75"),
        ("reused_data", 40, 100, "1.00"),  # min(2, 2·r/0.8)
        ("reused_data", 80, 100, "2.00"),
        ("reused_data", 95, 100, "2.00"),
        ("dossier_satisfaction", 45, 50, "6.00"),  # min(6, 6·r/0.9): 90 % is full marks
        ("dossier_satisfaction", 80, 100, "5.33"),
        ("online_paid", 1, 2, "3.00"),
        ("procedures_with_online_payment", 1, 4, "0.63"),  # min(2, 2.5·0.25) = 0.625 → 0.63
        ("procedures_with_online_payment", 9, 10, "2.00"),
        ("fee_procedures_with_dossiers", 1, 2, "1.25"),  # 2.5·C
    ],
)
def test_scoring_rules(code: str, num: int, den: int, points: str) -> None:
    result = engine.score(full_measures(**{code: Count(num, den)}), RULES)
    got = next(i for g in result.groups for i in g.indicators if i.code == code)
    assert got.score == D(points)
    assert got.ratio == (D(num) / D(den)).quantize(D("0.0001"))


@pytest.mark.parametrize(
    ("code", "points"),
    [
        ("dossier_satisfaction", "0"),  # denominator 0 ⇒ 0
        ("online_paid", "0"),  # payment: denominator 0 ⇒ ratio 0
        ("procedures_with_online_payment", "0"),
        ("petition_on_time", "6"),  # no PAKN ⇒ full 6
        ("petition_satisfaction", "6"),
        ("e_certified_copy", "2"),  # 0/0 ⇒ full 2
        ("on_time", "0"),
    ],
)
def test_zero_denominators(code: str, points: str) -> None:
    result = engine.score(full_measures(**{code: Count(0, 0)}), RULES)
    got = next(i for g in result.groups for i in g.indicators if i.code == code)
    assert got.score == D(points)
    assert got.ratio is None


def test_payment_formula_and_cap() -> None:
    # A = 0.5, B = 0.5, C = 0.5 → 6·0.5 + min(2, 1.25) + 1.25 = 5.5
    measures = full_measures(
        online_paid=Count(5, 10),
        procedures_with_online_payment=Count(1, 2),
        fee_procedures_with_dossiers=Count(2, 4),
    )
    payment = next(g for g in engine.score(measures, RULES).groups if g.code == "payment")
    assert payment.score == D("5.50")
    # Everything at 100 %: 6 + 2 + 2.5 = 10.5, shown as the group's 10.
    payment = next(g for g in engine.score(full_measures(), RULES).groups if g.code == "payment")
    assert payment.score == D(10)


def test_total_band_and_full_marks() -> None:
    result = engine.score(full_measures(), RULES)
    assert result.total == D(100)
    assert result.band is not None and result.band.name == "Xuất sắc"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", "Xuất sắc"),
        ("90", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80", "Tốt"),
        ("79.99", "Khá"),
        ("70", "Khá"),
        ("69.99", "Trung bình"),
        ("50", "Trung bình"),
        ("49.99", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_bands(total: str, band: str) -> None:
    assert engine.band_for(D(total)).name == band


def test_a_worked_example() -> None:
    measures = full_measures(
        publish_on_time=Count(3, 4),  # 4.5
        dossier_sync=Count(90, 100),  # 5.4
        on_time=Count(97, 100),  # 19.4
        full_process_online=Count(3, 4),  # 9
        e_result=Count(1, 2),  # 3
        digitized=Count(7, 10),  # 2.8
    )
    result = engine.score(measures, RULES)
    groups = {g.code: g.score for g in result.groups}
    assert groups["transparency"] == D("15.90")  # 4.5 + 4 + 2 + 5.4
    assert groups["progress"] == D("19.40")
    assert groups["online"] == D("9.00")
    assert groups["digitization"] == D("17.80")  # 3 + 2.8 + 2 + 4 + 2 + 2 + 2
    assert result.total == D("90.10")  # 15.9 + 19.4 + 9 + 17.8 + 10 + 18
    assert result.band is not None and result.band.code == "excellent"


def test_no_source_means_no_total() -> None:
    result = engine.score(full_measures(petition_on_time=NoSource("no PAKN yet")), RULES)
    assert result.total is None and result.band is None
    satisfaction = next(g for g in result.groups if g.code == "satisfaction")
    assert satisfaction.score is None
    petition = next(i for i in satisfaction.indicators if i.code == "petition_on_time")
    assert petition.score is None and petition.reason == "no PAKN yet"
    assert engine.partial_total(result) == D(94)


def test_rules_are_versioned_by_year() -> None:
    later = engine.RuleSet(year=2027, groups=RULES.groups[:1], bands=engine.BANDS)
    sets = (RULES, later)
    assert engine.ruleset_for(2026, sets) is RULES
    assert engine.ruleset_for(2027, sets) is later
    assert engine.ruleset_for(2030, sets) is later
    assert engine.ruleset_for(2019, sets) is RULES


def test_threshold_rule_is_data() -> None:
    assert rule("reused_data").threshold == D("0.80")
    assert engine.indicator_points(rule("reused_data"), 1, 2) == D("1.25")
