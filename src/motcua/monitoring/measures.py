"""From counts to the Decision 766 measures (numerator, denominator per indicator). Plain Python, no
Django import: the definitions domain.md §6.2 and contract §7 fix — which dossiers and procedures
each indicator counts, the publication deadlines — tested here without a database.

``selectors`` reads the counts (roll-ups, the catalog, the few open dossiers overdue now) and
``index.score`` turns the measures into points.
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from motcua.monitoring.index import Count, Measure


@dataclass(frozen=True)
class PetitionTally:
    """The petitions (PAKN) first received in the period by a unit's agencies, judged as they stand now."""

    received: int = 0
    late: int = 0  # a step finished after its deadline, or open and overdue now
    late_or_unsatisfied: int = 0  # late, or the sender was not satisfied with the answer
    procedure: int = 0  # about regulations and procedures (PETITION_CLASSIFICATION_TTHC)
    staff_conduct: int = 0  # about the conduct of officers (PETITION_CLASSIFICATION_STAFF)

    def __add__(self, other: PetitionTally) -> PetitionTally:
        return PetitionTally(
            self.received + other.received,
            self.late + other.late,
            self.late_or_unsatisfied + other.late_or_unsatisfied,
            self.procedure + other.procedure,
            self.staff_conduct + other.staff_conduct,
        )


def petition_measures(t: PetitionTally) -> dict[str, Measure]:
    """Group 6's PAKN indicators (domain.md §6.2): handled on time or in progress within time over
    those received; those neither late nor judged unsatisfactory over those received. No petition:
    0/0, which the index scores as full points."""
    return {
        "petition_on_time": Count(t.received - t.late, t.received),
        "petition_satisfaction": Count(t.received - t.late_or_unsatisfied, t.received),
    }


@dataclass(frozen=True)
class CatalogVersion:
    """What the indicators need of one published version of a procedure."""

    procedure_id: int
    agency_ids: frozenset[int]  # the agencies that settle it (implementing agencies)
    current: bool
    fee: bool
    individual: bool
    complete: bool  # every component Decree 63/2010 Art. 8(2) asks to be published
    decision_date: date | None
    effective_date: date | None
    published_date: date | None


def publication_rules(ministry: bool) -> tuple[int, int]:
    """(working days before the effective date the publication decision is due, working days after the
    decision the procedure must be public): 20 and 10 for a ministry, 5 and 5 for a province."""
    return (20, 10) if ministry else (5, 5)


IsWorkingDay = Callable[[date], bool]


def nth_working_day(d: date, n: int, step: int, is_working_day: IsWorkingDay) -> date:
    """The n-th working day after (step 1) or before (step -1) ``d``."""
    while n > 0:
        d += timedelta(days=step)
        if is_working_day(d):
            n -= 1
    return d


def transparency(
    versions: list[CatalogVersion], start: date, end: date, *, ministry: bool, is_working_day: IsWorkingDay
) -> dict[str, Measure]:
    """Group 1 without the sync indicator. A procedure published in several decisions of the period
    counts once, and one late decision makes it late."""
    before, within = publication_rules(ministry)
    publish: dict[int, bool] = {}
    update: dict[int, bool] = {}
    for v in versions:
        if v.decision_date is None or not start <= v.decision_date <= end:
            continue
        on_time = v.effective_date is not None and v.decision_date <= nth_working_day(
            v.effective_date, before, -1, is_working_day
        )
        publish[v.procedure_id] = publish.get(v.procedure_id, True) and on_time
        updated = v.published_date is not None and v.published_date <= nth_working_day(
            v.decision_date, within, 1, is_working_day
        )
        update[v.procedure_id] = update.get(v.procedure_id, True) and updated
    # Measured as the catalog stands now, not per period.
    current = {v.procedure_id: v.complete for v in versions if v.current}
    return {
        "publish_on_time": Count(sum(publish.values()), len(publish)),
        "public_update_on_time": Count(sum(update.values()), len(update)),
        "public_content_full": Count(sum(current.values()), len(current)),
    }


@dataclass
class Slice:
    """Everything one unit's index needs, folded from the per (agency, procedure) roll-up sums."""

    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_procedure: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    overdue: int = 0  # unfinished and overdue now
    overdue_ok: int = 0  # of those, not rated unsatisfied

    def add(self, procedure_id: int, values: Mapping[str, int]) -> None:
        for c, v in values.items():
            self.sums[c] += v
            self.by_procedure[procedure_id][c] += v


def sync_denominator(received: int, prior_year_received: int, start: date, end: date) -> int:
    """Dossiers the portal expects for the sync ratio: those received; when none were, last year's
    intake pro rata over the period (domain.md §6.2, DOSSIER_SYNC)."""
    if received or not prior_year_received:
        return received
    days = (end - start).days + 1
    year_days = 366 if pycalendar.isleap(start.year - 1) else 365
    return max(1, round(prior_year_received * min(days, year_days) / year_days))


def measures(
    s: Slice,
    versions: list[CatalogVersion],
    unit_ids: Collection[int],
    *,
    prior_year_received: int,
    start: date,
    end: date,
    ministry: bool,
    is_working_day: IsWorkingDay,
    petitions: PetitionTally | None = None,
    communes: Count | None = None,
) -> dict[str, Measure]:
    """Every indicator of contract §7 for one unit: ``unit_ids`` are the agencies it covers.
    ``communes``: its communes offering electronic certified copies over its communes."""
    t = s.sums
    received = t["received"]
    m: dict[str, Measure] = petition_measures(petitions or PetitionTally())
    m["e_certified_copy"] = communes or Count(0, 0)
    mine = [v for v in versions if not v.agency_ids.isdisjoint(unit_ids)]
    m |= transparency(mine, start, end, ministry=ministry, is_working_day=is_working_day)
    m["dossier_sync"] = Count(t["synced"], sync_denominator(received, prior_year_received, start, end))
    on_track = t["open_timed"] - s.overdue
    m["on_time"] = Count(
        t["early"] + t["on_time"] + on_track, t["early"] + t["on_time"] + t["late"] + t["open_timed"]
    )
    m["full_process_online"] = Count(t["full_online"], t["full_eligible"])
    m["e_result"] = Count(t["e_result_doc"], t["result_doc"])
    m["digitized"] = Count(t["digitized"], received)
    m["reused_data"] = Count(t["reused"], received)
    m["warehouse_shared"] = Count(t["warehouse"], received)
    m["population_data_dossiers"] = Count(t["population"], received)
    current = {v.procedure_id: v for v in mine if v.current}
    individual = [p for p, v in current.items() if v.individual]
    fee = [p for p, v in current.items() if v.fee]

    def has(p: int, column: str) -> bool:
        return s.by_procedure.get(p, {}).get(column, 0) > 0

    m["population_data_procedures"] = Count(sum(has(p, "population") for p in individual), len(individual))
    m["online_paid"] = Count(t["paid_online"], t["with_fee"])
    m["procedures_with_online_payment"] = Count(sum(has(p, "paid_online") for p in fee), len(fee))
    m["fee_procedures_with_dossiers"] = Count(sum(has(p, "received") for p in fee), len(fee))
    m["dossier_satisfaction"] = Count(received - t["dissatisfied"] - s.overdue_ok, received)
    return m
