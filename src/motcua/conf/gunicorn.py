"""Gunicorn hooks of ``motcua serve``: every worker can print a form at once (see docs/benchmarks.md).

Only the server pays for this: management commands, the task worker and the tests never load
WeasyPrint unless they print.
"""

from __future__ import annotations

from typing import Any


def on_starting(server: Any) -> None:
    """Import WeasyPrint once in the master (about 2 s of module loading), before it forks the workers."""
    import weasyprint  # noqa: F401


def post_worker_init(worker: Any) -> None:
    """Load the forms' fonts and stylesheet before the worker takes its first request."""
    from motcua.dossiers.forms.render import warm_up

    warm_up()
