"""``motcua generate-dossiers --count N --year Y [--seed S]``: synthetic history for demos and benchmarks."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.demo import generator


class Command(BaseCommand):
    help = "Generate realistic synthetic dossiers for the procedures and agencies in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-rollup", action="store_true", help="do not update the monitoring roll-ups")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] <= 0:
            raise CommandError("--count must be positive")
        started = time.monotonic()
        bar = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            rate = done / max(time.monotonic() - started, 1e-6)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)"
            if bar:
                sys.stderr.write("\r" + line)
                sys.stderr.flush()
            else:
                self.stdout.write(line)

        try:
            report = generator.generate(
                count=options["count"], year=options["year"], seed=options["seed"], progress=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if bar:
            sys.stderr.write("\n")
        self.stdout.write(
            f"{report.dossiers:,} dossiers, {report.documents:,} documents, {report.ratings:,} ratings "
            f"in {report.seconds:.1f} s ({report.dossiers / max(report.seconds, 1e-6):,.0f}/s)"
        )
        if not options["no_rollup"]:
            from motcua.monitoring import rollup

            run = rollup.update()
            self.stdout.write(f"Roll-ups updated with {run.dossiers:,} dossiers in {run.seconds:.1f} s")
