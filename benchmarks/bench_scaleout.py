"""Three app servers behind nginx against one (issue 16: "throughput ≥ 0.9 × that of one server per
core given (on this 2-core machine, show that nothing serialises: no shared lock, the code counter
row held only for the two statements that need it)").

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_scaleout [--pairs 5] [--duration 5]

One database, prepared as bench_intake's (16 receivers of ONE agency: every dossier takes the same
daily counter row, the worst case for serialising). Three ``motcua serve`` of one process each
(one Python process uses one core at most), and two nginx from Debian in front, as in the cluster
test (tests/cluster.py's configuration): one sends to the first server only (A), the other spreads
over all three (B; ``--servers N`` for another number). The same 16-desk counter intake goes to A, then B, then B, A, …

Per run: dossiers a second, the cores the stack kept busy (the CPU seconds of the app servers,
nginx, PostgreSQL and the load generator, from /proc, over the run's wall time: they all share the
machine's cores, and so do other people's jobs, which are not counted), and how often a PostgreSQL backend was seen
waiting on a lock (pg_stat_activity, sampled every 20 ms). The figure is the median over the pairs
of B's throughput per busy core over A's: ≥ 0.9 means the work spread over three servers costs no
more per dossier. B's busy cores against the machine's say whether it used the cores it was given
(a lock that serialised would leave them idle); the lock samples say how often anyone waited.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    CLIENTS,
    HOST,
    PROCEDURE,
    Server,
    free_port,
    is_postgresql,
    load,
    log,
    postmaster_pid,
    prepare,
    scratch_database,
    tree_cpu,
)

TARGET_RATIO = 0.9


@dataclass
class Stack:
    """The processes a run's CPU is counted over: not the whole machine, which others share."""

    sessions: list[int]  # the app servers' and the nginxes' process groups
    postmaster: int

    def cpu(self) -> float:
        """CPU seconds so far: servers, nginx, PostgreSQL, and this process's reaped children (each
        run's load generator, once it has exited)."""
        children = os.times()
        return (
            sum(tree_cpu(session=s) for s in self.sessions)
            + tree_cpu(parent=self.postmaster)
            + children.children_user
            + children.children_system
        )


@contextlib.contextmanager
def nginx(ports: list[int], folder: Path) -> Iterator[tuple[int, int]]:
    """nginx from Debian in front of ``ports``, with the cluster test's configuration; its port."""
    from tests.cluster import binaries, nginx_conf

    folder.mkdir(parents=True)
    (folder / "nginx-tmp").mkdir()
    port = free_port()
    (folder / "nginx.conf").write_text(nginx_conf(folder, port, ports, access_log=False))
    proc = subprocess.Popen(  # noqa: S603 — Debian's nginx with our configuration
        [binaries()["nginx"], "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "nginx.log").open("ab"),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"nginx did not start: {(folder / 'nginx.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()


class LockWatch:
    """Samples pg_stat_activity every 20 ms in a thread: how many samples saw a backend waiting on
    a lock (heavyweight: a row, a transaction id, a relation)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.samples = self.waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            row = self.conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()
            self.samples += 1
            self.waiting += 1 if row and row[0] else 0

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.conn.close()


@dataclass
class Run:
    rate: float
    busy: float  # cores the stack kept busy, on average (its CPU seconds over the run's wall time)
    lock_share: float  # share of samples in which a backend waited on a lock
    p99: float

    @property
    def per_core(self) -> float:
        return self.rate / self.busy if self.busy else 0.0


def measure(port: int, tokens: list[str], url: str, duration: float, stack: Stack) -> Run:
    cpu0, wall0 = stack.cpu(), time.monotonic()
    with LockWatch(url) as watch:
        result = load(
            port,
            scenario="intake",
            clients=CLIENTS,
            duration=duration,
            max_requests=100_000,
            warmup_seconds=0.5,
            params={"tokens": tokens, "procedure": PROCEDURE, "run": secrets.token_hex(4)},
            name="intake",
            setup="",
        )
    busy = (stack.cpu() - cpu0) / (time.monotonic() - wall0)
    if result.errors or set(result.statuses) != {"201"}:
        raise RuntimeError(f"intake through nginx: HTTP {result.statuses}, {result.errors} transport errors")
    # The whole run, warm-up and the load generator's start included, against its wall time.
    return Run(result.rate, busy, watch.waiting / max(1, watch.samples), result.percentile(99))


def run(pairs: int, duration: float, threads: int, count: int = 3) -> list[str]:
    with scratch_database("scaleout") as db:
        if not is_postgresql(db.url):
            return ["three servers / one behind nginx: needs PostgreSQL (scripts/with-postgres.sh), not run"]
        log(f"scale-out: preparing {db.label} …")
        data = prepare(db, receivers=CLIENTS)
        with contextlib.ExitStack() as stack:
            servers = [
                stack.enter_context(
                    Server(db.env, workers=1, threads=threads, log_path=db.tmp / f"server{i}.log")
                )
                for i in range(count)
            ]
            one, one_pid = stack.enter_context(nginx([servers[0].port], db.tmp / "nginx-one"))
            three, three_pid = stack.enter_context(nginx([s.port for s in servers], db.tmp / "nginx-three"))
            counted = Stack([s.proc.pid for s in servers] + [one_pid, three_pid], postmaster_pid(db.url))
            for port in (three, one):  # warm every server's worker
                measure(port, data["tokens"], db.url, 2, counted)
            ratio, lines = [], []
            for pair in range(pairs):
                got = {}
                for side in ("A", "B") if pair % 2 == 0 else ("B", "A"):
                    got[side] = measure(
                        one if side == "A" else three, data["tokens"], db.url, duration, counted
                    )
                a, b = got["A"], got["B"]
                ratio.append(b.per_core / a.per_core)
                lines.append(
                    f"  pair {pair + 1}: one server {a.rate:.0f} dossiers/s on {a.busy:.2f} busy cores "
                    f"({a.per_core:.0f}/core, p99 {a.p99:.0f} ms, lock waits in {a.lock_share:.1%} of samples); "
                    f"{count} servers {b.rate:.0f}/s on {b.busy:.2f} ({b.per_core:.0f}/core, p99 {b.p99:.0f} ms, "
                    f"lock waits {b.lock_share:.1%}): ×{ratio[-1]:.3f}"
                )
                log(lines[-1])
                last = got
    r = statistics.median(ratio)
    cores = os.cpu_count() or 1
    verdict = "PASS" if r >= TARGET_RATIO else "FAIL"
    a, b = last["A"], last["B"]
    lines.append(
        f"{count} servers / one behind nginx, throughput per busy core, {pairs} pairs: ×{r:.3f} "
        f"(spread ×{min(ratio):.3f}–×{max(ratio):.3f}; target ≥ ×{TARGET_RATIO}) — {verdict} "
        f"[last pair: one server {a.rate:.0f}/s on {a.busy:.2f} of {cores} cores, {count} servers {b.rate:.0f}/s on "
        f"{b.busy:.2f}; lock waits {a.lock_share:.1%} / {b.lock_share:.1%} of samples; 1 worker × {threads} "
        f"threads each, {db.label}]"
    )
    print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scaleout", description=__doc__)
    parser.add_argument("--pairs", type=int, default=5, help="A B pairs (default 5)")
    parser.add_argument(
        "--duration", type=float, default=5.0, help="measured seconds of each run (default 5)"
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads of each server's one worker (default 4)"
    )
    parser.add_argument("--servers", type=int, default=3, help="app servers behind B's nginx (default 3)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return [
        line
        for line in run(args.pairs, args.duration, args.threads, args.servers)
        if not line.startswith("  ")
    ]


if __name__ == "__main__":
    main()
