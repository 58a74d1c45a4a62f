import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import ServiceError
from motcua.par import engine, frameworks, services


class Command(BaseCommand):
    help = "Load (or update) a PAR INDEX framework from a JSON or XLSX file; the example file by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=services.EXAMPLE)
        parser.add_argument("--year", type=int, help="Load the file as the framework of this year")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
            if path.suffix.lower() == ".xlsx":
                data = frameworks.from_xlsx(content)
            else:
                data = json.loads(content.decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except engine.FrameworkError as exc:
            raise CommandError(f"{path}: {exc.field}: {exc.message}") from exc
        if options["year"] and isinstance(data, dict):
            data["year"] = options["year"]
        try:
            framework, state = services.load_framework(data=data)
        except ServiceError as exc:
            details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
            raise CommandError(f"{path}: {details or exc.message}") from exc
        leaves = len(engine.parse(framework.tree).leaves())
        self.stdout.write(f"PAR framework {framework.code} {framework.year} {state}: {leaves} criteria")
