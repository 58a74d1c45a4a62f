"""The settlement report as the officials' usual table (XLSX) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.agencies.models import Agency
from motcua.monitoring.selectors import REPORT_COLUMNS, ReportRow

GROUP_LABEL = {"agency": "Đơn vị", "procedure": "Thủ tục hành chính", "month": "Tháng"}
# (group heading, [(column, heading)]) in the order of the official table.
HEADINGS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Số hồ sơ tiếp nhận trong kỳ",
        [
            ("received_total", "Tổng số"),
            ("received_online", "Trực tuyến"),
            ("received_counter", "Trực tiếp"),
            ("received_post", "Qua dịch vụ bưu chính"),
        ],
    ),
    ("Từ kỳ trước chuyển sang", [("carried_over", "")]),
    (
        "Số hồ sơ đã giải quyết",
        [
            ("resolved_total", "Tổng số"),
            ("resolved_early", "Trước hạn"),
            ("resolved_on_time", "Đúng hạn"),
            ("resolved_late", "Quá hạn"),
        ],
    ),
    (
        "Số hồ sơ đang giải quyết",
        [("pending_total", "Tổng số"), ("pending_on_track", "Trong hạn"), ("pending_overdue", "Quá hạn")],
    ),
    ("Từ chối tiếp nhận", [("refused", "")]),
    ("Rút hồ sơ", [("withdrawn", "")]),
]
if [c for _g, cols in HEADINGS for c, _h in cols] != REPORT_COLUMNS:  # pragma: no cover
    raise ImportError("the XLSX headings must follow REPORT_COLUMNS")


def filename(agency: Agency, start: date, end: date, group_by: str, ext: str) -> str:
    return f"bao-cao-giai-quyet-tthc_{agency.code}_{start:%Y%m%d}-{end:%Y%m%d}_{group_by}.{ext}"


def to_csv(rows: list[ReportRow], total: dict[str, int]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "label", *REPORT_COLUMNS])
    for row in rows:
        writer.writerow([row.key, row.label, *(row.values[c] for c in REPORT_COLUMNS)])
    writer.writerow(["total", "Tổng cộng", *(total[c] for c in REPORT_COLUMNS)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read Vietnamese


def to_xlsx(
    rows: list[ReportRow], total: dict[str, int], agency: Agency, start: date, end: date, group_by: str
) -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Báo cáo"
    font = "Times New Roman"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    width = 2 + len(REPORT_COLUMNS)
    last = get_column_letter(width)

    def title(row: int, text: str, size: int = 12, bold: bool = True) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=font, size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center")

    title(1, agency.name.upper())
    title(2, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", 14)
    title(3, f"Kỳ báo cáo: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", 12, bold=False)
    top, sub, numbers = 5, 6, 7
    for col, text in ((1, "STT"), (2, GROUP_LABEL[group_by])):
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        ws.cell(row=top, column=col, value=text)
    col = 3
    for heading, cols in HEADINGS:
        if len(cols) == 1:
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        else:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(cols) - 1)
            for i, (_c, label) in enumerate(cols):
                ws.cell(row=sub, column=col + i, value=label)
        ws.cell(row=top, column=col, value=heading)
        col += len(cols)
    for c in range(1, width + 1):
        ws.cell(row=numbers, column=c, value=f"({c})")
        for r in (top, sub, numbers):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(name=font, bold=r != numbers, italic=r == numbers, size=11)
            cell.alignment = centre
            cell.border = border
            cell.fill = head_fill
    r = numbers + 1
    for i, row in enumerate(rows, start=1):
        values: list[str | int] = [i, row.label if group_by != "agency" else f"{row.label} ({row.key})"]
        values += [row.values[c] for c in REPORT_COLUMNS]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(name=font, size=11)
            cell.border = border
            cell.alignment = Alignment(
                horizontal="left" if c == 2 else "center", vertical="center", wrap_text=c == 2
            )
        r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(row=r, column=1, value="Tổng cộng")
    for c, key in enumerate(REPORT_COLUMNS, start=3):
        ws.cell(row=r, column=c, value=total[key])
    for c in range(1, width + 1):
        cell = ws.cell(row=r, column=c)
        cell.font = Font(name=font, size=11, bold=True)
        cell.border = border
        cell.alignment = centre
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 48
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[sub].height = 32
    ws.freeze_panes = f"C{numbers + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
