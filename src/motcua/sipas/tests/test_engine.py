"""The index engine against hand-computed values and the published figures (reform-indices.md §2.4, §2.7)."""

from __future__ import annotations

import pytest

from motcua.sipas.engine import (
    Element,
    Item,
    Pillar,
    Scheme,
    compute,
    item_index,
    perception_shares,
    required_sample,
    round2,
    split_quota,
    weighted_mean,
)


def scheme(**weights: float) -> Scheme:
    return Scheme(
        pillars=(
            Pillar(
                "I",
                "Chính sách",
                (
                    Element("I.A", "A", (Item("a1"), Item("a2"))),
                    Element("I.B", "B", (Item("b1"),)),
                ),
                weight=weights.get("I", 1.0),
            ),
            Pillar("II", "Dịch vụ", (Element("II.1", "1", (Item("c1"),)),), weight=weights.get("II", 1.0)),
        )
    )


def test_item_index_is_the_share_of_valid_answers_at_4_or_5() -> None:
    # 3 of 4 valid answers are 4 or 5; the null is not counted at all.
    assert item_index([5, 4, 4, 2, None]) == (75.0, 4)
    assert item_index([3, 3, None]) == (0.0, 2)
    assert item_index([None, None]) == (None, 0)
    # The cut is configurable: with "satisfied" = 5 only, one of four.
    assert item_index([5, 4, 4, 2], cut=5) == (25.0, 4)


def test_hand_computed_tree() -> None:
    answers = [
        {"a1": 5, "a2": 4, "b1": 1, "c1": 5},
        {"a1": 4, "a2": 2, "b1": 4, "c1": 3},
        {"a1": 3, "a2": None, "b1": 4, "c1": 4},
    ]
    result = compute(scheme(), answers)
    # a1 2/3 = 66.667; a2 1/2 = 50; A = 58.333; b1 2/3 = 66.667 = B; I = 62.5
    # c1 2/3 = 66.667 = II.1 = II; overall (62.5 + 66.667) / 2 = 64.583 -> 64.58
    assert result.responses == 3
    pillar_i, pillar_ii = result.pillars
    assert [e.index for e in pillar_i.elements] == [58.33, 66.67]
    assert [(i.code, i.index, i.n) for i in pillar_i.elements[0].items] == [("a1", 66.67, 3), ("a2", 50.0, 2)]
    assert pillar_i.index == 62.5
    assert pillar_ii.index == 66.67
    assert result.overall == 64.58


def test_weights_are_configurable_at_the_pillar_level() -> None:
    answers = [{"a1": 5, "a2": 5, "b1": 5, "c1": 1}]
    assert compute(scheme(), answers).overall == 50.0
    assert compute(scheme(I=3.0, II=1.0), answers).overall == 75.0


def test_items_without_valid_answers_drop_out_of_the_mean() -> None:
    result = compute(scheme(), [{"a1": 5, "a2": None, "b1": None, "c1": None}])
    assert result.pillars[0].elements[0].index == 100.0  # a2 has no answer: A is a1's
    assert result.pillars[0].elements[1].index is None
    assert result.pillars[1].index is None
    assert result.overall == 100.0  # the mean of what could be measured


def test_no_answers_at_all_gives_no_index() -> None:
    result = compute(scheme(), [])
    assert result.overall is None and result.responses == 0


def test_ha_noi_2024_overall_from_its_pillars() -> None:
    # vjs.vietnam.vn: policy 86.51 %, service 86.49 % -> published overall 86.50 %.
    assert round2(weighted_mean([86.51, 86.49], [1.0, 1.0])) == 86.50


def test_national_2024_is_not_the_mean_of_its_pillars() -> None:
    # 83.84 and 84.09 average to 83.965 (83.97), but 83.94 was published: another rule (§2.4).
    assert round2(weighted_mean([83.84, 84.09], [1.0, 1.0])) != 83.94


def test_rounding_is_half_up_to_two_decimals() -> None:
    assert round2(64.585) == 64.59
    assert round2(2.675) == 2.68  # float round() would give 2.67
    assert round2(None) is None


def test_perception_shares() -> None:
    shares = perception_shares(["none", "none", "some", None, "many"], ["none", "some", "many"])
    assert shares == {"none": 50.0, "some": 25.0, "many": 25.0}
    assert perception_shares([None], ["none"]) == {"none": None}


@pytest.mark.parametrize(("population", "expected"), [(0, 0), (1, 1), (100, 80), (1000, 286), (9000, 383)])
def test_sample_size_rule_of_1383(population: int, expected: int) -> None:
    # n = N / (1 + N e^2), e = 0.05, rounded up: 100 -> 80; 1000 -> 285.7 -> 286; 9000 -> 382.98 -> 383.
    assert required_sample(population) == expected


def test_quota_split_is_proportional_with_largest_remainder_and_sums_to_the_total() -> None:
    assert split_quota(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert split_quota(100, {"a": 300, "b": 100, "c": 0}) == {"a": 75, "b": 25, "c": 0}
    # No frame at all: an equal split.
    assert split_quota(7, {"a": 0, "b": 0}) == {"a": 4, "b": 3}
    assert split_quota(5, {}) == {}


def test_ha_noi_2024_from_raw_answers_through_the_whole_engine() -> None:
    # 8,651 of 10,000 satisfied on the policy pillar, 8,649 of 10,000 on the service pillar.
    hanoi = Scheme(
        pillars=(
            Pillar("I", "Chính sách", (Element("I.A", "A", (Item("p"),)),)),
            Pillar("II", "Dịch vụ", (Element("II.1", "1", (Item("s"),)),)),
        )
    )
    answers = [{"p": 5 if n < 8651 else 2, "s": 4 if n < 8649 else 3} for n in range(10_000)]
    result = compute(hanoi, answers)
    assert [p.index for p in result.pillars] == [86.51, 86.49]
    assert result.overall == 86.50
