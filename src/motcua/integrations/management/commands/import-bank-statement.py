"""``motcua import-bank-statement FILE``: settle VietQR transfers from the collecting account's statement.

A CSV (UTF-8, with a header) or an XLSX (first sheet, header on the first row) with the columns
``amount`` (số tiền), ``description`` (nội dung) and optionally ``transaction_id``. A line settles the
pending order whose reference (``DVC``, eight digits and five letters) its description carries, for exactly the order's
amount; every other line is reported and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.payment import services, statements


class Command(BaseCommand):
    help = "Settle VietQR transfers listed in a bank statement (CSV or XLSX: amount, description, transaction_id)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            transfers = statements.read(options["file"].read_bytes(), options["file"].name)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        done = services.apply_statement(transfers)
        self.stdout.write(f"{len(done.paid)} orders paid; lines not matched: {done.unmatched or 'none'}")
