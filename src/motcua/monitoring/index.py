"""The Decision 766 index (Bộ chỉ số 766) as the national portal computes it (domain.md §6.2).

Plain Python, no Django: the rules are data (``RULESETS``, versioned by year, because the portal has
changed weights and thresholds since 2022) and ``score`` turns counts into points. Where the counts
come from is the business of ``motcua.monitoring.selectors``.

Every indicator is scored the same way: ``min(max_points, max_points · r / threshold)`` with
``r = numerator / denominator``. A linear indicator has threshold 1; "80 % earns full marks" is
threshold 0.8. The payment formula 6·A + min(2, 2.5·B) + 2.5·C is three such indicators (A: 6 at
threshold 1; B: 2 at threshold 0.8; C: 2.5 at threshold 1) in a group capped at 10.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

ZeroRule = Literal["zero", "full"]
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    name: str
    max_points: Decimal
    threshold: Decimal = Decimal(1)
    zero: ZeroRule = "zero"  # what a zero denominator earns: nothing, or full points


@dataclass(frozen=True)
class GroupRule:
    code: str
    name: str
    max_points: Decimal
    indicators: tuple[IndicatorRule, ...]


@dataclass(frozen=True)
class Band:
    minimum: Decimal
    code: str
    name: str


@dataclass(frozen=True)
class RuleSet:
    """The weights in force from ``year`` on."""

    year: int
    groups: tuple[GroupRule, ...]
    bands: tuple[Band, ...]
    note: str = ""

    def indicator_codes(self) -> list[str]:
        return [i.code for g in self.groups for i in g.indicators]


def _d(value: str | int) -> Decimal:
    return Decimal(value)


def _ind(code: str, name: str, points: str, threshold: str = "1", zero: ZeroRule = "zero") -> IndicatorRule:
    return IndicatorRule(code, name, _d(points), _d(threshold), zero)


BANDS = (
    Band(_d(90), "excellent", "Xuất sắc"),
    Band(_d(80), "good", "Tốt"),
    Band(_d(70), "fair", "Khá"),
    Band(_d(50), "average", "Trung bình"),
    Band(_d(0), "weak", "Yếu"),
)

# As observed on dichvucong.gov.vn in 2026 (domain.md §6.2). The 2022 annex's per-indicator weights
# were never obtained, so this set applies to every year until a different one is known.
RULES_OBSERVED_2026 = RuleSet(
    year=2022,
    note="Weights observed on the national portal (2026); the 2022 legal annex is unconfirmed.",
    bands=BANDS,
    groups=(
        GroupRule(
            "transparency",
            "Công khai, minh bạch",
            _d(18),
            (
                _ind("publish_on_time", "Tỷ lệ TTHC công bố đúng hạn", "6"),
                _ind("public_update_on_time", "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", "4"),
                _ind("public_content_full", "Tỷ lệ TTHC công khai có đầy đủ nội dung", "2"),
                _ind("dossier_sync", "Tỷ lệ hồ sơ đồng bộ trạng thái lên Cổng DVCQG", "6"),
            ),
        ),
        GroupRule(
            "progress",
            "Tiến độ giải quyết",
            _d(20),
            (_ind("on_time", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "20"),),
        ),
        GroupRule(
            "online",
            "Dịch vụ công trực tuyến",
            _d(12),
            (
                _ind(
                    "full_process_online",
                    "Tỷ lệ hồ sơ DVCTT toàn trình / hồ sơ của các TTHC đủ điều kiện toàn trình",
                    "12",
                ),
            ),
        ),
        GroupRule(
            "digitization",
            "Mức độ số hóa hồ sơ",
            _d(22),
            (
                _ind("e_result", "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử", "6"),
                _ind("digitized", "Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ", "4"),
                _ind(
                    "reused_data", "Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "2", "0.80"
                ),
                _ind(
                    "warehouse_shared",
                    "Tỷ lệ hồ sơ được số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng",
                    "4",
                ),
                _ind(
                    "population_data_dossiers", "Tỷ lệ hồ sơ TTHC có sử dụng thông tin, dữ liệu dân cư", "2"
                ),
                _ind(
                    "population_data_procedures",
                    "Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư",
                    "2",
                ),
                _ind(
                    "e_certified_copy",
                    "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính",
                    "2",
                    zero="full",
                ),
            ),
        ),
        GroupRule(
            "payment",
            "Thanh toán trực tuyến",
            _d(10),
            (
                _ind("online_paid", "Tỷ lệ hồ sơ thanh toán trực tuyến", "6"),
                _ind(
                    "procedures_with_online_payment",
                    "Tỷ lệ TTHC có phát sinh thanh toán trực tuyến",
                    "2",
                    "0.80",
                ),
                _ind("fee_procedures_with_dossiers", "Tỷ lệ TTHC có phí, lệ phí phát sinh hồ sơ", "2.5"),
            ),
        ),
        GroupRule(
            "satisfaction",
            "Mức độ hài lòng",
            _d(18),
            (
                _ind(
                    "dossier_satisfaction",
                    "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
                    "6",
                    "0.90",
                ),
                _ind("petition_on_time", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", "6", zero="full"),
                _ind(
                    "petition_satisfaction",
                    "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
                    "6",
                    zero="full",
                ),
            ),
        ),
    ),
)

RULESETS: tuple[RuleSet, ...] = (RULES_OBSERVED_2026,)


def ruleset_for(year: int, rulesets: Sequence[RuleSet] = RULESETS) -> RuleSet:
    """The latest rule set that starts on or before ``year`` (the earliest one before any)."""
    ordered = sorted(rulesets, key=lambda r: r.year)
    chosen = ordered[0]
    for ruleset in ordered:
        if ruleset.year <= year:
            chosen = ruleset
    return chosen


# --- inputs and results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    numerator: int
    denominator: int


@dataclass(frozen=True)
class NoSource:
    """MotCua holds no data for this indicator yet: no score, and no total."""

    reason: str


Measure = Count | NoSource


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    name: str
    max_points: Decimal
    score: Decimal | None
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    reason: str = ""


@dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    max_points: Decimal
    score: Decimal | None
    indicators: list[IndicatorScore] = field(default_factory=list)


@dataclass(frozen=True)
class IndexResult:
    total: Decimal | None
    band: Band | None
    groups: list[GroupScore]
    ruleset: RuleSet


def round2(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def indicator_points(rule: IndicatorRule, numerator: int, denominator: int) -> Decimal:
    """Unrounded points: min(max, max · r / threshold); a zero denominator per ``rule.zero``."""
    if denominator <= 0:
        return rule.max_points if rule.zero == "full" else Decimal(0)
    ratio = Decimal(numerator) / Decimal(denominator)
    return min(rule.max_points, rule.max_points * ratio / rule.threshold)


def band_for(total: Decimal, bands: Sequence[Band] = BANDS) -> Band:
    for band in sorted(bands, key=lambda b: b.minimum, reverse=True):
        if total >= band.minimum:
            return band
    return min(bands, key=lambda b: b.minimum)


def score(measures: Mapping[str, Measure], ruleset: RuleSet) -> IndexResult:
    """Points per indicator (rounded to 2 decimals), group sums capped at the group's maximum,
    the total and its band. An indicator without a source has no score, nor has its group or the
    total: a missing number is never replaced by a made-up one."""
    groups: list[GroupScore] = []
    total: Decimal | None = Decimal(0)
    for group in ruleset.groups:
        scores: list[IndicatorScore] = []
        group_total: Decimal | None = Decimal(0)
        for rule in group.indicators:
            measure = measures.get(rule.code, NoSource("not computed"))
            if isinstance(measure, NoSource):
                scores.append(
                    IndicatorScore(
                        rule.code, rule.name, rule.max_points, None, None, None, None, measure.reason
                    )
                )
                group_total = None
                continue
            points = round2(indicator_points(rule, measure.numerator, measure.denominator))
            ratio = (
                (Decimal(measure.numerator) / Decimal(measure.denominator)).quantize(
                    Decimal("0.0001"), rounding=ROUND_HALF_UP
                )
                if measure.denominator > 0
                else None
            )
            scores.append(
                IndicatorScore(
                    rule.code,
                    rule.name,
                    rule.max_points,
                    points,
                    measure.numerator,
                    measure.denominator,
                    ratio,
                )
            )
            if group_total is not None:
                group_total += points
        if group_total is not None:
            group_total = min(group.max_points, group_total)
        groups.append(GroupScore(group.code, group.name, group.max_points, group_total, scores))
        total = None if total is None or group_total is None else total + group_total
    return IndexResult(
        total=total,
        band=band_for(total, ruleset.bands) if total is not None else None,
        groups=groups,
        ruleset=ruleset,
    )


def partial_total(result: IndexResult) -> Decimal:
    """Σ of the scores that exist (each group capped): for ranking and charts, never the total."""
    return sum(
        (
            min(g.max_points, sum((i.score for i in g.indicators if i.score is not None), Decimal(0)))
            for g in result.groups
        ),
        Decimal(0),
    )
