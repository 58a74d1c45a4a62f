"""Reading a bank statement (CSV or XLSX) into transfers: ``amount``, ``description``, ``transaction_id``?"""

from __future__ import annotations

import csv
import io

from motcua.integrations.payment.services import Transfer

HEADERS = {
    "amount": ("amount", "so tien", "số tiền", "credit"),
    "description": ("description", "noi dung", "nội dung", "dien giai", "diễn giải"),
    "transaction_id": ("transaction_id", "ma giao dich", "mã giao dịch", "reference"),
}


def _column(header: list[str], name: str) -> int | None:
    wanted = HEADERS[name]
    return next((i for i, h in enumerate(header) if h.strip().lower() in wanted), None)


def _rows(content: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        return [
            ["" if v is None else str(int(v)) if isinstance(v, int | float) else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read(content: bytes, filename: str) -> list[Transfer]:
    rows = _rows(content, filename)
    if not rows:
        raise ValueError("the statement is empty")
    amount, description = _column(rows[0], "amount"), _column(rows[0], "description")
    transaction = _column(rows[0], "transaction_id")
    if amount is None or description is None:
        raise ValueError("the statement needs the columns amount and description")
    out = []
    for row in rows[1:]:
        if not any(row):
            continue
        text = row[amount].replace(".", "").replace(",", "").strip()
        value = int(text) if text.isdigit() else 0
        out.append(
            Transfer(
                amount_vnd=value,
                description=row[description],
                transaction_id=row[transaction] if transaction is not None and transaction < len(row) else "",
            )
        )
    return out
