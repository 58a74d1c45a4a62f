"""The ranking as a workbook in the layout provinces publish (e.g. Hà Nội's decisions announcing the
PAR INDEX): one row a unit, rank, the points of each field out of its maximum, the index and group,
last year's index and the change; then a sheet of each unit's points per criterion."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.text import xml_safe
from motcua.par import engine
from motcua.par.models import Assessment
from motcua.par.selectors import UnitRow, change


def _n(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def to_xlsx(assessment: Assessment, framework: engine.Framework, rows: list[UnitRow]) -> bytes:
    wb = Workbook()
    sheet = wb.worksheets[0]
    sheet.title = "Xếp hạng"
    bold = Font(bold=True)
    sheet.append([xml_safe(f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {assessment.year}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([xml_safe(framework.name)])
    sheet.append([])
    fields = list(framework.fields)
    head = ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    head += [f"{f.code}. {f.name} ({f.max_points})" for f in fields]
    head += [
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Điểm điều tra XHH",
        "Điểm dữ liệu hệ thống",
        "Điểm tối đa áp dụng",
        "Chỉ số CCHC (%)",
        "Nhóm",
        f"Chỉ số năm {assessment.year - 1} (%)",
        "Tăng/giảm",
    ]
    sheet.append([xml_safe(h) for h in head])
    for cell in sheet[4]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        s = row.score
        sheet.append(
            [row.rank, row.unit.agency.code, xml_safe(row.unit.agency.name)]
            + [float(f.score) for f in s.fields]
            + [
                float(row.self_total),
                float(row.appraised_total),
                float(s.by_method["survey"]),
                float(s.by_method["system"]),
                float(s.applicable_max),
                _n(s.index),
                row.group,
                _n(row.previous_index),
                _n(change(row)),
            ]
        )
    detail = wb.create_sheet("Tiêu chí")
    criteria = framework.all_criteria()
    detail.append(["Mã", "Tiêu chí", "Phương pháp", "Điểm tối đa"] + [r.unit.agency.code for r in rows])
    for cell in detail[1]:
        cell.font = bold
    for _field, criterion, depth in criteria:
        detail.append(
            [
                criterion.code,
                xml_safe("  " * (depth - 1) + criterion.name),
                criterion.method or "",
                float(criterion.max_points),
            ]
            + [_n(r.score.criteria.get(criterion.code)) for r in rows]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
