"""Monitoring at scale: the index and the settlement report from the roll-ups, side by side with the
single raw SQL aggregate over the dossier table that computes the same figures.

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_monitoring --count 1000000

Migrates the (empty) database, loads the demo province, generates ``--count`` dossiers for a whole
past year, rebuilds the roll-ups, then prints for the province's year index, one department's
index and the monthly report: the roll-up time, the raw SQL time and their ratio, and checks that
both give the same figures. The roll-ups are kept by a watermark job, so intake itself pays nothing;
what is measured instead is the job's cost per 1,000 new dossiers, next to what intake of those
dossiers through the service costs.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

TARGETS_MS = {"province_year_index": 300, "department_index": 100, "monthly_report": 500}
FINAL = "('refused', 'withdrawn', 'stopped', 'returned')"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    fn()  # warm-up: plans, caches, the calendar
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _raw(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def raw_index_sql() -> str:
    """The dossier-derived counts of the index in one aggregate, per procedure (PostgreSQL)."""
    timed_open = f"d.resolved_at IS NULL AND d.due_at IS NOT NULL AND d.status NOT IN {FINAL}"
    overdue = f"{timed_open} AND COALESCE(d.paused_at, %(now)s) > d.due_at"
    late = "d.resolved_at IS NOT NULL AND d.original_due_at IS NOT NULL AND (d.resolved_at > d.original_due_at OR d.supplements_after_receipt > 1)"
    unsat = "EXISTS (SELECT 1 FROM dossiers_rating r WHERE r.dossier_id = d.id AND NOT r.satisfied)"

    def doc(flag: str) -> str:
        return f"EXISTS (SELECT 1 FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id AND x.{flag})"  # noqa: S608

    return f"""
SELECT d.procedure_id,
  COUNT(*) AS received,
  COUNT(*) FILTER (WHERE d.synced_to_national_portal) AS synced,
  COUNT(*) FILTER (WHERE d.resolved_at IS NOT NULL AND d.original_due_at IS NOT NULL AND NOT ({late})) AS in_time,
  COUNT(*) FILTER (WHERE d.resolved_at IS NOT NULL AND d.original_due_at IS NOT NULL) AS finished_timed,
  COUNT(*) FILTER (WHERE {timed_open}) AS open_timed,
  COUNT(*) FILTER (WHERE {overdue}) AS overdue,
  COUNT(*) FILTER (WHERE ({late}) OR ({overdue}) OR {unsat}) AS dissatisfied,
  COUNT(*) FILTER (WHERE v.online_level = 'full') AS full_eligible,
  COUNT(*) FILTER (WHERE v.online_level = 'full' AND d.channel = 'online' AND (NOT v.result_is_document OR d.e_result)) AS full_online,
  COUNT(*) FILTER (WHERE v.result_is_document) AS result_doc,
  COUNT(*) FILTER (WHERE v.result_is_document AND d.e_result) AS e_result_doc,
  COUNT(*) FILTER (WHERE d.e_result AND {doc("digitized")}) AS digitized,
  COUNT(*) FILTER (WHERE {doc("reused")}) AS reused,
  COUNT(*) FILTER (WHERE d.result_pushed_to_warehouse OR {doc("from_warehouse")}) AS warehouse,
  COUNT(*) FILTER (WHERE d.vneid_verified OR d.population_data_used) AS population,
  COUNT(*) FILTER (WHERE d.fee_vnd > 0) AS with_fee,
  COUNT(*) FILTER (WHERE d.fee_vnd > 0 AND d.payment_channel IN ('national_portal', 'local_gateway')) AS paid_online
FROM dossiers_dossier d
JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
WHERE d.resolving_agency_id IN (SELECT id FROM agencies_agency WHERE path LIKE %(path)s)
  AND d.received_at >= %(lo)s AND d.received_at < %(hi)s
GROUP BY d.procedure_id
"""  # noqa: S608


def raw_index(path: str, lo: datetime, hi: datetime, now: datetime) -> dict[str, tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(raw_index_sql(), {"path": path + "%", "lo": lo, "hi": hi, "now": now})
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    t = {n: sum(r[n] for r in rows) for n in names[1:]}
    return {
        "on_time": (t["in_time"] + t["open_timed"] - t["overdue"], t["finished_timed"] + t["open_timed"]),
        "dossier_sync": (t["synced"], t["received"]),
        "full_process_online": (t["full_online"], t["full_eligible"]),
        "e_result": (t["e_result_doc"], t["result_doc"]),
        "digitized": (t["digitized"], t["received"]),
        "reused_data": (t["reused"], t["received"]),
        "warehouse_shared": (t["warehouse"], t["received"]),
        "population_data_dossiers": (t["population"], t["received"]),
        "online_paid": (t["paid_online"], t["with_fee"]),
        "dossier_satisfaction": (t["received"] - t["dissatisfied"], t["received"]),
    }


RAW_MONTHLY = """
WITH m AS (
  SELECT (s AT TIME ZONE %(tz)s) AS lo, ((s + interval '1 month') AT TIME ZONE %(tz)s) AS hi, s::date AS month
  FROM generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 month') AS s
), d AS (
  SELECT d.*, COALESCE(d.resolved_at, d.closed_at) AS ended,
    CASE WHEN d.resolved_at IS NULL OR d.original_due_at IS NULL THEN NULL
         WHEN d.resolved_at > d.original_due_at OR d.supplements_after_receipt > 1 THEN 'late'
         WHEN (d.resolved_at AT TIME ZONE %(tz)s)::date < (d.original_due_at AT TIME ZONE %(tz)s)::date THEN 'early'
         ELSE 'on_time' END AS tl
  FROM dossiers_dossier d
  WHERE d.resolving_agency_id IN (SELECT id FROM agencies_agency WHERE path LIKE %(path)s)
)
SELECT m.month,
  COUNT(*) FILTER (WHERE d.received_at >= m.lo AND d.received_at < m.hi),
  COUNT(*) FILTER (WHERE d.received_at >= m.lo AND d.received_at < m.hi AND d.channel = 'online'),
  COUNT(*) FILTER (WHERE d.received_at >= m.lo AND d.received_at < m.hi AND d.channel = 'counter'),
  COUNT(*) FILTER (WHERE d.received_at >= m.lo AND d.received_at < m.hi AND d.channel = 'post'),
  COUNT(*) FILTER (WHERE d.received_at < m.lo AND (d.ended IS NULL OR d.ended >= m.lo)),
  COUNT(*) FILTER (WHERE d.resolved_at >= m.lo AND d.resolved_at < m.hi),
  COUNT(*) FILTER (WHERE d.resolved_at >= m.lo AND d.resolved_at < m.hi AND d.tl = 'early'),
  COUNT(*) FILTER (WHERE d.resolved_at >= m.lo AND d.resolved_at < m.hi AND d.tl = 'on_time'),
  COUNT(*) FILTER (WHERE d.resolved_at >= m.lo AND d.resolved_at < m.hi AND d.tl = 'late'),
  COUNT(*) FILTER (WHERE d.received_at < m.hi AND (d.ended IS NULL OR d.ended >= m.hi)),
  COUNT(*) FILTER (WHERE d.received_at < m.hi AND (d.ended IS NULL OR d.ended >= m.hi) AND (d.due_at IS NULL OR d.due_at >= m.hi)),
  COUNT(*) FILTER (WHERE d.received_at < m.hi AND (d.ended IS NULL OR d.ended >= m.hi) AND d.due_at < m.hi),
  COUNT(*) FILTER (WHERE d.closed_at >= m.lo AND d.closed_at < m.hi AND d.status = 'refused'),
  COUNT(*) FILTER (WHERE d.closed_at >= m.lo AND d.closed_at < m.hi AND d.status = 'withdrawn')
FROM m CROSS JOIN d
GROUP BY m.month ORDER BY m.month
"""


def _line(name: str, rollup_ms: float, raw_ms: float, same: bool) -> str:
    target = TARGETS_MS[name]
    verdict = "OK" if rollup_ms < target else "OVER"
    return (
        f"{name:<22} roll-ups {rollup_ms:9.1f} ms (target < {target} ms: {verdict})   "
        f"raw SQL {raw_ms:9.1f} ms   raw/roll-ups {raw_ms / max(rollup_ms, 1e-6):7.1f}x   "
        f"same figures: {'yes' if same else 'NO'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=None, help="default: last year (a whole year)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from motcua.agencies.models import Agency
    from motcua.demo import generator
    from motcua.monitoring import rollup, selectors

    if connection.vendor != "postgresql":
        print("bench_monitoring: run it on PostgreSQL (scripts/with-postgres.sh)", file=sys.stderr)
        return 2
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    year = args.year or timezone.localdate().year - 1
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo-data", dossiers=0, stdout=io.StringIO())
    print(f"migrate + demo province: {time.perf_counter() - started:.1f} s")

    def progress(done: int, total: int) -> None:
        if done % 200_000 == 0 or done == total:
            print(f"  generated {done:,}/{total:,} ({time.perf_counter() - gen_started:.0f} s)", flush=True)

    gen_started = time.perf_counter()
    report = generator.generate(count=args.count, year=year, seed=args.seed, progress=progress, history=False)
    print(
        f"generate-dossiers: {report.dossiers:,} dossiers, {report.documents:,} documents, "
        f"{report.ratings:,} ratings in {report.seconds:.1f} s ({report.dossiers / report.seconds:,.0f}/s)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = rollup.rebuild()
    from motcua.monitoring.models import DossierCount

    print(
        f"roll-ups rebuilt in {built.seconds:.1f} s: {DossierCount.objects.filter(span='d').count():,} day rows, "
        f"{DossierCount.objects.filter(span='m').count():,} month rows"
    )

    now = timezone.now()
    first, last = date(year, 1, 1), date(year, 12, 31)
    lo = datetime(year, 1, 1, tzinfo=tz)
    hi = datetime(year + 1, 1, 1, tzinfo=tz)
    province = Agency.objects.get(code="H15")
    departments = Agency.objects.filter(kind="department", parent=province)
    counts = {
        a.code: sum(
            DossierCount.objects.filter(span="m", agency_id__in=selectors.scope(a)).values_list(
                "received", flat=True
            )
        )
        for a in departments
    }
    department = Agency.objects.get(code=max(counts, key=lambda c: counts[c]))

    def index_of(agency: Agency) -> Callable[[], dict[str, tuple[int, int]]]:
        def run() -> dict[str, tuple[int, int]]:
            whole, _units = selectors.service_index(agency, first, last, now=now)
            return {
                i.code: (i.numerator, i.denominator)
                for g in whole.result.groups
                for i in g.indicators
                if i.numerator is not None
            }

        return run

    lines = [
        f"MotCua monitoring benchmark — PostgreSQL, {report.dossiers:,} dossiers received in {year}, "
        f"median of {args.runs} runs after a warm-up"
    ]
    for name, agency in (("province_year_index", province), ("department_index", department)):
        rollup_ms, mine = _timed(index_of(agency), args.runs)
        raw_ms, theirs = _timed(lambda a=agency: raw_index(a.path, lo, hi, now), max(1, args.runs // 2))
        same = all(mine[k] == v for k, v in theirs.items())
        lines.append(
            _line(name, rollup_ms, raw_ms, same)
            + (f"   [{agency.code}]" if name == "department_index" else "")
        )

    def monthly() -> list[tuple[Any, ...]]:
        rows, _total = selectors.settlement_report(province, first, last, "month", now=now)
        return [tuple(r.values[c] for c in selectors.REPORT_COLUMNS) for r in rows]

    rollup_ms, mine_rows = _timed(monthly, args.runs)
    params = {
        "tz": "Asia/Ho_Chi_Minh",
        "first": f"{year}-01-01",
        "last": f"{year}-12-01",
        "path": province.path + "%",
    }
    raw_ms, raw_rows = _timed(lambda: _raw(RAW_MONTHLY, params), 1)  # type: ignore[arg-type]
    lines.append(_line("monthly_report", rollup_ms, raw_ms, [tuple(r[1:]) for r in raw_rows] == mine_rows))

    # Keeping the roll-ups current: nothing on intake (a watermark job); the job's own cost instead.
    # Everything here happens within seconds, so the job's look-back (rollup.OVERLAP, for late
    # commits) would re-read the whole generated history: it is set to 0 to measure one change.
    from datetime import timedelta

    overlap, rollup.OVERLAP = rollup.OVERLAP, timedelta(0)
    rollup.update()
    noop_ms, _r = _timed(rollup.ensure_current, args.runs)
    time.sleep(0.01)
    generator.generate(count=1000, year=year, seed=args.seed + 1, history=False)
    job_started = time.perf_counter()
    run = rollup.update()
    job_ms = (time.perf_counter() - job_started) * 1000
    intake_ms = _service_intake_ms(200)
    job_started = time.perf_counter()
    run_service = rollup.update()
    service_job_ms = (time.perf_counter() - job_started) * 1000
    rollup.OVERLAP = overlap
    lines.append(
        f"keeping current        intake pays nothing (watermark job, no hook in the services). "
        f"Job with nothing new: {noop_ms:.1f} ms; job after 1,000 new dossiers: {job_ms:.0f} ms ({run.dossiers} read)"
    )
    lines.append(
        f"                       intake of 200 counter dossiers through the service: {intake_ms:.1f} ms each; "
        f"the job that takes them in: {service_job_ms:.0f} ms ({run_service.dossiers} read) = "
        f"{service_job_ms / (intake_ms * 200) * 100:.2f} % of their intake time"
    )
    print("\n".join(lines))
    return 0


def _service_intake_ms(n: int) -> float:
    """Counter intake through ``create_dossier`` (receive at once), per dossier."""
    from motcua.accounts.models import User
    from motcua.dossiers import commands, services

    receiver = User.objects.get(username="tiepnhan")
    applicant = commands.Applicant(kind="individual", full_name="Nguyễn Văn An", id_number="066195012345")
    started = time.perf_counter()
    for _ in range(n):
        services.create_dossier(
            actor=receiver,
            procedure_code="1.000956",
            channel="counter",
            applicant=applicant,
            documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị")],
        )
    return (time.perf_counter() - started) * 1000 / n


if __name__ == "__main__":
    sys.exit(main())
