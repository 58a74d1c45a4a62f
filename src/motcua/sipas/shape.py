"""The shape of a questionnaire file (data/questionnaire-*.json) and of one set of answers, checked
in plain Python so that the loader, the API and the pages refuse the same things, naming the field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SCALE = (1, 2, 3, 4, 5)


class ShapeError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(f"{where}{key}", "a non-empty string is required")
    return value


def _list(data: Mapping[str, Any], key: str, where: str, *, empty: bool = False) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or (not value and not empty):
        raise ShapeError(f"{where}{key}", "a non-empty list is required")
    return value


def check_questionnaire(data: Any) -> None:
    """Raise ShapeError naming the first wrong field; codes must be unique."""
    if not isinstance(data, dict):
        raise ShapeError("(file)", "a JSON object is required")
    for key in ("year_from", "year_to"):
        if not isinstance(data.get(key), int) or not 2000 <= data[key] <= 2100:
            raise ShapeError(key, "a year is required")
    if data["year_to"] < data["year_from"]:
        raise ShapeError("year_to", "before year_from")
    _text(data, "title", "")
    if data.get("wording") not in ("official", "replica"):
        raise ShapeError("wording", "official or replica")
    scale = _list(data, "scale", "")
    if [s.get("value") if isinstance(s, dict) else None for s in scale] != list(SCALE):
        raise ShapeError("scale", "the five levels 1..5 in order, each with a label")
    for i, level in enumerate(scale):
        _text(level, "label", f"scale[{i}].")
    seen: set[str] = set()

    def unique(code: str, field: str) -> None:
        if code in seen:
            raise ShapeError(field, f"duplicate code {code}")
        seen.add(code)

    for p, pillar in enumerate(_list(data, "pillars", "")):
        where = f"pillars[{p}]."
        if not isinstance(pillar, dict):
            raise ShapeError(where[:-1], "an object is required")
        unique(_text(pillar, "code", where), f"{where}code")
        _text(pillar, "name", where)
        for e, element in enumerate(_list(pillar, "elements", where)):
            here = f"{where}elements[{e}]."
            if not isinstance(element, dict):
                raise ShapeError(here[:-1], "an object is required")
            unique(_text(element, "code", here), f"{here}code")
            _text(element, "name", here)
            for i, item in enumerate(_list(element, "items", here)):
                at = f"{here}items[{i}]."
                if not isinstance(item, dict):
                    raise ShapeError(at[:-1], "an object is required")
                unique(_text(item, "code", at), f"{at}code")
                _text(item, "text", at)
    for section in ("respondent", "questions"):
        for q, question in enumerate(_list(data, section, "", empty=True)):
            at = f"{section}[{q}]."
            if not isinstance(question, dict):
                raise ShapeError(at[:-1], "an object is required")
            unique(_text(question, "code", at), f"{at}code")
            _text(question, "text", at)
            options = _list(question, "options", at)
            if not all(isinstance(o, str) and o for o in options):
                raise ShapeError(f"{at}options", "a list of non-empty strings is required")


def check_answers(answers: Any, item_codes: Iterable[str]) -> dict[str, int | None]:
    """{item code: 1..5 | None}; unknown items and values off the scale are refused by name
    (``answers.<code>``). Items left out are "không trả lời"."""
    if not isinstance(answers, dict) or not answers:
        raise ShapeError("answers", "an object {item code: 1..5 or null} is required")
    known = set(item_codes)
    for code, value in answers.items():
        if code not in known:
            raise ShapeError(f"answers.{code}", "unknown item")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in SCALE
        ):
            raise ShapeError(f"answers.{code}", "1 to 5, or null for no answer")
    return dict(answers)


def check_choices(given: Any, questions: Iterable[Mapping[str, Any]], field: str) -> dict[str, str]:
    """{question code: one of its options} for Part A or the perception questions; a question asked
    for each of several things ("per") is answered as "<code>.<n>" (1-based)."""
    if given in (None, ""):
        return {}
    if not isinstance(given, dict):
        raise ShapeError(field, "an object is required")
    options: dict[str, list[str]] = {}
    multiple = {q["code"] for q in questions if q.get("multiple")}
    for q in questions:
        if q.get("per"):
            for n in range(1, len(q["per"]) + 1):
                options[f"{q['code']}.{n}"] = q["options"]
        else:
            options[q["code"]] = q["options"]
    for code, value in given.items():
        if code not in options:
            raise ShapeError(f"{field}.{code}", "unknown question")
        if code in multiple:
            if not isinstance(value, list) or not all(v in options[code] for v in value):
                raise ShapeError(f"{field}.{code}", "a list of the options")
        elif value is not None and value not in options[code]:
            raise ShapeError(f"{field}.{code}", "not one of the options")
    return {k: v for k, v in given.items() if v is not None}
