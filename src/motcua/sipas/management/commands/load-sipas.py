import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import InvalidInput
from motcua.sipas import services


class Command(BaseCommand):
    help = "Load (or update) a SIPAS questionnaire from its JSON file; the 2023–2026 form by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=services.DEFAULT_FORM)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        try:
            questionnaire, created = services.load_questionnaire(data=data)
        except InvalidInput as exc:
            raise CommandError(
                f"{path}: " + "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
            ) from exc
        items = questionnaire.items.count()
        verb = "loaded" if created else "updated"
        self.stdout.write(
            f"SIPAS questionnaire {questionnaire.year_from}–{questionnaire.year_to} {verb}: {items} questions"
        )
