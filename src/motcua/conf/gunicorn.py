"""Gunicorn hooks of ``motcua serve``: every worker can print a form at once (see docs/benchmarks.md).

Only the server pays for this: management commands, the task worker and the tests never load
WeasyPrint unless they print.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from motcua.core.log_filters import mask


def on_starting(server: Any) -> None:
    """Import WeasyPrint once in the master (about 2 s of module loading), before it forks the workers."""
    import weasyprint  # noqa: F401


def post_worker_init(worker: Any) -> None:
    """Load the forms' fonts and stylesheet before the worker takes its first request."""
    from motcua.dossiers.forms.render import warm_up

    warm_up()


class MaskedAccessLogger(Logger):
    """The access log without query strings — a channel's shared secret rides in one (VNeID's
    ``?CodeGet=``), and a query may carry anything a client put there — and with personal numbers
    and one-time links masked, as every other log line is (``core.log_filters``)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask(str(atoms.get("U") or ""))
        atoms["U"], atoms["q"] = path, ""
        atoms["r"] = f"{atoms.get('m')} {path} {atoms.get('H')}"
        referer = str(atoms.get("f") or "-")
        atoms["f"] = mask(referer.split("?", 1)[0])
        return atoms


logger_class = MaskedAccessLogger
