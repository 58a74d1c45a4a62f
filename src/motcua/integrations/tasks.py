"""Background work of the national systems: the payment platform's reconciliation (integrations.md §4.1:
TD polls every 33 minutes for orders from 30 minutes to 3 days old) and the pull of DVC liên thông's
waiting dossiers (§5 model C: TD pulls every 10 minutes)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from motcua.core.periodic import every
from motcua.integrations.inbound import services as inbound
from motcua.integrations.payment import services


@every(33 * 60)
@task()
def reconcile_payments() -> int:
    """QUERY the platform about the orders still pending; how many were asked about."""
    return services.reconcile().asked


@every(settings.MOTCUA_LIENTHONG_PULL_SECONDS)
@task()
def pull_national_channel() -> int:
    """Take the dossiers waiting on DVC liên thông (model C); how many were created."""
    return inbound.pull().created
