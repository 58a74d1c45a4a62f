"""The PAR INDEX engine against hand-computed values (no database)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from motcua.par import engine


def small() -> dict[str, Any]:
    """Two scored fields (60 + 40 = 100) and a bonus and a penalty field."""
    return {
        "year": 2026,
        "code": "T",
        "name": "Test",
        "fields": [
            {
                "code": "1",
                "name": "Chỉ đạo",
                "criteria": [
                    {
                        "code": "1.1",
                        "name": "Kế hoạch",
                        "max_points": 30,
                        "method": "self",
                        "criteria": [
                            {"code": "1.1.1", "name": "a", "max_points": 10, "method": "self"},
                            {"code": "1.1.2", "name": "b", "max_points": 20, "method": "self"},
                        ],
                    },
                    {"code": "1.2", "name": "Khảo sát", "max_points": 30, "method": "survey"},
                ],
            },
            {
                "code": "2",
                "name": "TTHC",
                "criteria": [
                    {
                        "code": "2.1",
                        "name": "Đúng hạn",
                        "max_points": 25,
                        "method": "system",
                        "metric": "on_time",
                    },
                    {
                        "code": "2.2",
                        "name": "Số hóa",
                        "max_points": 15,
                        "method": "system",
                        "metric": "digitized",
                    },
                ],
            },
            {
                "code": "B",
                "name": "Thưởng",
                "kind": "bonus",
                "criteria": [{"code": "B.1", "name": "x", "max_points": 3}],
            },
            {
                "code": "P",
                "name": "Trừ",
                "kind": "penalty",
                "criteria": [{"code": "P.1", "name": "y", "max_points": 5}],
            },
        ],
    }


def test_sums_roll_up_and_bonus_penalty() -> None:
    fw = engine.parse(small())
    result = engine.score_unit(
        fw,
        {
            "1.1.1": D("8"),
            "1.1.2": D("15.5"),
            "1.2": D("24.6"),
            "2.1": D("20"),
            "2.2": D("12"),
            "B.1": D(2),
            "P.1": D(1),
        },
    )
    assert result.criteria["1.1"] == D("23.5")
    assert [(f.code, f.score, f.max_points) for f in result.fields] == [
        ("1", D("48.1"), D(60)),
        ("2", D(32), D(40)),
        ("B", D(2), D(3)),
        ("P", D(1), D(5)),
    ]
    assert result.by_method == {"self": D("23.5"), "survey": D("24.6"), "system": D(32)}
    # (48.1 + 32 + 2 − 1) / 100 × 100
    assert result.index == D("81.10")


def test_not_applicable_leaves_the_maximum() -> None:
    fw = engine.parse(small())
    # No survey (30 points) and nothing to judge for digitisation (15): max 55.
    result = engine.score_unit(
        fw, {"1.1.1": D(10), "1.1.2": D(17), "1.2": None, "2.1": D("21.37"), "2.2": None}
    )
    assert result.applicable_max == D(55)
    assert result.criteria["1.2"] is None
    # (27 + 21.37) / 55 × 100 = 87.945454… → 87.95 (half up)
    assert result.index == D("87.95")
    assert result.fields[0].max_points == D(30)


def test_index_is_held_between_0_and_100() -> None:
    fw = engine.parse(small())
    full = {"1.1.1": D(10), "1.1.2": D(20), "1.2": D(30), "2.1": D(25), "2.2": D(15)}
    assert engine.score_unit(fw, full | {"B.1": D(3)}).index == D(100)
    assert engine.score_unit(fw, {"P.1": D(5)}).index == D(0)


def test_unscored_leaf_counts_zero_in_the_full_maximum() -> None:
    result = engine.score_unit(engine.parse(small()), {"2.1": D(25)})
    assert result.applicable_max == D(100) and result.index == D("25.00")


@pytest.mark.parametrize(
    ("index", "group"),
    [
        (D("100"), "A"),
        (D("90.00"), "A"),
        (D("89.99"), "B"),
        (D("80.00"), "B"),
        (D("79.99"), "C"),
        (D("70.00"), "C"),
        (D("69.99"), "D"),
        (D(0), "D"),
        (None, None),
    ],
)
def test_groups_at_the_boundaries(index: D | None, group: str | None) -> None:
    assert engine.group_for(index) == group


def test_ranks_with_ties() -> None:
    got = engine.ranks([("a", D("85.5")), ("b", D("91")), ("c", D("85.5")), ("d", None), ("e", D("70"))])
    assert got == {"b": 1, "a": 2, "c": 2, "e": 4, "d": None}


def test_system_and_survey_points() -> None:
    assert engine.system_points(D(25), 171, 200) == D("21.38")  # 25 × 0.855 = 21.375 → 21.38
    assert engine.system_points(D(25), 5, 0) is None
    assert engine.system_points(D(10), 12, 10) == D(10)
    assert engine.survey_points(D(30), 82.05) == D("24.62")  # 24.615 → 24.62
    assert engine.survey_points(D(30), None) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["fields"][0]["criteria"][0].update(max_points=31), "criteria.1.1.max_points"),
        (lambda d: d["fields"][1]["criteria"][0].update(max_points=26), "total_points"),
        (lambda d: d["fields"][1]["criteria"][0].update(metric="weather"), "criteria.2.1.metric"),
        (lambda d: d["fields"][1]["criteria"][0].pop("metric"), "criteria.2.1.metric"),
        (lambda d: d["fields"][0]["criteria"][1].update(method="vote"), "criteria.1.2.method"),
        (lambda d: d["fields"][0]["criteria"][1].update(code="1.1"), "criteria.1.1"),
        (lambda d: d["fields"][0]["criteria"][1].update(max_points=-1), "criteria.1.2.max_points"),
        (lambda d: d["fields"][0].update(max_points=59), "fields.1.max_points"),
        (lambda d: d["fields"][2].update(kind="extra"), "fields.B.kind"),
        (lambda d: d.update(year="2026"), "year"),
    ],
)
def test_a_framework_that_does_not_add_up_is_refused_naming_the_place(change: Any, field: str) -> None:
    data = small()
    change(data)
    with pytest.raises(engine.FrameworkError) as caught:
        engine.parse(data, known_metrics={"on_time", "digitized"})
    assert caught.value.field == field
