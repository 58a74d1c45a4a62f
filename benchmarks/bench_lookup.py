"""Public look-up (issue target: ≥ 800 requests/s, p99 < 50 ms, 16 clients, 2 cores).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_lookup [--duration 10] [--sweep 3x4,5x4]

An empty database of its own with 300 received dossiers, ``motcua serve`` on a loopback port, then 16
clients POST /api/v1/lookup {code, id_number} (10 % wrong pairs → 404) after a warm-up.

The look-up is rate-limited per client (motcua.core.throttling: one upsert on a counter row per
request, MOTCUA_LOOKUP_RATE, 30/min by default). Every client here is 127.0.0.1, so the benchmark
sets MOTCUA_LOOKUP_RATE to 1000000/s: the throttle still runs its full cost on every request (all
16 clients update one shared row — a worse case than real clients, who each have their own), it
just never says no. A second run with the
throttle switched off (benchmarks/settings_nothrottle.py) gives the throttle's own cost, and a third
run of unauthenticated ``GET /api/v1/dossiers`` (a 401 without any SQL) gives the ceiling of the stack
itself on this machine — HTTP server, middleware, DRF and the load generator, nothing of ours.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks.common import CLIENTS, Result, Server, combos, load, log, prepare, scratch_database

TARGET_RATE, TARGET_P99 = 800.0, 50.0
DOSSIERS = 300
LOOKUP_RATE = "1000000/s"
# (scenario, throttle on) → the line's name and what its setup says of the throttle.
RUNS = {
    ("lookup", True): ("lookup", f"throttle on: MOTCUA_LOOKUP_RATE={LOOKUP_RATE}"),
    ("lookup", False): ("lookup without throttle (reference, not the target)", "throttle off"),
    ("floor", True): (
        "ceiling: unauthenticated GET /api/v1/dossiers, a 401 without SQL (reference)",
        "no throttle on this endpoint",
    ),
}


def run(
    workers: int,
    threads: int,
    duration: float,
    max_requests: int,
    warmup: float,
    throttle: bool,
    scenario: str = "lookup",
) -> Result:
    extra = {"MOTCUA_LOOKUP_RATE": LOOKUP_RATE}
    if not throttle:
        extra["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings_nothrottle"
    name, throttling = RUNS[scenario, throttle]
    dossiers = DOSSIERS if scenario == "lookup" else 0  # the ceiling's 401 reads none
    with scratch_database("lookup", extra) as db:
        log(f"lookup: preparing {db.label} with {dossiers} received dossiers …")
        data = prepare(db, receivers=2, dossiers=dossiers)
        with Server(db.env, workers=workers, threads=threads, log_path=db.tmp / "server.log") as server:
            log(f"lookup: motcua serve --workers {workers} --threads {threads} on port {server.port}")
            return load(
                server.port,
                scenario=scenario,
                clients=CLIENTS,
                duration=duration,
                max_requests=max_requests,
                warmup_seconds=warmup,
                params={"dossiers": data["dossiers"], "miss_ratio": 0.1},
                name=name,
                setup=f"{workers} workers × {threads} threads, {db.label}, {throttling}",
            )


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_lookup", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds (default 10)")
    parser.add_argument(
        "--max-requests", type=int, default=20000, help="measured requests at most (default 20000)"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds, not measured (default 2)")
    parser.add_argument("--sweep", default=None, help="workers×threads to try, e.g. 3x4,5x4 (default: 3x4)")
    parser.add_argument("--no-throttle-run", action="store_true", help="skip the run without the throttle")
    parser.add_argument("--no-ceiling-run", action="store_true", help="skip the run of the stack's ceiling")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    lines = []
    for workers, threads in combos(args.sweep):
        with_throttle = run(workers, threads, args.duration, args.max_requests, args.warmup, throttle=True)
        lines.append(with_throttle.line("requests/s", TARGET_RATE, TARGET_P99))
        print(lines[-1], flush=True)
        if args.no_throttle_run:
            continue
        without = run(workers, threads, args.duration, args.max_requests, args.warmup, throttle=False)
        lines.append(without.line("requests/s", TARGET_RATE, TARGET_P99))
        print(lines[-1], flush=True)
        share = 1 - with_throttle.rate / without.rate if without.rate else 0.0
        lines.append(
            f"lookup throttle cost: {without.rate - with_throttle.rate:.0f} requests/s fewer ({share:.0%}), "
            f"p50 {with_throttle.percentile(50) - without.percentile(50):+.1f} ms, "
            f"p99 {with_throttle.percentile(99) - without.percentile(99):+.1f} ms with the throttle on"
        )
        print(lines[-1], flush=True)
    if not args.no_ceiling_run:
        workers, threads = combos(args.sweep)[0]
        ceiling = run(workers, threads, args.duration, args.max_requests, args.warmup, True, scenario="floor")
        lines.append(ceiling.line("requests/s", TARGET_RATE, TARGET_P99))
        print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":
    main()
