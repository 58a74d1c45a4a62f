"""Keeping the roll-ups current: an incremental job with a watermark, in the manner of Zulip's
analytics, so that intake pays nothing.

A run takes the dossiers whose ``updated_at`` passed the watermark (and those rated since), works
out their facts afresh into ``FactStage``, subtracts what their old facts contributed to
``DossierCount`` and adds what the new ones contribute (one grouped upsert per span), then stores
the new facts. ``rebuild`` does the same from empty tables. Both are plain SQL statements over the
whole set, so a million dossiers take seconds, and a run with nothing new costs two indexed
look-ups.

Every count is the number of dossiers whose event (received, resolved, closed, ended, due, the
later of due and end) falls on the bucket's day; ``COLUMNS`` says which event and condition each
column counts. Deleting a dossier is not seen by the watermark: run ``motcua rollup --rebuild``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierDocument, OrderChannel, Payment, PaymentStatus, Rating
from motcua.dossiers.selectors import OPEN_STATUSES
from motcua.monitoring.models import DossierCount, DossierFact, FactStage, FillState

ONLINE_PAYMENT_CHANNELS = (OrderChannel.NATIONAL_PORTAL, OrderChannel.LOCAL_GATEWAY)
# Every channel an order can be paid through, in the order the dashboard and the report show them; a
# dossier counts under each channel one of its orders was paid through (``paid_<channel>``).
PAID_CHANNELS = (
    OrderChannel.NATIONAL_PORTAL,
    OrderChannel.LOCAL_GATEWAY,
    OrderChannel.VIETQR,
    OrderChannel.COUNTER,
)
if set(PAID_CHANNELS) != set(OrderChannel):  # pragma: no cover
    raise RuntimeError("every payment channel needs its roll-up column")
PAID_COLUMNS = [f"paid_{c.value}" for c in PAID_CHANNELS]

FILL_STATE = "dossier_counts"
# Transactions that commit after a run began may carry an ``updated_at`` just below the watermark
# the run saw; every run looks back this far (re-reading a dossier is harmless: its delta is 0).
OVERLAP = timedelta(seconds=int(os.environ.get("MOTCUA_ROLLUP_OVERLAP_SECONDS", "120")))

FACT_FIELDS: list[str] = [str(f.column) for f in DossierFact._meta.concrete_fields]

# (column, event, condition over the fact ``f``)
COLUMNS: list[tuple[str, str, str]] = [
    ("received", "received", "1=1"),
    ("received_online", "received", "f.channel = 'online'"),
    ("received_counter", "received", "f.channel = 'counter'"),
    ("received_post", "received", "f.channel = 'post'"),
    ("early", "received", "f.timeliness = 'early'"),
    ("on_time", "received", "f.timeliness = 'on_time'"),
    ("late", "received", "f.timeliness = 'late'"),
    ("open_timed", "received", "f.open_timed"),
    ("dissatisfied", "received", "(f.timeliness = 'late' OR f.unsatisfied)"),
    ("result_doc", "received", "f.result_doc"),
    ("e_result_doc", "received", "(f.result_doc AND f.e_result)"),
    ("digitized", "received", "(f.digitized_doc AND f.e_result)"),
    ("reused", "received", "f.reused_doc"),
    ("warehouse", "received", "(f.warehouse_doc OR f.pushed)"),
    ("population", "received", "(f.vneid OR f.population)"),
    ("synced", "received", "f.synced"),
    ("full_eligible", "received", "f.full_level"),
    (
        "full_online",
        "received",
        "(f.full_level AND f.channel = 'online' AND (NOT f.result_doc OR f.e_result))",
    ),
    ("with_fee", "received", "f.fee"),
    ("paid_online", "received", "(f.fee AND f.paid_online)"),
    *((name, "received", f"(f.fee AND f.{name})") for name in PAID_COLUMNS),
    ("resolved", "resolved", "1=1"),
    ("resolved_early", "resolved", "f.timeliness = 'early'"),
    ("resolved_on_time", "resolved", "f.timeliness = 'on_time'"),
    ("resolved_late", "resolved", "f.timeliness = 'late'"),
    # Only dossiers that were received: one refused or withdrawn before receipt was never in the
    # report's intake, and counting it among the outcomes would unbalance the table (contract §7).
    ("refused", "closed", "(f.status = 'refused' AND f.received_on IS NOT NULL)"),
    ("withdrawn", "closed", "(f.status = 'withdrawn' AND f.received_on IS NOT NULL)"),
    ("stopped", "closed", "(f.status = 'stopped' AND f.received_on IS NOT NULL)"),
    ("ended", "ended", "1=1"),
    ("due", "due", "1=1"),
    ("due_ended", "due_ended", "1=1"),
]
COUNT_COLUMNS = [name for name, _event, _cond in COLUMNS]
EVENTS = list(dict.fromkeys(event for _name, event, _cond in COLUMNS))


# --- facts -------------------------------------------------------------------------------------------


def facts_queryset(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The facts of ``dossiers`` as one SELECT whose columns are ``FACT_FIELDS`` in order."""
    tz = timezone.get_default_timezone()
    end = Coalesce("resolved_at", "closed_at")
    has_end = Q(resolved_at__isnull=False) | Q(closed_at__isnull=False)
    received = Q(received_at__isnull=False)

    def doc(**flags: bool) -> Exists:
        return Exists(DossierDocument.objects.filter(dossier=OuterRef("pk"), **flags))

    def paid(*channels: str) -> Exists:
        return Exists(
            Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID, channel__in=channels)
        )

    def flag(condition: Q) -> Case:
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    timeliness = Case(
        When(resolved_at__isnull=True, then=Value("")),
        When(original_due_at__isnull=True, then=Value("none")),
        When(
            Q(GreaterThan(F("resolved_at"), F("original_due_at"))) | Q(supplements_after_receipt__gt=1),
            then=Value("late"),
        ),
        When(
            LessThan(TruncDate("resolved_at", tzinfo=tz), TruncDate("original_due_at", tzinfo=tz)),
            then=Value("early"),
        ),
        default=Value("on_time"),
        output_field=CharField(),
    )
    annotations = {
        "f_dossier_id": F("id"),
        "f_agency_id": F("resolving_agency_id"),
        "f_province": F("province"),
        "f_procedure_id": F("procedure_id"),
        "f_channel": F("channel"),
        "f_status": F("status"),
        "f_received_on": TruncDate("received_at", tzinfo=tz),
        "f_resolved_on": TruncDate("resolved_at", tzinfo=tz),
        "f_closed_on": TruncDate("closed_at", tzinfo=tz),
        "f_ended_on": Case(
            When(received & has_end, then=TruncDate(end, tzinfo=tz)), default=None, output_field=DateField()
        ),
        "f_due_on": Case(
            When(received & Q(due_at__isnull=False), then=TruncDate("due_at", tzinfo=tz)),
            default=None,
            output_field=DateField(),
        ),
        "f_due_ended_on": Case(
            When(
                received & has_end & Q(due_at__isnull=False),
                then=TruncDate(Greatest("due_at", end), tzinfo=tz),
            ),
            default=None,
            output_field=DateField(),
        ),
        "f_timeliness": timeliness,
        "f_open_timed": flag(Q(status__in=OPEN_STATUSES, due_at__isnull=False)),
        "f_result_doc": F("procedure_version__result_is_document"),
        "f_full_level": flag(Q(procedure_version__online_level="full")),
        "f_e_result": F("e_result"),
        "f_digitized_doc": doc(digitized=True),
        "f_reused_doc": doc(reused=True),
        "f_warehouse_doc": doc(from_warehouse=True),
        "f_pushed": F("result_pushed_to_warehouse"),
        "f_vneid": F("vneid_verified"),
        "f_population": F("population_data_used"),
        "f_synced": F("synced_to_national_portal"),
        # A financial obligation (domain.md §6.2, payment A's denominator): a fee paid, or one asked
        # for and not paid yet — a dossier that has not paid still owes it.
        "f_fee": Case(
            When(fee_vnd__gt=0, then=Value(True)),
            When(Exists(Payment.objects.filter(dossier=OuterRef("pk"), amount_vnd__gt=0)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        # An order paid on one of the two online platforms (contract §8.3); a VietQR transfer is not one.
        "f_paid_online": paid(*ONLINE_PAYMENT_CHANNELS),
        **{f"f_paid_{c.value}": paid(c) for c in PAID_CHANNELS},
        "f_unsatisfied": Exists(Rating.objects.filter(dossier=OuterRef("pk"), satisfied=False)),
    }
    if [k[2:] for k in annotations] != FACT_FIELDS:  # pragma: no cover
        raise RuntimeError("the fact annotations must follow the fact columns")
    return dossiers.order_by().annotate(**annotations).values_list(*annotations)


def _insert_facts(table: str, dossiers: QuerySet[Dossier]) -> int:
    sql, params = facts_queryset(dossiers).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(FACT_FIELDS)}) {sql}", params)  # noqa: S608
        return cursor.rowcount


# --- counts ------------------------------------------------------------------------------------------


def _events_sql(source: str, sign: int, where: str = "") -> str:
    """Every fact of ``source`` as one row per event it has, each column ``sign`` or 0."""
    selects = []
    for event in EVENTS:
        cols = ", ".join(
            (f"CASE WHEN {cond} THEN {sign} ELSE 0 END" if ev == event else "0") + f" AS {name}"
            for name, ev, cond in COLUMNS
        )
        selects.append(
            f"SELECT f.{event}_on AS day, f.agency_id AS agency_id, f.procedure_id AS procedure_id, "  # noqa: S608
            f"f.province AS province, {cols} "
            f"FROM {source} f WHERE f.{event}_on IS NOT NULL{where}"
        )
    return " UNION ALL ".join(selects)


def _month(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {expr}) AS date)"
    return f"date({expr}, 'start of month')"


def _add_events(events_sql: str) -> None:
    """Add the event rows to the day and month buckets (one grouped upsert per span)."""
    table = DossierCount._meta.db_table
    names = ", ".join(COUNT_COLUMNS)
    sums = ", ".join(f"SUM(ev.{c})" for c in COUNT_COLUMNS)
    update = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNT_COLUMNS)
    with connection.cursor() as cursor:
        for span, key in (("d", "ev.day"), ("m", _month("ev.day"))):
            cursor.execute(
                f"INSERT INTO {table} (span, day, agency_id, procedure_id, province, {names}) "  # noqa: S608
                f"SELECT '{span}', {key}, ev.agency_id, ev.procedure_id, ev.province, {sums} "
                f"FROM ({events_sql}) AS ev WHERE 1=1 "
                f"GROUP BY {key}, ev.agency_id, ev.procedure_id, ev.province "
                f"ON CONFLICT (span, day, agency_id, procedure_id, province) DO UPDATE SET {update}"
            )


# --- the job -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunReport:
    dossiers: int
    rebuilt: bool
    seconds: float


def _state() -> FillState:
    FillState.objects.get_or_create(name=FILL_STATE)
    return FillState.objects.select_for_update().get(name=FILL_STATE)


def _marks() -> tuple[datetime | None, int]:
    latest = Dossier.objects.aggregate(m=Max("updated_at"))["m"]
    rating = Rating.objects.aggregate(m=Max("id"))["m"] or 0
    return latest, rating


def pending_work() -> bool:
    """Two indexed look-ups: has anything changed since the last run?"""
    state = FillState.objects.filter(name=FILL_STATE).first()
    if state is None or state.watermark is None:
        return True
    return (
        Dossier.objects.filter(updated_at__gt=state.watermark).exists()
        or Rating.objects.filter(id__gt=state.rating_watermark).exists()
    )


def update() -> RunReport:
    """Bring the counts up to date with every dossier changed since the watermark."""
    started = timezone.now()
    with transaction.atomic():
        state = _state()
        if state.watermark is None:
            return _rebuild(state, started)
        latest, rating_mark = _marks()
        since = state.watermark - OVERLAP
        stage, fact = FactStage._meta.db_table, DossierFact._meta.db_table
        FactStage.objects.all().delete()
        # Two index look-ups rather than one OR, which would scan the dossier table.
        changed = Dossier.objects.filter(updated_at__gt=since)
        rated = Dossier.objects.filter(
            pk__in=Rating.objects.filter(id__gt=state.rating_watermark).values("dossier_id")
        ).exclude(updated_at__gt=since)
        count = _insert_facts(stage, changed) + _insert_facts(stage, rated)
        if count:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {stage}")  # so that the old facts are found by key
            in_stage = f" AND f.dossier_id IN (SELECT dossier_id FROM {stage})"  # noqa: S608
            _add_events(f"{_events_sql(fact, -1, in_stage)} UNION ALL {_events_sql(stage, 1)}")
            cols = ", ".join(FACT_FIELDS)
            update_set = ", ".join(f"{c} = excluded.{c}" for c in FACT_FIELDS if c != "dossier_id")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {fact} ({cols}) SELECT {cols} FROM {stage} WHERE 1=1 "  # noqa: S608
                    f"ON CONFLICT (dossier_id) DO UPDATE SET {update_set}"
                )
            FactStage.objects.all().delete()
        state.watermark = max(filter(None, [latest, state.watermark]))
        state.rating_watermark = max(rating_mark, state.rating_watermark)
        state.last_run_at = started
        state.save()
    return RunReport(count, False, (timezone.now() - started).total_seconds())


def rebuild() -> RunReport:
    """Throw the roll-ups away and count every dossier again."""
    started = timezone.now()
    with transaction.atomic():
        return _rebuild(_state(), started)


def _rebuild(state: FillState, started: datetime) -> RunReport:
    latest, rating_mark = _marks()
    DossierCount.objects.all().delete()
    DossierFact.objects.all().delete()
    FactStage.objects.all().delete()
    count = _insert_facts(DossierFact._meta.db_table, Dossier.objects.all())
    _add_events(_events_sql(DossierFact._meta.db_table, 1))
    state.watermark = latest or started
    state.rating_watermark = rating_mark
    state.last_run_at = state.rebuilt_at = started
    state.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DossierCount._meta.db_table}")
    return RunReport(count, True, (timezone.now() - started).total_seconds())


def counted_until() -> datetime | None:
    """When the counts were last brought up to date, for the pages to say how fresh they are."""
    state = FillState.objects.filter(name=FILL_STATE).first()
    return state.last_run_at if state else None


def caught_up(alias: str) -> bool:
    """Whether the database ``alias`` (the replica) holds the counts the primary holds, so that an
    answer read there is the one the primary would give."""

    def marks(db: str) -> tuple[Any, ...] | None:
        return (
            FillState.objects.using(db)
            .filter(name=FILL_STATE)
            .values_list("watermark", "rating_watermark")
            .first()
        )

    return marks(alias) == marks("default")


def ensure_current() -> None:
    """Run the incremental job if anything changed: what the API does before it answers."""
    if pending_work():
        update()
