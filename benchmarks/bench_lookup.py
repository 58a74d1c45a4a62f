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
import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator

from benchmarks.common import (
    CLIENTS,
    HOST,
    Result,
    Server,
    combos,
    free_port,
    load,
    log,
    prepare,
    scratch_database,
)

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


TARGET_RATE_RATIO, TARGET_P99_RATIO = 0.75, 1.5


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Debian's redis-server on a free loopback port, nothing persisted (rate-limit counts only)."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin")
    if binary is None:
        raise RuntimeError(
            "redis-server is not installed: .ci/run installs it (apt-get install redis-server)"
        )
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 — Debian's redis-server, our arguments
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://{HOST}:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def ratios(workers: int, threads: int, duration: float, pairs: int, redis: bool = False) -> list[str]:
    """Issue 16's restatement: the look-up (throttle on) against the stack's own ceiling, on ONE
    server, in short runs interleaved A B, B A, …: throughput ≥ 0.75 × the ceiling's, p99 ≤ 1.5 ×.
    With ``redis`` the rate limit counts in Redis (MOTCUA_REDIS_URL, as several servers would), not
    in the database's counter row."""
    with contextlib.ExitStack() as stack:
        extra = {"MOTCUA_LOOKUP_RATE": LOOKUP_RATE}
        if redis:
            extra["MOTCUA_REDIS_URL"] = stack.enter_context(redis_server())
        return _ratios(
            workers,
            threads,
            duration,
            pairs,
            extra,
            "Redis counts the rate limit" if redis else "the database counts the rate limit",
        )


def _ratios(
    workers: int, threads: int, duration: float, pairs: int, extra: dict[str, str], counting: str
) -> list[str]:
    with scratch_database("lookupratio", extra) as db:
        data = prepare(db, receivers=2, dossiers=DOSSIERS)
        with Server(db.env, workers=workers, threads=threads, log_path=db.tmp / "server.log") as server:

            def measure(scenario: str) -> Result:
                return load(
                    server.port,
                    scenario=scenario,
                    clients=CLIENTS,
                    duration=duration,
                    max_requests=100_000,
                    warmup_seconds=1.0,
                    params={"dossiers": data["dossiers"], "miss_ratio": 0.1},
                    name=scenario,
                    setup="",
                )

            rate, p99, lines = [], [], []
            for pair in range(pairs):
                order = ("floor", "lookup") if pair % 2 == 0 else ("lookup", "floor")
                got = {scenario: measure(scenario) for scenario in order}
                ceiling, lookup = got["floor"], got["lookup"]
                rate.append(lookup.rate / ceiling.rate)
                p99.append(lookup.percentile(99) / ceiling.percentile(99))
                lines.append(
                    f"  pair {pair + 1}: ceiling {ceiling.rate:.0f}/s p99 {ceiling.percentile(99):.0f} ms, "
                    f"look-up {lookup.rate:.0f}/s p99 {lookup.percentile(99):.0f} ms"
                )
                log(lines[-1])
    r, q = statistics.median(rate), statistics.median(p99)
    verdict = "PASS" if r >= TARGET_RATE_RATIO and q <= TARGET_P99_RATIO else "FAIL"
    lines.append(
        f"lookup / ceiling, one server, {pairs} pairs: throughput ×{r:.3f} (spread ×{min(rate):.3f}–×{max(rate):.3f}; "
        f"target ≥ ×{TARGET_RATE_RATIO}), p99 ×{q:.3f} (spread ×{min(p99):.3f}–×{max(p99):.3f}; target ≤ ×{TARGET_P99_RATIO}) "
        f"— {verdict} [{workers} workers × {threads} threads, {db.label}, {counting}]"
    )
    print(lines[-1], flush=True)
    return lines


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
    parser.add_argument(
        "--pairs", type=int, default=5, help="A B pairs of the ratio to the ceiling (0: none)"
    )
    parser.add_argument(
        "--counting",
        default="database,redis",
        help="where the ratio's rate limit counts, one set of pairs each (default database,redis)",
    )
    parser.add_argument("--only-ratio", action="store_true", help="only the ratio to the ceiling")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    lines: list[str] = []
    if args.only_ratio:
        args.no_ceiling_run = True
    for workers, threads in combos(args.sweep) if not args.only_ratio else []:
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
    if args.pairs:
        workers, threads = combos(args.sweep)[0]
        for counting in args.counting.split(","):
            lines += ratios(
                workers, threads, min(args.duration, 5.0), args.pairs, redis=counting.strip() == "redis"
            )
    return lines


if __name__ == "__main__":
    main()
