"""The PAR INDEX of a province's units (reform-indices.md §3; contract §11). Plain Python, no Django.

The framework is data: fields (lĩnh vực) → criteria → sub-criteria, each with its maximum points
and a method — ``self`` (self-scored, then appraised), ``survey`` (from SIPAS) or ``system``
(from MotCua's own 766 figures). A field of kind ``bonus`` or ``penalty`` (Hà Nội 5666's 9th
content) stands outside the 100 points: its points are added or taken away.

- a criterion with sub-criteria scores their sum, and its ``max_points`` must equal theirs;
- a field's maximum is the sum of its criteria's; the scored fields add up to ``total_points``;
- index = (points of the scored fields + bonus − penalty) / applicable maximum × 100, where the
  applicable maximum leaves out the criteria that do not apply; held between 0 and 100 and
  rounded half up to 2 decimals;
- groups A ≥ 90, B 80–<90, C 70–<80, D < 70; equal indices share a rank (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

METHODS = ("self", "survey", "system")
FIELD_KINDS = ("score", "bonus", "penalty")
# The names a `system` criterion may use for the Decision 766 measures (contract §11), besides
# the 766 indicator codes themselves.
METRIC_ALIASES = {
    "on_time": "on_time",
    "online": "full_process_online",
    "online_paid": "online_paid",
    "digitized": "digitized",
    "petition_on_time": "petition_on_time",
}
GROUPS = ((Decimal(90), "A"), (Decimal(80), "B"), (Decimal(70), "C"))
_CENT = Decimal("0.01")


class FrameworkError(Exception):
    """A framework file that cannot be used; ``field`` names the place (e.g. ``criteria.1.2``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: Decimal
    method: str
    metric: str = ""
    guidance: str = ""
    children: tuple[Criterion, ...] = ()

    def leaves(self) -> list[Criterion]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    kind: str
    criteria: tuple[Criterion, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))

    def leaves(self) -> list[Criterion]:
        return [leaf for c in self.criteria for leaf in c.leaves()]


@dataclass(frozen=True)
class Framework:
    year: int
    code: str
    name: str
    total_points: Decimal
    fields: tuple[Field, ...]

    def leaves(self) -> list[tuple[Field, Criterion]]:
        return [(f, leaf) for f in self.fields for leaf in f.leaves()]

    def criterion(self, code: str) -> tuple[Field, Criterion] | None:
        for f, leaf in self.leaves():
            if leaf.code == code:
                return f, leaf
        return None

    def all_criteria(self) -> list[tuple[Field, Criterion, int]]:
        """Every criterion, parents before their children, with its depth (1 = a criterion)."""
        out: list[tuple[Field, Criterion, int]] = []

        def walk(f: Field, c: Criterion, depth: int) -> None:
            out.append((f, c, depth))
            for child in c.children:
                walk(f, child, depth + 1)

        for f in self.fields:
            for c in f.criteria:
                walk(f, c, 1)
        return out


def round2(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


# --- reading a framework file ----------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where}.{key}" if where else key, "a non-empty string is required")
    return value.strip()


def _points(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FrameworkError(where, "a number of points is required")
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise FrameworkError(where, "a number of points is required") from None
    if not points.is_finite() or points < 0 or points != round2(points):
        raise FrameworkError(where, "zero or more points, at most 2 decimals")
    return points


def _criterion(data: Any, where: str, codes: set[str], known_metrics: set[str] | None) -> Criterion:
    if not isinstance(data, Mapping):
        raise FrameworkError(where, "an object is required")
    code = _text(data, "code", where)
    where = f"criteria.{code}"
    if code in codes:
        raise FrameworkError(where, "this code is used twice")
    codes.add(code)
    name = _text(data, "name", where)
    max_points = _points(data.get("max_points"), f"{where}.max_points")
    raw_children = data.get("criteria") or []
    if not isinstance(raw_children, list):
        raise FrameworkError(f"{where}.criteria", "a list is required")
    children = tuple(_criterion(c, f"{where}.criteria", codes, known_metrics) for c in raw_children)
    method = data.get("method", "self" if not children else "")
    metric = data.get("metric") or ""
    if children:
        total = sum((c.max_points for c in children), Decimal(0))
        if total != max_points:
            raise FrameworkError(
                f"{where}.max_points",
                f"{max_points} does not equal the sum of its sub-criteria ({total})",
            )
    else:
        if method not in METHODS:
            raise FrameworkError(f"{where}.method", "self, survey or system")
        if method == "system":
            if not isinstance(metric, str) or not metric:
                raise FrameworkError(f"{where}.metric", "a system criterion names its metric")
            if known_metrics is not None and metric not in METRIC_ALIASES and metric not in known_metrics:
                raise FrameworkError(f"{where}.metric", f"unknown metric {metric}")
        elif metric:
            raise FrameworkError(f"{where}.metric", "only a system criterion has a metric")
    guidance = data.get("guidance") or ""
    if not isinstance(guidance, str):
        raise FrameworkError(f"{where}.guidance", "a string is required")
    return Criterion(code, name, max_points, method or "", metric, guidance, children)


def parse(data: Any, *, known_metrics: Iterable[str] | None = None) -> Framework:
    """The framework of a file (JSON, or the same read from XLSX), or FrameworkError naming the
    first criterion whose points do not add up or whose entry is wrong."""
    if not isinstance(data, Mapping):
        raise FrameworkError("framework", "a JSON object is required")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise FrameworkError("year", "a year is required")
    code = _text(data, "code", "")
    name = _text(data, "name", "")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise FrameworkError("fields", "a non-empty list is required")
    metrics = set(known_metrics) if known_metrics is not None else None
    codes: set[str] = set()
    field_codes: set[str] = set()
    fields: list[Field] = []
    for n, raw in enumerate(raw_fields):
        where = f"fields.{n}"
        if not isinstance(raw, Mapping):
            raise FrameworkError(where, "an object is required")
        fcode = _text(raw, "code", where)
        where = f"fields.{fcode}"
        if fcode in field_codes:
            raise FrameworkError(where, "this code is used twice")
        field_codes.add(fcode)
        kind = raw.get("kind", "score")
        if kind not in FIELD_KINDS:
            raise FrameworkError(f"{where}.kind", "score, bonus or penalty")
        raw_criteria = raw.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            raise FrameworkError(f"{where}.criteria", "a non-empty list is required")
        criteria = tuple(_criterion(c, f"{where}.criteria", codes, metrics) for c in raw_criteria)
        field = Field(fcode, _text(raw, "name", where), kind, criteria)
        if "max_points" in raw:
            stated = _points(raw["max_points"], f"{where}.max_points")
            if stated != field.max_points:
                raise FrameworkError(
                    f"{where}.max_points",
                    f"{stated} does not equal the sum of its criteria ({field.max_points})",
                )
        if kind != "score" and any(leaf.method != "self" for leaf in field.leaves()):
            raise FrameworkError(
                f"{where}.kind", "bonus and penalty points are self-declared, then appraised"
            )
        fields.append(field)
    scored = sum((f.max_points for f in fields if f.kind == "score"), Decimal(0))
    total = _points(data.get("total_points", 100), "total_points")
    if scored != total:
        raise FrameworkError("total_points", f"the scored fields add up to {scored}, not {total}")
    return Framework(year, code, name, total, tuple(fields))


# --- points ----------------------------------------------------------------------------------------


def system_points(max_points: Decimal, numerator: int, denominator: int) -> Decimal | None:
    """max × ratio (ratio capped at 1); None when there is nothing to judge (0/0: not applicable)."""
    if denominator <= 0:
        return None
    ratio = min(Decimal(1), Decimal(numerator) / Decimal(denominator))
    return round2(max_points * ratio)


def survey_points(max_points: Decimal, index: Decimal | float | None) -> Decimal | None:
    """max × SIPAS overall / 100; None without a survey result (not applicable)."""
    if index is None:
        return None
    return round2(max_points * min(Decimal(100), Decimal(str(index))) / Decimal(100))


@dataclass(frozen=True)
class FieldScore:
    code: str
    name: str
    kind: str
    score: Decimal
    max_points: Decimal  # the applicable maximum


@dataclass(frozen=True)
class UnitScore:
    fields: list[FieldScore]
    by_method: dict[str, Decimal]  # points of the scored fields per method
    bonus: Decimal
    penalty: Decimal
    applicable_max: Decimal
    index: Decimal | None
    criteria: dict[str, Decimal | None]  # every criterion, parents included; None: not applicable


def score_unit(framework: Framework, points: Mapping[str, Decimal | None]) -> UnitScore:
    """``points``: each leaf's points, or None when it does not apply. A leaf left out earns 0 and
    still counts in the maximum (a self criterion not yet appraised)."""
    criteria: dict[str, Decimal | None] = {}

    def roll(c: Criterion) -> tuple[Decimal | None, Decimal]:
        """(points or None when nothing under it applies, applicable maximum)."""
        if not c.children:
            got = points.get(c.code, Decimal(0))
            criteria[c.code] = got
            return got, (Decimal(0) if got is None else c.max_points)
        total: Decimal | None = None
        applicable = Decimal(0)
        for child in c.children:
            got, cap = roll(child)
            applicable += cap
            if got is not None:
                total = (total or Decimal(0)) + got
        criteria[c.code] = total
        return total, applicable

    fields: list[FieldScore] = []
    by_method = dict.fromkeys(METHODS, Decimal(0))
    bonus = penalty = applicable_max = earned = Decimal(0)
    for f in framework.fields:
        score = applicable = Decimal(0)
        for c in f.criteria:
            got, cap = roll(c)
            score += got or Decimal(0)
            applicable += cap
        fields.append(
            FieldScore(f.code, f.name, f.kind, score, applicable if f.kind == "score" else f.max_points)
        )
        if f.kind == "bonus":
            bonus += score
        elif f.kind == "penalty":
            penalty += score
        else:
            earned += score
            applicable_max += applicable
            for leaf in f.leaves():
                by_method[leaf.method] += points.get(leaf.code, Decimal(0)) or Decimal(0)
    index = None
    if applicable_max > 0:
        raw = (earned + bonus - penalty) / applicable_max * 100
        index = round2(max(Decimal(0), min(Decimal(100), raw)))
    return UnitScore(fields, by_method, bonus, penalty, applicable_max, index, criteria)


def group_for(index: Decimal | None) -> str | None:
    if index is None:
        return None
    for minimum, code in GROUPS:
        if index >= minimum:
            return code
    return "D"


def ranks(indices: Sequence[tuple[str, Decimal | None]]) -> dict[str, int | None]:
    """Competition ranking, best first: equal indices share a rank (1, 1, 3); no index, no rank."""
    ordered = sorted((v, k) for k, v in indices if v is not None)
    ordered.reverse()
    out: dict[str, int | None] = {k: None for k, v in indices if v is None}
    previous: Decimal | None = None
    rank = 0
    for position, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        out[key] = rank
    return out
