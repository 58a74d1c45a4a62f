"""Roll-ups of the dossier table, read by the index, the report and the dashboard (Zulip's
analytics pattern: count tables plus a fill state, kept current by a job; see docs/monitoring.md).

``DossierFact`` remembers, per dossier, what it last contributed, so that a change can be taken
out of the counts and put back in; ``DossierCount`` holds the counts per day (and per month) of
each event, per resolving agency and procedure. No page reads the dossier table for a total.
"""

from __future__ import annotations

from django.db import models


class FactBase(models.Model):
    """The few facts of a dossier that the counts need, dates in the province's local time."""

    dossier_id = models.BigIntegerField(primary_key=True)
    agency_id = models.BigIntegerField()  # the resolving agency: whose index the dossier counts in
    province = models.CharField(max_length=2, blank=True)  # the dossier's (its receiving agency's)
    procedure_id = models.BigIntegerField()
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=24)
    received_on = models.DateField(null=True)
    resolved_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)  # refused, withdrawn, stopped
    ended_on = models.DateField(null=True)  # received, then resolved or closed
    due_on = models.DateField(null=True)  # received, with a due date
    due_ended_on = models.DateField(null=True)  # the later of due and end, once ended
    timeliness = models.CharField(max_length=8, blank=True)  # early/on_time/late, "none" if unknown
    open_timed = models.BooleanField(default=False)  # unfinished and on a clock: on track or overdue
    result_doc = models.BooleanField(default=False)
    full_level = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    digitized_doc = models.BooleanField(default=False)
    reused_doc = models.BooleanField(default=False)
    warehouse_doc = models.BooleanField(default=False)
    pushed = models.BooleanField(default=False)
    vneid = models.BooleanField(default=False)
    population = models.BooleanField(default=False)
    synced = models.BooleanField(default=False)
    fee = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)  # an order paid on one of the two online platforms
    # an order paid through each channel (``rollup.PAID_CHANNELS``)
    paid_national_portal = models.BooleanField(default=False)
    paid_local_gateway = models.BooleanField(default=False)
    paid_vietqr = models.BooleanField(default=False)
    paid_counter = models.BooleanField(default=False)
    unsatisfied = models.BooleanField(default=False)

    class Meta:
        abstract = True


class DossierFact(FactBase):
    class Meta:
        verbose_name = "dossier fact"

    def __str__(self) -> str:
        return f"fact {self.dossier_id}"


class FactStage(FactBase):
    """Scratch space of one roll-up run (emptied at its start and end, under the fill-state lock)."""

    class Meta:
        verbose_name = "fact stage"

    def __str__(self) -> str:
        return f"stage {self.dossier_id}"


class Span(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"


class DossierCount(models.Model):
    """Counts of events on one day (or in one month, ``day`` = its first day) for one resolving
    agency and procedure. Which event each column counts is in ``rollup.COLUMNS``."""

    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()
    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    # The province of the dossiers counted (their receiving agency's): the partition key on PostgreSQL.
    province = models.CharField(max_length=2, blank=True)
    # received on the day
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    open_timed = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)
    result_doc = models.IntegerField(default=0)
    e_result_doc = models.IntegerField(default=0)
    digitized = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    warehouse = models.IntegerField(default=0)
    population = models.IntegerField(default=0)
    synced = models.IntegerField(default=0)
    full_eligible = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    with_fee = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    paid_national_portal = models.IntegerField(default=0)
    paid_local_gateway = models.IntegerField(default=0)
    paid_vietqr = models.IntegerField(default=0)
    paid_counter = models.IntegerField(default=0)
    # resolved on the day
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    # closed on the day
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    # for the balance at an instant: ended, due, and the later of due and end
    ended = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    due_ended = models.IntegerField(default=0)

    class Meta:
        verbose_name = "dossier count"
        constraints = [
            models.UniqueConstraint(
                fields=["span", "day", "agency_id", "procedure_id", "province"], name="dossier_count_bucket"
            )
        ]
        indexes = [models.Index(fields=["agency_id", "span", "day"], name="dossier_count_agency")]

    def __str__(self) -> str:
        return f"{self.span} {self.day} {self.agency_id}/{self.procedure_id}"


class FillState(models.Model):
    """How far the roll-ups have read (Zulip's FillState): the last ``updated_at`` of a dossier and
    the last rating id taken in."""

    name = models.CharField(max_length=40, unique=True)
    watermark = models.DateTimeField(null=True)
    rating_watermark = models.BigIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.watermark}"
