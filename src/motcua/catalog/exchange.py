"""The catalog's exchange files: JSON and XLSX, both in the shape of ProcedureInputSerializer.

An export can be edited by a catalog manager (in Excel or a text editor) and imported back.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.serializers import ProcedureInputSerializer
from motcua.core.errors import InvalidInput
from motcua.core.text import xml_safe

FORMAT = "motcua-catalog"
FORMAT_VERSION = 1


class ExchangeError(ValueError):
    """The file cannot be read at all (not JSON, not an XLSX of ours); the message says why, translated."""


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _hours(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def version_to_spec(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": version.procedure.code,
        "name": version.name,
        "agency_code": version.agency.code,
        "implementing_agency_codes": sorted(a.code for a in version.implementing_agencies.all()),
        "field": version.field,
        "level": version.level,
        "processing_time": {"value": version.processing_time_value, "unit": version.processing_time_unit},
        "processing_time_text": version.processing_time_text,
        "online_level": version.online_level,
        "fee_vnd": version.fee_vnd,
        "fee_text": version.fee_text,
        "result_is_document": version.result_is_document,
        "result_text": version.result_text,
        "applicant_types": list(version.applicant_types),
        "conditions": version.conditions,
        "required_documents": [
            {"code": d.code, "name": d.name, "required": d.required, "form": d.form, "count": d.count}
            for d in version.required_documents.all()
        ],
        "steps": [
            {
                "name": s.name,
                "agency_code": s.agency.code if s.agency else None,
                "role": s.role,
                "working_hours": _hours(s.working_hours),
            }
            for s in version.steps.all()
        ],
        "legal_basis": list(version.legal_basis),
        "decision_number": version.decision_number,
        "decision_date": _iso(version.decision_date),
        "effective_date": _iso(version.effective_date),
        "published_date": _iso(version.published_date),
    }


def normalise(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A validated spec in the JSON-ready form that version_to_spec writes, for comparison."""
    out = {key: spec.get(key) for key in _KEYS}
    out["implementing_agency_codes"] = implementing_codes(spec)
    out["processing_time"] = dict(spec["processing_time"])
    out["applicant_types"] = list(spec["applicant_types"])
    out["legal_basis"] = list(spec.get("legal_basis", []))
    out["decision_number"] = spec.get("decision_number") or ""
    for key in ("decision_date", "effective_date", "published_date"):
        out[key] = _iso(spec.get(key))
    out["required_documents"] = [
        {
            "code": d["code"],
            "name": d["name"],
            "required": d["required"],
            "form": d["form"],
            "count": d["count"],
        }
        for d in spec["required_documents"]
    ]
    out["steps"] = [
        {
            "name": s["name"],
            "agency_code": s.get("agency_code") or None,
            "role": s["role"],
            "working_hours": _hours(s["working_hours"]),
        }
        for s in spec.get("steps", [])
    ]
    return out


def implementing_codes(spec: Mapping[str, Any]) -> list[str]:
    """The agencies that settle the procedure: those listed and always the resolving agency
    (contract §3), as a sorted set, the way an export writes them."""
    return sorted({spec["agency_code"], *spec.get("implementing_agency_codes", [])})


_KEYS = [
    "code",
    "name",
    "agency_code",
    "implementing_agency_codes",
    "field",
    "level",
    "processing_time",
    "processing_time_text",
    "online_level",
    "fee_vnd",
    "fee_text",
    "result_is_document",
    "result_text",
    "applicant_types",
    "conditions",
    "required_documents",
    "steps",
    "legal_basis",
    "decision_number",
    "decision_date",
    "effective_date",
    "published_date",
]


def validate(items: list[Any]) -> tuple[list[dict[str, Any]], dict[int, dict[str, list[str]]]]:
    """Check every item's shape; returns the cleaned specs and the errors by item index."""
    from motcua.core.api import _flatten

    specs, errors = [], {}
    for index, item in enumerate(items):
        serializer = ProcedureInputSerializer(data=item)
        if serializer.is_valid():
            specs.append(dict(serializer.validated_data))
        else:
            errors[index] = _flatten(serializer.errors)
    return specs, errors


def validated(item: Mapping[str, Any]) -> dict[str, Any]:
    """One procedure checked as the API checks it, or InvalidInput naming the fields."""
    from motcua.core.api import _flatten

    serializer = ProcedureInputSerializer(data=item)
    if not serializer.is_valid():
        raise InvalidInput(fields=_flatten(serializer.errors))
    return dict(serializer.validated_data)


# --- JSON ----------------------------------------------------------------------------------------------


def to_json(specs: list[dict[str, Any]]) -> bytes:
    document = {"format": FORMAT, "version": FORMAT_VERSION, "procedures": specs}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def parse_json(data: bytes) -> list[Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ExchangeError(_("it is not a JSON document (the text is not UTF-8).")) from exc
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            _("it is not a JSON document (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from exc
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("procedures"), list):
        return document["procedures"]
    raise ExchangeError(_('it should hold a list of procedures, or {"procedures": [...]}.'))


# --- XLSX: three sheets, one row per procedure / document / step, joined by the procedure code -------

_PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("agency_code", "Mã cơ quan giải quyết"),
    ("implementing_agency_codes", "Mã các cơ quan thực hiện"),
    ("field", "Lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("processing_time_value", "Thời hạn giải quyết"),
    ("processing_time_unit", "Đơn vị thời hạn"),
    ("processing_time_text", "Thời hạn (văn bản công bố)"),
    ("online_level", "Mức độ DVC trực tuyến"),
    ("fee_vnd", "Phí, lệ phí (đồng)"),
    ("fee_text", "Phí, lệ phí (văn bản)"),
    ("result_is_document", "Kết quả là văn bản giấy"),
    ("result_text", "Kết quả"),
    ("applicant_types", "Đối tượng thực hiện"),
    ("conditions", "Yêu cầu, điều kiện"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("decision_number", "Quyết định công bố"),
    ("decision_date", "Ngày quyết định"),
    ("effective_date", "Ngày hiệu lực"),
    ("published_date", "Ngày công khai"),
]
_DOCUMENT_COLUMNS = [
    ("procedure_code", "Mã thủ tục"),
    ("code", "Mã giấy tờ"),
    ("name", "Tên giấy tờ"),
    ("form", "Bản chính/bản sao"),
    ("count", "Số lượng"),
    ("required", "Bắt buộc"),
]
_STEP_COLUMNS = [
    ("procedure_code", "Mã thủ tục"),
    ("name", "Bước"),
    ("agency_code", "Mã cơ quan"),
    ("role", "Vai trò"),
    ("working_hours", "Số giờ làm việc"),
]
_SHEETS = {"procedures": "Thủ tục", "documents": "Thành phần hồ sơ", "steps": "Quy trình"}
_LIST_SEPARATOR = "\n"


def _sheet(
    wb: Workbook, title: str, columns: list[tuple[str, str]], rows: list[list[Any]], first: bool
) -> None:
    ws: Any = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([label for _key, label in columns])
    ws.append([key for key, _label in columns])  # machine keys, so that re-ordered columns still import
    for row in rows:
        ws.append([xml_safe(value) if isinstance(value, str) else value for value in row])
    header = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = (
            Font(bold=True),
            header,
            Alignment(wrap_text=True, vertical="top"),
        )
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080", size=8)
    ws.freeze_panes = "A3"
    for index, (key, _label) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = (
            60 if key in ("name", "legal_basis", "fee_text", "conditions") else 18
        )


def to_xlsx(specs: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    procedures: list[list[Any]] = []
    documents: list[list[Any]] = []
    steps: list[list[Any]] = []
    for spec in specs:
        flat = dict(spec)
        flat["processing_time_value"] = spec["processing_time"]["value"]
        flat["processing_time_unit"] = spec["processing_time"]["unit"]
        flat["applicant_types"] = ", ".join(spec["applicant_types"])
        flat["legal_basis"] = _LIST_SEPARATOR.join(spec["legal_basis"])
        flat["implementing_agency_codes"] = _LIST_SEPARATOR.join(spec["implementing_agency_codes"])
        procedures.append([flat.get(key) for key, _label in _PROCEDURE_COLUMNS])
        documents.extend(
            [spec["code"], *(d[k] for k, _l in _DOCUMENT_COLUMNS[1:])] for d in spec["required_documents"]
        )
        steps.extend([spec["code"], *(s[k] for k, _l in _STEP_COLUMNS[1:])] for s in spec["steps"])
    _sheet(wb, _SHEETS["procedures"], _PROCEDURE_COLUMNS, procedures, first=True)
    _sheet(wb, _SHEETS["documents"], _DOCUMENT_COLUMNS, documents, first=False)
    _sheet(wb, _SHEETS["steps"], _STEP_COLUMNS, steps, first=False)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(wb: Any, title: str) -> list[dict[str, Any]]:
    if title not in wb.sheetnames:
        raise ExchangeError(_("the workbook has no sheet “%(sheet)s”.") % {"sheet": title})
    rows = list(wb[title].iter_rows(values_only=True))
    if len(rows) < 2:
        return []
    keys = [str(k) if k is not None else "" for k in rows[1]]
    return [dict(zip(keys, row, strict=False)) for row in rows[2:] if any(v not in (None, "") for v in row)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parse(name: str, data: bytes) -> list[Any]:
    """An uploaded catalog, read by its file name: an XLSX workbook, else a JSON document."""
    return parse_xlsx(data) if name.lower().endswith(".xlsx") else parse_json(data)


def parse_xlsx(data: bytes) -> list[Any]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise ExchangeError(_("it is not an XLSX workbook.")) from exc
    documents: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(wb, _SHEETS["documents"]):
        documents.setdefault(_text(row.get("procedure_code")), []).append(
            {k: row.get(k) for k, _l in _DOCUMENT_COLUMNS[1:]}
        )
    steps: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(wb, _SHEETS["steps"]):
        steps.setdefault(_text(row.get("procedure_code")), []).append(
            {k: row.get(k) for k, _l in _STEP_COLUMNS[1:]}
        )
    items = []
    for row in _rows(wb, _SHEETS["procedures"]):
        code = _text(row.get("code"))
        item = {k: row.get(k) for k, _l in _PROCEDURE_COLUMNS}
        item["code"] = code
        item["processing_time"] = {
            "value": item.pop("processing_time_value"),
            "unit": item.pop("processing_time_unit"),
        }
        item["applicant_types"] = [t.strip() for t in _text(item["applicant_types"]).split(",") if t.strip()]
        # Codes contain neither spaces nor commas: a hand-edited cell may separate them either way.
        item["implementing_agency_codes"] = [
            part for part in re.split(r"[\s,;]+", _text(item["implementing_agency_codes"])) if part
        ]
        item["legal_basis"] = [
            line for line in _text(item["legal_basis"]).split(_LIST_SEPARATOR) if line.strip()
        ]
        for key in ("processing_time_text", "fee_text", "result_text", "conditions", "decision_number"):
            item[key] = _text(item[key])
        for key in ("decision_date", "effective_date", "published_date"):
            value: Any = item[key]
            item[key] = value.date().isoformat() if hasattr(value, "date") else (value or None)
        item["required_documents"] = documents.get(code, [])
        item["steps"] = steps.get(code, [])
        items.append(item)
    return items
