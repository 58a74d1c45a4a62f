"""motcua import-dossiers FILE.jsonl [--skip-invalid] (contract §1 and §6)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from motcua.dossiers.importer import BATCH_SIZE, ImportReport, import_dossiers


class Command(BaseCommand):
    help = (
        "Import historical dossiers from a JSON Lines file, one dossier a line. Without --skip-invalid "
        "a file with any invalid line imports nothing; with it the valid lines are imported. "
        "Bad lines are listed on stderr with their reasons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .jsonl file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid lines and list the bad ones"
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"rows a write (default {BATCH_SIZE})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        skip_invalid: bool = options["skip_invalid"]
        verbosity: int = options["verbosity"]
        if not path.is_file():
            raise CommandError(f"Không đọc được tệp / cannot read the file: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")

        def progress(lines: int, written: int) -> None:
            if verbosity > 0:
                self.stderr.write(
                    f"… {path.name}: đã đọc {lines} dòng, ghi {written} hồ sơ / read {lines} lines, wrote {written} dossiers"
                )

        try:
            report = import_dossiers(
                path, skip_invalid=skip_invalid, batch_size=options["batch_size"], progress=progress
            )
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp / cannot read the file: {exc}") from exc
        except DatabaseError as exc:  # e.g. a code received meanwhile by the live system
            raise CommandError(
                f"Cơ sở dữ liệu từ chối, không nhập hồ sơ nào / the database refused the import, "
                f"nothing was imported: {exc}"
            ) from exc
        self._list_errors(report)
        self.stdout.write(self._summary(report))
        if report.errors and not skip_invalid:
            raise CommandError(
                f"Không nhập hồ sơ nào: {report.invalid} dòng lỗi (dùng --skip-invalid để nhập các dòng hợp lệ) / "
                f"nothing imported: {report.invalid} invalid lines (use --skip-invalid to import the valid ones)"
            )

    def _list_errors(self, report: ImportReport) -> None:
        for line in sorted(report.errors):
            self.stderr.write(f"dòng/line {line}: {'; '.join(report.errors[line])}")

    @staticmethod
    def _summary(report: ImportReport) -> str:
        return (
            f"Đã nhập {report.imported} hồ sơ, {report.invalid} dòng lỗi, {report.lines} dòng / "
            f"imported {report.imported}, invalid {report.invalid}, lines {report.lines}"
        )
