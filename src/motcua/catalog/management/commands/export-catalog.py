from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.catalog import exchange, selectors


class Command(BaseCommand):
    help = "Export the procedures in force to a JSON or XLSX file (by the file's extension)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        specs = [exchange.version_to_spec(v) for v in selectors.current_versions_for_export()]
        path.write_bytes(
            exchange.to_xlsx(specs) if path.suffix.lower() == ".xlsx" else exchange.to_json(specs)
        )
        self.stdout.write(f"{len(specs)} procedures written to {path}")
