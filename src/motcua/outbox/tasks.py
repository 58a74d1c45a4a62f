"""The outbox's background work: ``motcua worker`` runs ``deliver`` in its own loop (see
``core.management.commands.worker``); this task lets anything else ask for a pass."""

from __future__ import annotations

from django.tasks import task

from motcua.outbox import delivery


@task()
def deliver_outbox() -> int:
    """One pass over what is due; how many messages were handled."""
    return delivery.drain().handled
