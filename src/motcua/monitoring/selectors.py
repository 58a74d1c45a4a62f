"""Reads for monitoring: the Decision 766 index and the settlement report, from the roll-ups.

A dossier counts for an agency when the agency resolving it is that agency or under it
(``scope``; the materialised ``Agency.path`` makes it one prefix query). The index is over the
dossiers received in the period, judged as they stand now (contract §5 timeliness: an unfinished
dossier is on track or overdue now). The report follows contract §7 word for word: received in the
period, carried over at its start, finished in it, pending at its end with overdue judged then.

Sums come from ``DossierCount`` (whole months from the month rows, edge days from the day rows).
Only whether an unfinished dossier is overdue *now* is asked of the dossier table, through the
(status, due_at) index over the few dossiers still open; everything else is in the counts.
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.dossiers.models import Dossier, Rating
from motcua.dossiers.selectors import overdue_q
from motcua.monitoring import index as engine
from motcua.monitoring import measures
from motcua.monitoring.measures import CatalogVersion
from motcua.monitoring.models import DossierCount
from motcua.monitoring.rollup import COUNT_COLUMNS, PAID_COLUMNS
from motcua.petitions.models import About, Petition
from motcua.petitions.selectors import late_q

REPORT_COLUMNS = [
    "received_total",
    "received_online",
    "received_counter",
    "received_post",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_on_track",
    "pending_overdue",
    "refused",
    "withdrawn",
    "stopped",
]
# Beside the contract's columns (never among them): the dossiers received in the period that have a fee,
# and those paid through each channel. A dossier paid through two channels counts under both.
PAYMENT_COLUMNS = ["with_fee", *PAID_COLUMNS]

# --- scope and periods --------------------------------------------------------------------------------


def scope(agency: Agency) -> list[int]:
    """The agencies whose resolved dossiers count for ``agency``: itself and everything under it."""
    return list(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_end(d: date) -> date:
    return d.replace(day=pycalendar.monthrange(d.year, d.month)[1])


def period_q(start: date, end: date) -> Q:
    """Buckets covering the days start..end (inclusive): whole months by month, the rest by day."""
    first_full = start if start.day == 1 else _next_month(start)
    last_full = _month_start(end) if end == _month_end(end) else _month_start(end) - timedelta(days=1)
    last_full = _month_start(last_full)
    if first_full > end or last_full < first_full or _month_end(last_full) > end:
        return Q(span="d", day__gte=start, day__lte=end)
    q = Q(span="m", day__gte=first_full, day__lte=last_full)
    if start < first_full:
        q |= Q(span="d", day__gte=start, day__lt=first_full)
    after = _next_month(last_full)
    if after <= end:
        q |= Q(span="d", day__gte=after, day__lte=end)
    return q


def before_q(x: date) -> Q:
    """Buckets of every day before ``x``."""
    month = _month_start(x)
    return Q(span="m", day__lt=month) | Q(span="d", day__gte=month, day__lt=x)


def _sums(
    ids: list[int], q: Q, by: Iterable[str], columns: Iterable[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    by = list(by)
    columns = list(columns)
    qs = DossierCount.objects.filter(agency_id__in=ids).filter(q)
    if not by:
        total = qs.aggregate(**{f"s_{c}": Sum(c) for c in columns})
        return {(): {c: total[f"s_{c}"] or 0 for c in columns}}
    rows = qs.values(*by).annotate(**{f"s_{c}": Sum(c) for c in columns}).order_by()
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in rows:
        out[tuple(row[b] for b in by)] = {c: row[f"s_{c}"] or 0 for c in columns}
    return out


def _fold(
    sums: Mapping[tuple[Any, ...], Mapping[str, int]], key: Callable[[tuple[Any, ...]], Hashable]
) -> dict[Hashable, dict[str, int]]:
    out: dict[Hashable, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for k, values in sums.items():
        target = out[key(k)]
        for c, v in values.items():
            target[c] += v
    return out


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )


def _overdue_now(
    ids: list[int], now: datetime, *, received: tuple[datetime, datetime] | None
) -> dict[tuple[int, int], tuple[int, int]]:
    """Unfinished dossiers overdue now (timeliness "overdue"; a paused clock judged where it stopped),
    per (agency, procedure): (overdue, overdue and not rated unsatisfied)."""
    qs = Dossier.objects.filter(overdue_q(now), resolving_agency_id__in=ids)
    if received is not None:
        qs = qs.filter(received_at__gte=received[0], received_at__lt=received[1])
    unsatisfied = Exists(Rating.objects.filter(dossier=OuterRef("pk"), satisfied=False))
    rows = (
        qs.values("resolving_agency_id", "procedure_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=~Q(unsatisfied)))
        .order_by()
    )
    return {(r["resolving_agency_id"], r["procedure_id"]): (r["n"], r["ok"]) for r in rows}


def petition_tallies(
    ids: list[int], start: date, end: date, now: datetime
) -> dict[int, measures.PetitionTally]:
    """Per agency holding them, the petitions first received from ``start`` to ``end``, judged now:
    one grouped count over the (received_at) index. Petitions are few next to dossiers (the
    province's PAKN are hundreds or thousands a year) and whether an open one is late depends on
    now, so they are counted where they are rather than rolled up."""
    lo, hi = _bounds(start, end)
    late = late_q(now)
    rows = (
        Petition.objects.filter(received_at__gte=lo, received_at__lt=hi, agency_id__in=ids)
        .values("agency_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=late),
            bad=Count("pk", filter=late | Q(evaluation__satisfied=False)),
            procedure=Count("pk", filter=Q(about__in=[About.REGULATION, About.PROCEDURE])),
            staff=Count("pk", filter=Q(about=About.STAFF_CONDUCT)),
        )
        .order_by()
    )
    return {
        r["agency_id"]: measures.PetitionTally(r["n"], r["late"], r["bad"], r["procedure"], r["staff"])
        for r in rows
    }


# --- catalog facts (transparency and the per-procedure indicators) ------------------------------------


def catalog_versions(ids: list[int]) -> list[CatalogVersion]:
    """The published versions that any of the agencies ``ids`` settles (implements), with what the
    indicators ask of them."""
    rows = list(
        ProcedureVersion.objects.filter(Q(agency_id__in=ids) | Q(implementing_agencies__in=ids))
        .exclude(status=VersionStatus.DRAFT)
        .annotate(n_docs=Count("required_documents", distinct=True), n_steps=Count("steps", distinct=True))
        .values(
            "id",
            "procedure_id",
            "agency_id",
            "status",
            "fee_vnd",
            "applicant_types",
            "name",
            "processing_time_value",
            "n_docs",
            "n_steps",
            "decision_date",
            "effective_date",
            "published_date",
        )
        .distinct()
    )
    implementing: dict[int, set[int]] = defaultdict(set)
    through = ProcedureVersion.implementing_agencies.through.objects
    for version_id, agency_id in through.filter(procedureversion_id__in=[r["id"] for r in rows]).values_list(
        "procedureversion_id", "agency_id"
    ):
        implementing[version_id].add(agency_id)
    return [
        CatalogVersion(
            procedure_id=r["procedure_id"],
            agency_ids=frozenset({r["agency_id"], *implementing[r["id"]]}),
            current=r["status"] == VersionStatus.CURRENT,
            fee=r["fee_vnd"] > 0,
            individual="individual" in (r["applicant_types"] or []),
            complete=bool(
                r["name"]
                and r["n_docs"]
                and r["n_steps"]
                and r["processing_time_value"]
                and r["applicant_types"]
                and r["agency_id"]
            ),
            decision_date=r["decision_date"],
            effective_date=r["effective_date"],
            published_date=r["published_date"],
        )
        for r in rows
    ]


# --- the index ---------------------------------------------------------------------------------------

_INDEX_COLUMNS = [c for c in COUNT_COLUMNS if c not in ("ended", "due", "due_ended")]


@dataclass(frozen=True)
class UnitIndex:
    agency: Agency
    result: engine.IndexResult
    received: int
    petitions: measures.PetitionTally


def service_index(
    agency: Agency,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    units: bool = False,
) -> tuple[UnitIndex, list[UnitIndex]]:
    """The index of ``agency`` (and, with ``units``, of each agency directly under it) over the
    dossiers received from ``start`` to ``end``, as the roll-ups stand."""
    now = now or timezone.now()
    agencies = {a.pk: a for a in Agency.objects.filter(path__startswith=agency.path)}
    ids = list(agencies)
    sums = _sums(ids, period_q(start, end), ["agency_id", "procedure_id"], _INDEX_COLUMNS)
    overdue = _overdue_now(ids, now, received=_bounds(start, end))
    prior_cache: list[dict[tuple[Any, ...], dict[str, int]]] = []

    def prior() -> dict[tuple[Any, ...], dict[str, int]]:
        """Last year's intake, only wanted when a unit received nothing (dossier_sync)."""
        if not prior_cache:
            last_year = period_q(date(start.year - 1, 1, 1), date(start.year - 1, 12, 31))
            prior_cache.append(_sums(ids, last_year, ["agency_id"], ["received"]))
        return prior_cache[0]

    versions = catalog_versions(ids)
    petitions = petition_tallies(ids, start, end, now)
    communes = {i: a.offers_e_certified_copy for i, a in agencies.items() if a.kind == AgencyKind.COMMUNE}
    ruleset = engine.ruleset_for(start.year)
    is_working_day = get_calendar().is_working_day

    def compute(unit: Agency, unit_ids: set[int]) -> UnitIndex:
        s = measures.Slice()
        tally = sum((t for a, t in petitions.items() if a in unit_ids), measures.PetitionTally())
        for (agency_id, procedure_id), values in sums.items():
            if agency_id in unit_ids:
                s.add(procedure_id, values)
        for (agency_id, _p), (n, ok) in overdue.items():
            if agency_id in unit_ids:
                s.overdue += n
                s.overdue_ok += ok
        prior_received = (
            sum(v["received"] for (a,), v in prior().items() if a in unit_ids)
            if not s.sums["received"]
            else 0
        )
        found = measures.measures(
            s,
            versions,
            unit_ids,
            prior_year_received=prior_received,
            start=start,
            end=end,
            ministry=unit.kind == AgencyKind.MINISTRY,
            is_working_day=is_working_day,
            petitions=tally,
            communes=engine.Count(
                sum(communes[i] for i in unit_ids if i in communes), sum(i in communes for i in unit_ids)
            ),
        )
        return UnitIndex(unit, engine.score(found, ruleset), s.sums["received"], tally)

    whole = compute(agency, set(ids))
    children: list[UnitIndex] = []
    if units:
        for child in sorted((a for a in agencies.values() if a.parent_id == agency.pk), key=lambda a: a.path):
            child_ids = {i for i, a in agencies.items() if a.path.startswith(child.path)}
            children.append(compute(child, child_ids))
    return whole, children


# --- the settlement report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    values: dict[str, int]

    @property
    def to_settle(self) -> int:
        """Tổng số phải giải quyết: what the outcomes of the row add up to (contract §7's balance)."""
        return self.values["carried_over"] + self.values["received_total"]


_PERIOD_COLUMNS = [
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "refused",
    "withdrawn",
    "stopped",
    "ended",
    "due",
    "due_ended",
    *PAYMENT_COLUMNS,
]
_BALANCE_COLUMNS = ["received", "ended", "due", "due_ended"]


def _row(period: Mapping[str, int], before: Mapping[str, int], overdue_live: int | None) -> dict[str, int]:
    """One report row from the sums in the period and before it. Open at an instant X is
    received before X minus ended before X; overdue at X is due before X minus (due and ended)
    before X — or, when the period reaches now, the live count."""
    carried = before.get("received", 0) - before.get("ended", 0)
    pending = carried + period.get("received", 0) - period.get("ended", 0)
    if overdue_live is None:
        overdue = (before.get("due", 0) + period.get("due", 0)) - (
            before.get("due_ended", 0) + period.get("due_ended", 0)
        )
    else:
        overdue = overdue_live
    return {
        "received_total": period.get("received", 0),
        "received_online": period.get("received_online", 0),
        "received_counter": period.get("received_counter", 0),
        "received_post": period.get("received_post", 0),
        "carried_over": carried,
        "resolved_total": period.get("resolved", 0),
        "resolved_early": period.get("resolved_early", 0),
        "resolved_on_time": period.get("resolved_on_time", 0),
        "resolved_late": period.get("resolved_late", 0),
        "pending_total": pending,
        "pending_on_track": pending - overdue,
        "pending_overdue": overdue,
        "refused": period.get("refused", 0),
        "withdrawn": period.get("withdrawn", 0),
        "stopped": period.get("stopped", 0),
        **{c: period.get(c, 0) for c in PAYMENT_COLUMNS},
    }


def settlement_report(
    agency: Agency,
    start: date,
    end: date,
    group_by: str,
    *,
    now: datetime | None = None,
) -> tuple[list[ReportRow], dict[str, int]]:
    """Rows per agency directly under ``agency`` (and itself), per procedure, or per month, as the
    roll-ups stand."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = scope(agency)
    live = end >= today  # pending is judged at the end of the period, or now if that is later

    if group_by == "month":
        rows = []
        period = _fold(
            _sums(ids, period_q(start, end), ["span", "day"], _PERIOD_COLUMNS), lambda k: _month_start(k[1])
        )
        running = _fold(_sums(ids, before_q(start), [], _BALANCE_COLUMNS), lambda k: "all").get("all", {})
        running = dict(running)
        month = _month_start(start)
        last = _month_start(min(end, today)) if start <= today else _month_start(start)
        while month <= last:
            p = period.get(month, {})
            is_live = live and month == _month_start(today)
            overdue_live = (
                sum(n for n, _ok in _overdue_now(ids, now, received=None).values()) if is_live else None
            )
            values = _row(p, running, overdue_live)
            rows.append(ReportRow(f"{month:%Y-%m}", f"{month:%m/%Y}", values))
            for c in _BALANCE_COLUMNS:
                running[c] = running.get(c, 0) + p.get(c, 0)
            month = _next_month(month)
        return rows, _total(rows, first=rows[0].values if rows else None)

    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    if group_by == "agency":
        children = {a.pk: a for a in agencies.values() if a.parent_id == agency.pk}

        def unit_of(agency_id: int) -> Agency:
            a = agencies[agency_id]
            for child in children.values():
                if a.path.startswith(child.path):
                    return child
            return agency

        def key(k: tuple[Any, ...]) -> Hashable:
            return unit_of(k[0]).pk

        labels: dict[Hashable, tuple[str, str]] = {a.pk: (a.code, a.name) for a in agencies.values()}
    else:
        from motcua.catalog.models import Procedure

        def key(k: tuple[Any, ...]) -> Hashable:
            return k[1]

        labels = {}
        names = dict(
            ProcedureVersion.objects.filter(status=VersionStatus.CURRENT).values_list("procedure_id", "name")
        )
        for pk, code in Procedure.objects.values_list("pk", "code"):
            labels[pk] = (code, names.get(pk, code))

    by = ["agency_id", "procedure_id"]
    period = _fold(_sums(ids, period_q(start, end), by, _PERIOD_COLUMNS), key)
    before = _fold(_sums(ids, before_q(start), by, _BALANCE_COLUMNS), key)
    overdue: dict[Hashable, int] = defaultdict(int)
    if live:
        for pair, (n, _ok) in _overdue_now(ids, now, received=None).items():
            overdue[key(pair)] += n
    groups: list[Hashable] = sorted(set(period) | set(before), key=lambda g: labels.get(g, (str(g), ""))[0])
    rows = []
    for group in groups:
        values = _row(period.get(group, {}), before.get(group, {}), overdue.get(group, 0) if live else None)
        if not any(values.values()):
            continue
        code, name = labels.get(group, (str(group), str(group)))
        rows.append(ReportRow(code, name, values))
    return rows, _total(rows)


def _total(rows: list[ReportRow], first: Mapping[str, int] | None = None) -> dict[str, int]:
    total = {c: sum(r.values[c] for r in rows) for c in (*REPORT_COLUMNS, *PAYMENT_COLUMNS)}
    if first is not None and rows:  # by month: the balances are the period's, not a sum of months
        total["carried_over"] = rows[0].values["carried_over"]
        for c in ("pending_total", "pending_on_track", "pending_overdue"):
            total[c] = rows[-1].values[c]
    return total


def overdue_list(agency: Agency, *, limit: int, now: datetime | None = None) -> list[Dossier]:
    """The unfinished dossiers overdue now under ``agency``, the longest overdue first."""
    now = now or timezone.now()
    return list(
        Dossier.objects.filter(overdue_q(now), resolving_agency_id__in=scope(agency))
        .select_related("procedure_version", "resolving_agency", "current_agency", "current_step")
        .order_by("due_at")[:limit]
    )
