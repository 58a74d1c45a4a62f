from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog import exchange, services
from motcua.core.errors import ServiceError


class Command(BaseCommand):
    help = "Import the procedure catalog from a JSON or XLSX file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
            items = exchange.parse(path.name, data)
        except (OSError, exchange.ExchangeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        specs, errors = exchange.validate(items)
        if errors:
            for index, fields in errors.items():
                for name, messages in fields.items():
                    self.stderr.write(
                        f"procedure {index + 1} ({items[index].get('code', '?') if isinstance(items[index], dict) else '?'}): {name}: {' '.join(messages)}"
                    )
            raise CommandError(f"nothing imported: {len(errors)} procedures have errors")
        try:
            report = services.import_catalog(specs=specs)
        except ServiceError as exc:
            for name, messages in exc.fields.items():
                self.stderr.write(f"{name}: {' '.join(messages)}")
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}")
