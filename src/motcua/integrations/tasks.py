"""Background work of the national systems: the payment platform's reconciliation (integrations.md §4.1:
TD polls every 33 minutes for orders from 30 minutes to 3 days old)."""

from __future__ import annotations

from django.tasks import task

from motcua.core.periodic import every
from motcua.integrations.payment import services


@every(33 * 60)
@task()
def reconcile_payments() -> int:
    """QUERY the platform about the orders still pending; how many were asked about."""
    return services.reconcile().asked
