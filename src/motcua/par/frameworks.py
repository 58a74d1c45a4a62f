"""A framework file as XLSX: the same content as the JSON of contract §11, one row a field or
criterion, so a province can keep its framework in a spreadsheet.

Sheet ``framework``: rows ``key | value`` for ``year``, ``code``, ``name``, ``total_points``.
Sheet ``criteria``, with a header row: ``level | code | parent | name | max_points | method |
metric | kind | guidance``. A ``field`` row opens a field (``kind``: score, bonus, penalty); a
``criterion`` row belongs to the criterion named in ``parent``, or to the field above it when
``parent`` is empty.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from motcua.par.engine import FrameworkError

COLUMNS = ["level", "code", "parent", "name", "max_points", "method", "metric", "kind", "guidance"]


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def from_xlsx(content: bytes) -> dict[str, Any]:
    """The JSON form of an XLSX framework; FrameworkError naming the sheet row when it cannot be read."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FrameworkError("file", "not an XLSX workbook") from None
    if "framework" not in book.sheetnames or "criteria" not in book.sheetnames:
        raise FrameworkError("file", "the sheets 'framework' and 'criteria' are required")
    data: dict[str, Any] = {}
    for pair in book["framework"].iter_rows(values_only=True):
        if pair and pair[0]:
            data[str(pair[0]).strip()] = _cell(pair[1] if len(pair) > 1 else None)
    rows = list(book["criteria"].iter_rows(values_only=True))
    if not rows or [str(c or "").strip() for c in rows[0][: len(COLUMNS)]] != COLUMNS:
        raise FrameworkError("criteria", "the header row is " + " | ".join(COLUMNS))
    fields: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for number, raw in enumerate(rows[1:], start=2):
        row: dict[str, Any] = dict(zip(COLUMNS, (_cell(v) for v in raw), strict=False))
        if not any(v not in (None, "") for v in row.values()):
            continue
        where = f"criteria.row{number}"
        entry = {k: v for k, v in row.items() if k not in ("level", "parent") and v not in (None, "")}
        if row["level"] == "field":
            entry.pop("method", None)
            entry["criteria"] = []
            fields.append(entry)
        elif row["level"] == "criterion":
            entry.pop("kind", None)
            parent = row.get("parent")
            if parent:
                if parent not in by_code:
                    raise FrameworkError(where, f"unknown parent {parent}")
                by_code[parent].setdefault("criteria", []).append(entry)
            elif fields:
                fields[-1]["criteria"].append(entry)
            else:
                raise FrameworkError(where, "a criterion before any field")
            if "code" in entry:
                by_code[str(entry["code"])] = entry
        else:
            raise FrameworkError(f"{where}.level", "field or criterion")
    data["fields"] = fields
    return data


def to_xlsx(data: dict[str, Any]) -> bytes:
    """The XLSX form of a JSON framework (the inverse of ``from_xlsx``)."""
    book = Workbook()
    head = book.worksheets[0]
    head.title = "framework"
    for key in ("year", "code", "name", "total_points"):
        if key in data:
            head.append([key, data[key]])
    sheet = book.create_sheet("criteria")
    sheet.append(COLUMNS)

    def walk(criterion: dict[str, Any], parent: str) -> None:
        sheet.append(
            ["criterion", criterion["code"], parent, criterion["name"], criterion["max_points"]]
            + [criterion.get(k, "") for k in ("method", "metric")]
            + ["", criterion.get("guidance", "")]
        )
        for child in criterion.get("criteria", []):
            walk(child, criterion["code"])

    for field in data["fields"]:
        sheet.append(
            [
                "field",
                field["code"],
                "",
                field["name"],
                field.get("max_points", ""),
                "",
                "",
                field.get("kind", ""),
            ]
            + [""]
        )
        for criterion in field["criteria"]:
            walk(criterion, "")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
