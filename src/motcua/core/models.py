from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """One row per throttled client and scope: requests in the current and the previous window."""

    key = models.CharField(max_length=200, primary_key=True)
    window = models.BigIntegerField(help_text="window number: Unix time // window length")
    hits = models.PositiveIntegerField(default=0)
    previous_hits = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "motcua_rate_counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} in window {self.window}"
