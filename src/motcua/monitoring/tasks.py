"""Background work for monitoring (django.tasks, database backend)."""

from __future__ import annotations

from django.tasks import task

from motcua.monitoring import rollup


@task()
def refresh_rollups() -> int:
    """The incremental roll-up job; enqueue it after bulk changes or from a scheduler."""
    return rollup.update().dossiers
