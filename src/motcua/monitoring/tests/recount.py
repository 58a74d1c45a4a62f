"""An independent recount, written apart from the roll-ups: a plain loop over every dossier,
applying contract §5 and §7 as written. Slow and obvious on purpose."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from motcua.agencies.models import Agency
from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=TZ)


def dossiers_of(agency: Agency) -> list[Dossier]:
    return list(
        Dossier.objects.filter(resolving_agency__path__startswith=agency.path)
        .select_related("procedure_version", "resolving_agency")
        .prefetch_related("documents", "payments")
    )


def rating_of(d: Dossier) -> bool | None:
    try:
        return d.rating.satisfied
    except Exception:
        return None


def timeliness(d: Dossier, now: datetime) -> str | None:
    value = workflow.timeliness(
        status=workflow.Status(d.status),
        resolved_at=d.resolved_at,
        due_at=d.due_at,
        original_due_at=d.original_due_at,
        supplements_after_receipt=d.supplements_after_receipt,
        paused_at=d.paused_at,
        now=now,
        tz=TZ,
    )
    return value.value if value else None


def owes(d: Dossier) -> bool:
    """A financial obligation: a fee paid, or an order asked for (paid or not)."""
    return d.fee_vnd > 0 or any(p.amount_vnd > 0 for p in d.payments.all())


def index_counts(agency: Agency, start: date, end: date, now: datetime) -> dict[str, tuple[int, int]]:
    lo, hi = _start(start), _start(end + timedelta(days=1))
    rows = [d for d in dossiers_of(agency) if d.received_at and lo <= d.received_at < hi]
    n = len(rows)
    t = {d.pk: timeliness(d, now) for d in rows}
    late = {d.pk for d in rows if t[d.pk] in ("late", "overdue")}
    unsat = {d.pk for d in rows if rating_of(d) is False}
    docs = {d.pk: list(d.documents.all()) for d in rows}
    full = [d for d in rows if d.procedure_version.online_level == "full"]
    result_doc = [d for d in rows if d.procedure_version.result_is_document]
    fee = [d for d in rows if owes(d)]
    return {
        "on_time": (
            sum(t[d.pk] in ("early", "on_time", "on_track") for d in rows),
            sum(t[d.pk] is not None for d in rows),
        ),
        "full_process_online": (
            sum(
                d.channel == "online" and (not d.procedure_version.result_is_document or d.e_result)
                for d in full
            ),
            len(full),
        ),
        "e_result": (sum(d.e_result for d in result_doc), len(result_doc)),
        "digitized": (sum(d.e_result and any(x.digitized for x in docs[d.pk]) for d in rows), n),
        "reused_data": (sum(any(x.reused for x in docs[d.pk]) for d in rows), n),
        "warehouse_shared": (
            sum(d.result_pushed_to_warehouse or any(x.from_warehouse for x in docs[d.pk]) for d in rows),
            n,
        ),
        "population_data_dossiers": (sum(d.vneid_verified or d.population_data_used for d in rows), n),
        "dossier_sync": (sum(d.synced_to_national_portal for d in rows), n or _last_year(agency, start, end)),
        "online_paid": (
            sum(
                any(
                    p.status == "paid" and p.channel in ("national_portal", "local_gateway")
                    for p in d.payments.all()
                )
                for d in fee
            ),
            len(fee),
        ),
        "dossier_satisfaction": (n - len(late | unsat), n),
    }


def _last_year(agency: Agency, start: date, end: date) -> int:
    """domain.md §6.2: with no dossier in the period, last year's total pro rata."""
    y = start.year - 1
    prior = sum(1 for d in dossiers_of(agency) if d.received_at and d.received_at.astimezone(TZ).year == y)
    if not prior:
        return 0
    year_days = 366 if y % 4 == 0 else 365
    return max(1, round(prior * min((end - start).days + 1, year_days) / year_days))


def report(
    agency: Agency, start: date, end: date, now: datetime, key: Any = None
) -> dict[Any, dict[str, int]]:
    """Contract §7's report, per ``key(dossier)`` (None: one row), and beside it the dossiers received
    with a fee and those paid through each channel."""
    lo, hi = _start(start), _start(end + timedelta(days=1))
    as_of = min(hi, now)
    out: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in dossiers_of(agency):
        row = out[key(d) if key else None]
        finished = d.resolved_at or d.closed_at
        if d.received_at and lo <= d.received_at < hi:
            row["received_total"] += 1
            row[f"received_{d.channel}"] += 1
            if owes(d):
                row["with_fee"] += 1
                for channel in {p.channel for p in d.payments.all() if p.status == "paid"}:
                    row[f"paid_{channel}"] += 1
        if d.received_at and d.received_at < lo and (finished is None or finished >= lo):
            row["carried_over"] += 1
        if d.resolved_at and lo <= d.resolved_at < hi:
            row["resolved_total"] += 1
            tl = timeliness(d, now)
            if tl in ("early", "on_time", "late"):
                row[f"resolved_{tl}"] += 1
        # Closed without a result: only the dossiers the table took in, so that every row balances.
        received = d.received_at is not None
        if (
            d.closed_at
            and lo <= d.closed_at < hi
            and received
            and d.status in ("refused", "withdrawn", "stopped")
        ):
            row[d.status] += 1
        if d.received_at and d.received_at < as_of and (finished is None or finished >= as_of):
            row["pending_total"] += 1
            if as_of == now:
                overdue = timeliness(d, now) == "overdue"
            else:
                overdue = d.due_at is not None and d.due_at < as_of
            row["pending_overdue" if overdue else "pending_on_track"] += 1
    return out
