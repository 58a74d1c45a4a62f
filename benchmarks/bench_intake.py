"""Counter intake over HTTP (issue target: ≥ 200 dossiers/s, p99 < 150 ms, 16 clients, 2 cores).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_intake [--duration 10] [--sweep 2x4,3x4,5x4]

An empty database of its own (migrate, a province, one-stop centre, department, procedure, 16
receivers at the centre with a Bearer token each), ``motcua serve`` on a loopback port, then 16
clients — 16 receivers of ONE agency, the worst case for the daily counter — POST counter dossiers
(two documents each, an Idempotency-Key each) after a warm-up. Afterwards every created dossier is
checked: one per 201, distinct codes, serials exactly 1..n for the day.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections import defaultdict

from benchmarks.common import (
    CENTRE,
    CLIENTS,
    PROCEDURE,
    Result,
    Server,
    combos,
    load,
    log,
    prepare,
    query,
    scratch_database,
)

TARGET_RATE, TARGET_P99 = 200.0, 150.0


def check_codes(rows: list[tuple[str, int]], acknowledged: int) -> str:
    """Every dossier received, codes distinct and consecutive per day; returns a one-line verdict."""
    codes = [code for code, _n in rows]
    problems = []
    if len(codes) != len(set(codes)):
        problems.append("duplicate codes")
    by_day: dict[str, list[int]] = defaultdict(list)
    for code in codes:
        agency, day, serial = code.rsplit("-", 2)
        if agency != CENTRE:
            problems.append(f"foreign code {code}")
        by_day[day].append(int(serial))
    for day, serials in by_day.items():
        if sorted(serials) != list(range(1, len(serials) + 1)):
            problems.append(f"serials of {day} not 1..{len(serials)}")
    if any(n != 2 for _code, n in rows):
        problems.append("a dossier without its two documents")
    if len(codes) < acknowledged:
        problems.append(f"{acknowledged} acknowledged but {len(codes)} stored")
    verdict = "; ".join(problems) or "OK"
    return f"intake check: {len(codes)} dossiers, {len(by_day)} day(s), codes distinct and consecutive: {verdict}"


def run(workers: int, threads: int, duration: float, max_requests: int, warmup: float) -> tuple[Result, str]:
    with scratch_database("intake") as db:
        log(f"intake: preparing {db.label} …")
        data = prepare(db, receivers=CLIENTS)
        with Server(db.env, workers=workers, threads=threads, log_path=db.tmp / "server.log") as server:
            log(f"intake: motcua serve --workers {workers} --threads {threads} on port {server.port}")
            result = load(
                server.port,
                scenario="intake",
                clients=CLIENTS,
                duration=duration,
                max_requests=max_requests,
                warmup_seconds=warmup,
                params={"tokens": data["tokens"], "procedure": PROCEDURE, "run": secrets.token_hex(4)},
                name="intake",
                setup=f"{workers} workers × {threads} threads, {db.label}",
            )
        rows = query(
            db,
            "SELECT d.code, (SELECT COUNT(*) FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id) "
            "FROM dossiers_dossier d WHERE d.status = 'received'",
        )
        total = query(db, "SELECT COUNT(*) FROM dossiers_dossier")[0][0]
        verdict = check_codes([(str(c), int(n)) for c, n in rows], result.statuses.get("201", 0))
        if total != len(rows):
            verdict += f"; {total - len(rows)} dossiers not received"
        measured = {b["code"] for b in result.bodies}
        if len(measured) != len(result.bodies):
            verdict += "; two 201s with one code"
        return result, verdict


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_intake", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds (default 10)")
    parser.add_argument(
        "--max-requests", type=int, default=3000, help="measured requests at most (default 3000)"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds, not measured (default 2)")
    parser.add_argument(
        "--sweep", default=None, help="workers×threads to try, e.g. 2x4,3x4,5x4 (default: 3x4)"
    )
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    lines = []
    for workers, threads in combos(args.sweep):
        result, verdict = run(workers, threads, args.duration, args.max_requests, args.warmup)
        lines += [result.line("dossiers/s", TARGET_RATE, TARGET_P99), verdict]
        for line in lines[-2:]:
            print(line, flush=True)
    return lines


if __name__ == "__main__":
    main()
