"""``motcua reconcile-payments``: ask the national payment platform about orders still pending (contract §8.3)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.integrations import config
from motcua.integrations.payment import services


class Command(BaseCommand):
    help = "QUERY the payment platform about orders started there 30 minutes to 3 days ago and still pending."

    def handle(self, *args: Any, **options: Any) -> None:
        if not config.is_on("payment"):
            self.stdout.write("The national payment platform is not connected: nothing to reconcile.")
            return
        done = services.reconcile()
        self.stdout.write(
            f"Asked {done.asked}: {done.paid} paid, {done.failed} failed, {done.pending} still pending, "
            f"{done.errors} errors"
        )
