"""Counter intake on a durable PostgreSQL beside the non-durable one the other benchmarks use (issue
16: "a benchmark with PostgreSQL durable (fsync=on, synchronous_commit=on) beside the current
non-durable one, so the figures say what a real deployment gets").

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_durable [--pairs 5] [--duration 5]

The non-durable PostgreSQL is the one ``scripts/with-postgres.sh`` started (MOTCUA_DATABASE_URL);
this starts a second, durable one the same way (``MOTCUA_PG_DURABLE=1``: PostgreSQL's defaults).
Each gets a database and a ``motcua serve`` of its own, prepared alike; the same intake run (16
desks of one agency, as bench_intake) goes to one then the other, A B, B A, …; the figures are the
medians over the pairs of B/A for throughput and for p99.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import statistics
import subprocess
from collections.abc import Iterator

from benchmarks.common import (
    CLIENTS,
    PROCEDURE,
    REPO,
    Result,
    Server,
    is_postgresql,
    load,
    log,
    prepare,
    scratch_database,
)


@contextlib.contextmanager
def durable_postgres() -> Iterator[str]:
    """A second throwaway PostgreSQL with fsync and synchronous_commit on; its URL."""
    proc = subprocess.Popen(  # noqa: S603 — our own script
        [
            str(REPO / "scripts/with-postgres.sh"),
            "bash",
            "-c",
            'echo "URL $MOTCUA_DATABASE_URL"; exec sleep 86400',
        ],
        cwd=REPO,
        env=os.environ | {"MOTCUA_PG_DURABLE": "1"},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None  # noqa: S101 — asked for above
        for text in proc.stdout:
            found = re.match(r"URL (\S+)", text)
            if found:
                yield found.group(1)
                break
        else:
            raise RuntimeError("the durable PostgreSQL did not start")
    finally:
        # The script's trap stops its cluster when its command ends: end the sleep, not the script.
        subprocess.run(["/usr/bin/pkill", "-P", str(proc.pid), "sleep"], check=False)  # noqa: S603 — fixed arguments
        proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_durable", description=__doc__)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds of each run")
    args = parser.parse_args(argv)
    fast_url = os.environ.get("MOTCUA_DATABASE_URL", "")
    if not is_postgresql(fast_url):
        line = "durable: needs PostgreSQL (run under scripts/with-postgres.sh) — not run"
        print(line, flush=True)
        return [line]
    with contextlib.ExitStack() as stack:
        durable_url = stack.enter_context(durable_postgres())
        sides = {}
        for side, url in (("A", fast_url), ("B", durable_url)):
            os.environ["MOTCUA_DATABASE_URL"] = url
            db = stack.enter_context(scratch_database(f"durable{side.lower()}"))
            data = prepare(db, receivers=CLIENTS)
            server = stack.enter_context(Server(db.env, workers=3, threads=4, log_path=db.tmp / "server.log"))
            sides[side] = (server, data)
        os.environ["MOTCUA_DATABASE_URL"] = fast_url
        log(
            f"durable: A = fsync off (the tests' PostgreSQL), B = fsync and synchronous_commit on; {args.pairs} pairs"
        )

        def run(side: str) -> Result:
            server, data = sides[side]
            return load(
                server.port,
                scenario="intake",
                clients=CLIENTS,
                duration=args.duration,
                max_requests=100_000,
                warmup_seconds=1.0,
                params={"tokens": data["tokens"], "procedure": PROCEDURE, "run": secrets.token_hex(4)},
                name=f"intake {side}",
                setup="",
            )

        rate, p99, rows = [], [], []
        for pair in range(args.pairs):
            order = ("A", "B") if pair % 2 == 0 else ("B", "A")
            got = {side: run(side) for side in order}
            a, b = got["A"], got["B"]
            if a.errors or b.errors or set(a.statuses) | set(b.statuses) != {"201"}:
                raise RuntimeError(f"intake failed: A {a.statuses}, B {b.statuses}")
            rate.append(b.rate / a.rate)
            p99.append(b.percentile(99) / a.percentile(99))
            row = (
                f"  pair {pair + 1} ({' '.join(order)}): A {a.rate:.0f}/s p99 {a.percentile(99):.0f} ms, "
                f"B {b.rate:.0f}/s p99 {b.percentile(99):.0f} ms"
            )
            log(row)
            rows.append(row)
    line = (
        f"durable: counter intake on a durable PostgreSQL / the non-durable one: throughput "
        f"×{statistics.median(rate):.3f} (spread ×{min(rate):.3f}–×{max(rate):.3f}), p99 ×{statistics.median(p99):.3f} "
        f"(spread ×{min(p99):.3f}–×{max(p99):.3f}), median of {len(rate)} pairs, 16 desks [3 workers × 4 threads]"
    )
    print(line, flush=True)
    return [*rows, line]


if __name__ == "__main__":
    main()
