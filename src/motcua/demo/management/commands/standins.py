"""``motcua standins``: the national systems' stand-ins, as their own process (contract §8)."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the stand-ins of the national systems (VNeID, population database, SMS, Zalo, e-mail, …) on one port."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100, help="0 picks a free port (printed).")
        parser.add_argument(
            "--smtp-port",
            type=int,
            default=None,
            help="The SMTP sink's port (default: --port + 1, where the app looks for it; 0: no sink).",
        )
        parser.add_argument(
            "--latency-ms", type=int, default=0, help="Added to every request of every stand-in."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.standins import app
        from motcua.standins.faults import Knob

        # Request lines carry query strings (a login_hint is a personal ID): keep them out of the log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        standins = app.build()
        if options["latency_ms"]:
            for name in standins.systems:
                standins.faults.set(name, Knob(latency_ms=options["latency_ms"]))

        def ready(url: str) -> None:
            self.stdout.write(
                f"Stand-ins (máy chủ giả lập) on {url}: {', '.join(sorted(standins.systems))}; "
                f"SMTP sink on port {standins.smtp_port or '-'}; inbox at {url}/inbox"
            )
            self.stdout.flush()

        with contextlib.suppress(KeyboardInterrupt):
            app.serve(options["host"], options["port"], standins, ready, smtp_port=options["smtp_port"])
