"""Background work of the core: the partitions of the coming year, made ahead of it."""

from __future__ import annotations

from django.tasks import task

from motcua.core import partitioning
from motcua.core.periodic import every


@every(24 * 3600)
@task()
def add_partitions_ahead() -> int:
    """On a partitioned database, the partitions missing for a new province or next year."""
    return len(partitioning.add_ahead())
