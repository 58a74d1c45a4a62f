"""The settlement report as the officials' usual table (XLSX) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.agencies.models import Agency
from motcua.core.text import xml_safe
from motcua.monitoring.selectors import PAYMENT_COLUMNS, REPORT_COLUMNS, ReportRow

GROUP_LABEL = {"agency": "Đơn vị", "procedure": "Thủ tục hành chính", "month": "Tháng"}
# (group heading, [(column, heading)]) in the order of the official table; ``to_settle`` first, as the
# official form opens with the total to settle that the rest of the row adds up to.
HEADINGS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Tổng số hồ sơ phải giải quyết", [("to_settle", "")]),
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
    ("Dừng xử lý", [("stopped", "")]),
    # Beside the official table, after its last column so that its column numbers stay as they are:
    # fees of the dossiers received in the period, paid by channel (selectors.PAYMENT_COLUMNS).
    ("Hồ sơ tiếp nhận trong kỳ có phí, lệ phí", [("with_fee", "")]),
    (
        "Đã thanh toán, theo kênh",
        [
            ("paid_national_portal", "Nền tảng thanh toán của Cổng Dịch vụ công quốc gia"),
            ("paid_local_gateway", "Cổng thanh toán của tỉnh"),
            ("paid_vietqr", "Chuyển khoản (VietQR)"),
            ("paid_counter", "Trực tiếp tại Bộ phận Một cửa"),
        ],
    ),
]
COLUMNS = [c for _g, cols in HEADINGS for c, _h in cols]
if ["to_settle", *REPORT_COLUMNS, *PAYMENT_COLUMNS] != COLUMNS:  # pragma: no cover
    raise ImportError("the headings must follow REPORT_COLUMNS, then PAYMENT_COLUMNS")
# Each row balances (contract §7); the table says so under it, in the column numbers of the sheet.
_NUMBER = {c: i for i, c in enumerate(COLUMNS, start=3)}
BALANCE = (
    "Mỗi dòng cân đối: ({t}) = ({c}) + ({r}) = ({d}) + ({p}) + ({f}) + ({w}) + ({s}) — tổng số phải giải quyết "
    "bằng số từ kỳ trước chuyển sang cộng số mới tiếp nhận, bằng số đã giải quyết, đang giải quyết, "
    "từ chối, rút và dừng xử lý."
).format(
    t=_NUMBER["to_settle"],
    c=_NUMBER["carried_over"],
    r=_NUMBER["received_total"],
    d=_NUMBER["resolved_total"],
    p=_NUMBER["pending_total"],
    f=_NUMBER["refused"],
    w=_NUMBER["withdrawn"],
    s=_NUMBER["stopped"],
)
PAYMENTS_NOTE = (
    "Cột ({f}) đến ({last}): hồ sơ tiếp nhận trong kỳ có phí, lệ phí và số đã thanh toán qua từng kênh; hồ sơ "
    "thanh toán qua hai kênh được tính ở cả hai. Bộ chỉ số theo Quyết định 766/QĐ-TTg chỉ tính là thanh toán "
    "trực tuyến các cột ({n}) và ({g})."
).format(
    f=_NUMBER["with_fee"],
    last=_NUMBER["paid_counter"],
    n=_NUMBER["paid_national_portal"],
    g=_NUMBER["paid_local_gateway"],
)


def _values(values: dict[str, int]) -> list[int]:
    row = {**values, "to_settle": values["carried_over"] + values["received_total"]}
    return [row[c] for c in COLUMNS]


def filename(agency: Agency, start: date, end: date, group_by: str, ext: str) -> str:
    return f"bao-cao-giai-quyet-tthc_{agency.code}_{start:%Y%m%d}-{end:%Y%m%d}_{group_by}.{ext}"


def to_csv(rows: list[ReportRow], total: dict[str, int], group_by: str) -> bytes:
    """The XLSX's headings in Vietnamese, the contract's keys as the second header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    headings = [f"{group} - {sub}" if sub else group for group, cols in HEADINGS for _c, sub in cols]
    writer.writerow(["Mã", GROUP_LABEL[group_by], *headings])
    writer.writerow(["key", "label", *COLUMNS])
    for row in rows:
        writer.writerow([row.key, row.label, *_values(row.values)])
    writer.writerow(["total", "Tổng cộng", *_values(total)])
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
    width = 2 + len(COLUMNS)
    last = get_column_letter(width)

    def title(row: int, text: str, size: int = 12, bold: bool = True) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=font, size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center")

    title(1, xml_safe(agency.name.upper()))
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
        label = row.label if group_by != "agency" else f"{row.label} ({row.key})"
        values: list[str | int] = [i, xml_safe(label)]
        values += _values(row.values)
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
    for c, value in enumerate(_values(total), start=3):
        ws.cell(row=r, column=c, value=value)
    for c in range(1, width + 1):
        cell = ws.cell(row=r, column=c)
        cell.font = Font(name=font, size=11, bold=True)
        cell.border = border
        cell.alignment = centre
    ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=width)
    note = ws.cell(row=r + 2, column=1, value=BALANCE)
    note.font = Font(name=font, size=11, italic=True)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r + 2].height = 32
    ws.merge_cells(start_row=r + 3, start_column=1, end_row=r + 3, end_column=width)
    note = ws.cell(row=r + 3, column=1, value=PAYMENTS_NOTE)
    note.font = Font(name=font, size=11, italic=True)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r + 3].height = 32
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
