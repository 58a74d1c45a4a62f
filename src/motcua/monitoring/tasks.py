"""Background work for monitoring: the roll-ups are kept current by the worker, not by page views."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from motcua.core.periodic import every
from motcua.monitoring import rollup


@every(settings.MOTCUA_ROLLUP_EVERY_SECONDS)
@task()
def refresh_rollups() -> int:
    """The incremental roll-up job: counts what changed since the last run."""
    return rollup.update().dossiers
