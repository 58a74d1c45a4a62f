"""``make bench``: scripts/with-postgres.sh .venv/bin/python -m benchmarks [options]

Runs the intake, look-up, dashboard and printed-forms benchmarks (each on a database of its own,
against the real server on loopback) and the import benchmark (benchmarks/bench_import.py) when it
exists, then prints a summary. Options are passed on to each (--duration, --warmup, --sweep 2x4,3x4 …);
``--only intake,intakesql,scaleout,lookup,dashboard,forms,population,warehouse,notify,signing,sync,catchup,durable,import``
picks some.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time

from benchmarks import bench_dashboard, bench_forms, bench_intake, bench_lookup
from benchmarks.common import is_postgresql


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__, add_help=False)
    parser.add_argument(
        "--only",
        default="intake,intakesql,scaleout,lookup,dashboard,forms,population,warehouse,notify,signing,sync,"
        "catchup,durable,import",
    )
    args, rest = parser.parse_known_args()
    only = {x.strip() for x in args.only.split(",")}
    if not is_postgresql(os.environ.get("MOTCUA_DATABASE_URL", "")):
        print("warning: MOTCUA_DATABASE_URL is not PostgreSQL; the targets are for PostgreSQL "
              "(run: scripts/with-postgres.sh .venv/bin/python -m benchmarks)", flush=True)  # fmt: skip
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (figures assume a quiet machine)"
    )
    summary: list[str] = []
    started = time.monotonic()
    if "intake" in only:
        summary += bench_intake.main(rest)
    if "intakesql" in only:  # issue 16's ratios: their own defaults (pairs, short runs)
        from benchmarks import bench_intake_sql

        summary += bench_intake_sql.main([])
    if "scaleout" in only:
        from benchmarks import bench_scaleout

        summary += bench_scaleout.main([])
    if "lookup" in only:
        summary += bench_lookup.main(rest)
    if "dashboard" in only:
        summary += bench_dashboard.main(rest)
    if "forms" in only:
        summary += bench_forms.main(rest)
    if "population" in only:  # their own defaults: the shared options above are for the server benchmarks
        from benchmarks import bench_population

        summary += bench_population.main([])
    if "warehouse" in only:
        from benchmarks import bench_warehouse

        summary += bench_warehouse.main([])
    if "notify" in only:
        from benchmarks import bench_notify

        summary += bench_notify.main([])
    if "signing" in only:
        from benchmarks import bench_signing

        summary += bench_signing.main([])
    if "sync" in only:
        from benchmarks import bench_sync

        summary += bench_sync.main([])
    if "catchup" in only:
        from benchmarks import bench_catchup

        summary += bench_catchup.main([])
    if "durable" in only:
        from benchmarks import bench_durable

        summary += bench_durable.main([])
    if "import" in only:
        if importlib.util.find_spec("benchmarks.bench_import") is None:
            summary.append("import: benchmarks/bench_import.py not present, skipped")
        else:
            from benchmarks import bench_import  # in-process: it sets Django up itself, so it runs last

            try:
                rate = bench_import.main(rest)
            except SystemExit as exc:
                summary.append(f"import: FAIL ({exc})")
            else:
                target = getattr(bench_import, "TARGET", 0)
                verdict = "PASS" if rate >= target else "FAIL"
                summary.append(f"import: {rate:.0f} dossiers/s (target ≥ {target}) {verdict}")
    print(f"\n=== summary ({time.monotonic() - started:.0f} s) ===")
    for line in summary:
        print(line)
    failed = [
        line
        for line in summary
        if ("FAIL" in line and "reference" not in line) or ("check:" in line and not line.endswith("OK"))
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
