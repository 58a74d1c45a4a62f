"""The index as a workbook: the survey's tree on one sheet, the units ranked on another."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.core.text import xml_safe
from motcua.sipas import engine
from motcua.sipas.models import Survey
from motcua.sipas.selectors import UnitIndex


def to_xlsx(
    survey: Survey,
    result: engine.Result,
    units: list[UnitIndex],
    texts: dict[str, str],
    perceptions: list[dict[str, Any]],
) -> bytes:
    wb = Workbook()
    tree = wb.worksheets[0]
    tree.title = "Chỉ số"
    bold = Font(bold=True)
    tree.append([xml_safe(f"CHỈ SỐ HÀI LÒNG (SIPAS) {survey.year} — {survey.agency.name.upper()}")])
    tree["A1"].font = Font(bold=True, size=13)
    tree.append(
        [
            f"Từ ngày {survey.starts_on:%d/%m/%Y} đến ngày {survey.ends_on:%d/%m/%Y}; số phiếu: {result.responses}"
        ]
    )
    tree.append([])
    tree.append(["Mã", "Nội dung", "Chỉ số (%)", "Số câu trả lời hợp lệ"])
    for cell in tree[4]:
        cell.font = bold
    tree.append(["", "Chỉ số chung", result.overall, None])
    for pillar in result.pillars:
        tree.append([pillar.code, xml_safe(pillar.name), pillar.index, None])
        tree.cell(row=tree.max_row, column=2).font = bold
        for element in pillar.elements:
            tree.append([element.code, xml_safe(element.name), element.index, None])
            for item in element.items:
                tree.append([item.code, xml_safe(texts.get(item.code, "")), item.index, item.n])
    tree.column_dimensions["B"].width = 80
    ranked = wb.create_sheet("Xếp hạng")
    ranked.append(["Hạng", "Mã đơn vị", "Đơn vị", "Chỉ số (%)", "Số phiếu"])
    for cell in ranked[1]:
        cell.font = bold
    for unit in units:
        ranked.append(
            [unit.rank, unit.unit_code, xml_safe(unit.name), unit.result.overall, unit.result.responses]
        )
    ranked.column_dimensions["C"].width = 60
    views = wb.create_sheet("Nhận thức")
    views.append(["Mã", "Câu hỏi", "Phương án", "Tỷ lệ (%)", "Số người trả lời"])
    for cell in views[1]:
        cell.font = bold
    for q in perceptions:
        for option, share in q["shares"]:
            views.append([q["code"], xml_safe(q["text"]), xml_safe(option), share, q["answers"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
