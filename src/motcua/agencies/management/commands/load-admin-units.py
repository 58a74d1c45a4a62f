from typing import Any

from django.core.management.base import BaseCommand

from motcua.agencies.services import load_administrative_units


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes (Decision 19/2025/QĐ-TTg) from vietnamadminunits."

    def handle(self, *args: Any, **options: Any) -> None:
        provinces, communes = load_administrative_units()
        self.stdout.write(f"{provinces} provinces, {communes} communes")
