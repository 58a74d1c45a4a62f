"""``motcua serve``: the gunicorn command line it runs."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command


def test_serve_runs_gunicorn_with_motcuas_hooks(monkeypatch: Any) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda _path, argv: ran.append(argv))
    call_command("serve", "--port", "8123", "--workers", "2", "--threads", "3")
    (argv,) = ran
    assert argv[argv.index("--config") + 1] == "python:motcua.conf.gunicorn"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
