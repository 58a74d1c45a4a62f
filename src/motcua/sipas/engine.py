"""The SIPAS index (Decision 1001/QĐ-BNV as read in reform-indices.md §2.4) and its sampling helpers.

Plain Python, no Django: the API, the pages, the export and the demo call it with plain data.

- item index: the share (%) of the valid answers (1–5; "không trả lời" is None and not counted)
  that reach the "satisfied" cut (4: hài lòng, rất hài lòng);
- element: the weighted mean of its items; pillar: of its elements; overall: of its pillars.
  Weights default to 1 (equal), which reproduces Hà Nội 2024 (86.51, 86.49 → 86.50).
  A node with no valid answer under it has no index and drops out of its parent's mean.
- Means are taken on the unrounded values; each published figure is rounded half up to 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SCALE = (1, 2, 3, 4, 5)
SATISFIED_CUT = 4
MARGIN = 0.05  # e of the sample-size rule of 1383/QĐ-BNV (§2.5)


@dataclass(frozen=True)
class Item:
    code: str
    weight: float = 1.0


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    items: tuple[Item, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str
    elements: tuple[Element, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Scheme:
    pillars: tuple[Pillar, ...]

    def item_codes(self) -> list[str]:
        return [i.code for p in self.pillars for e in p.elements for i in e.items]


@dataclass(frozen=True)
class ItemResult:
    code: str
    index: float | None
    n: int


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    index: float | None
    items: list[ItemResult] = field(default_factory=list)


@dataclass(frozen=True)
class PillarResult:
    code: str
    name: str
    index: float | None
    elements: list[ElementResult] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    overall: float | None
    responses: int
    pillars: list[PillarResult]


def round2(value: float | None) -> float | None:
    """Half up, on the decimal digits one reads (2.675 → 2.68, where float round gives 2.67)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def weighted_mean(values: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """The weighted mean of the values that exist; None when none does."""
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    if not pairs or total == 0:
        return None
    return sum(v * w for v, w in pairs) / total


def item_index(answers: Iterable[int | None], *, cut: int = SATISFIED_CUT) -> tuple[float | None, int]:
    """(index in %, unrounded; number of valid answers)."""
    valid = [a for a in answers if a is not None]
    if not valid:
        return None, 0
    return 100.0 * sum(1 for a in valid if a >= cut) / len(valid), len(valid)


def compute(
    scheme: Scheme, responses: Sequence[Mapping[str, int | None]], *, cut: int = SATISFIED_CUT
) -> Result:
    """The whole tree from the raw answers, one mapping {item code: 1..5 | None} per response."""
    pillars: list[PillarResult] = []
    pillar_raw: list[float | None] = []
    for pillar in scheme.pillars:
        elements: list[ElementResult] = []
        element_raw: list[float | None] = []
        for element in pillar.elements:
            items: list[ItemResult] = []
            item_raw: list[float | None] = []
            for item in element.items:
                index, n = item_index((r.get(item.code) for r in responses), cut=cut)
                item_raw.append(index)
                items.append(ItemResult(item.code, round2(index), n))
            raw = weighted_mean(item_raw, [i.weight for i in element.items])
            element_raw.append(raw)
            elements.append(ElementResult(element.code, element.name, round2(raw), items))
        raw = weighted_mean(element_raw, [e.weight for e in pillar.elements])
        pillar_raw.append(raw)
        pillars.append(PillarResult(pillar.code, pillar.name, round2(raw), elements))
    overall = weighted_mean(pillar_raw, [p.weight for p in scheme.pillars])
    return Result(round2(overall), len(responses), pillars)


def perception_shares(answers: Iterable[str | None], options: Sequence[str]) -> dict[str, float | None]:
    """The share (%) of respondents who picked each option, among those who answered (e.g. Q4:
    "90.06 % say no civil servant causes trouble")."""
    given = [a for a in answers if a is not None]
    if not given:
        return dict.fromkeys(options)
    return {o: round2(100.0 * given.count(o) / len(given)) for o in options}


def required_sample(population: int, *, margin: float = MARGIN) -> int:
    """n = N / (1 + N·e²), rounded up (1383/QĐ-BNV; §2.5)."""
    if population <= 0:
        return 0
    return math.ceil(population / (1 + population * margin * margin) - 1e-9)


def split_quota(total: int, frame: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` among the units in proportion to their frame (e.g. the dossiers each returned
    in the past year), largest remainder first; equally when no unit has a frame. Sums to ``total``."""
    if not frame:
        return {}
    weights = dict(frame) if any(v > 0 for v in frame.values()) else dict.fromkeys(frame, 1)
    whole = sum(weights.values())
    exact = {code: total * w / whole for code, w in weights.items()}
    quota = {code: math.floor(x) for code, x in exact.items()}
    left = total - sum(quota.values())
    order = sorted(exact, key=lambda code: (-(exact[code] - quota[code]), list(frame).index(code)))
    for code in order[:left]:
        quota[code] += 1
    return quota
