"""``motcua serve``: the production server (gunicorn), not Django's runserver."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve MotCua with gunicorn (several worker processes; static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("MOTCUA_WEB_WORKERS", str((os.cpu_count() or 1) * 2 + 1))),
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("MOTCUA_WEB_THREADS", "4")))

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "motcua.conf.wsgi:application",
            "--config",
            "python:motcua.conf.gunicorn",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
            "--forwarded-allow-ips",
            os.environ.get("MOTCUA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(
            f"MotCua on http://{options['host']}:{options['port']}/ ({options['workers']} workers)"
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 — replaces this process with gunicorn
