"""``motcua rollup [--rebuild]``: bring the monitoring roll-ups up to date (or recount everything)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.monitoring import rollup


class Command(BaseCommand):
    help = (
        "Update the monitoring roll-ups from the dossiers changed since the last run; --rebuild recounts all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="throw the roll-ups away and recount")

    def handle(self, *args: Any, **options: Any) -> None:
        report = rollup.rebuild() if options["rebuild"] else rollup.update()
        what = "rebuilt from" if report.rebuilt else "updated with"
        self.stdout.write(
            self.style.SUCCESS(f"Roll-ups {what} {report.dossiers} dossiers in {report.seconds:.2f} s")
        )
