"""The portal's backlog catching up beside the desks (issue 13: after a 1-hour outage of the national
portal, the catch-up must not raise intake latency by more than 10 %).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_catchup [--pairs 5] [--nice 10]

A database of its own holds a backlog for the portal (``--dossiers`` dossiers with six status
changes each, as in bench_sync: more than an hour of a province's day), ``motcua serve`` and the
stand-ins run, and desks file counter dossiers at a steady pace (``--clients`` closed-loop clients,
not a saturating crowd). One ``motcua worker`` runs throughout, as in life; the same short intake
run is measured with the backlog held back (A: the portal still away) and let go (B: the worker
catching up), A B, B A, …; the figure is the median over the pairs of B's median latency over A's,
with the spread. PostgreSQL only. The stand-ins run at niceness 19: in life
the portal is another machine. ``--nice`` runs the worker at that niceness,
as a systemd unit's ``Nice=`` would (0: as the app).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time

from benchmarks.bench_sync import LOAD
from benchmarks.common import (
    CLIENTS,
    PROCEDURE,
    REPO,
    Database,
    Server,
    django_json,
    load,
    log,
    prepare,
    query,
    scratch_database,
)

TARGET_RATIO = 1.10


def execute(db: Database, sql: str) -> None:
    import psycopg

    with psycopg.connect(db.url) as conn:
        conn.execute(sql)


def delivered(db: Database) -> int:
    return int(query(db, "SELECT COUNT(*) FROM outbox_outboxmessage WHERE state = 'delivered'")[0][0])


def start_worker(env: dict[str, str], nice: int, log_path: os.PathLike[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "motcua.cli", "worker"]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    with open(log_path, "ab") as out:
        return subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_catchup", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=6000, help="dossiers in the backlog (default 6000)")
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs (default 5)")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds of each run")
    parser.add_argument("--clients", type=int, default=2, help="desks filing at once (default 2)")
    parser.add_argument("--nice", type=int, default=10, help="the worker's niceness (default 10; 0: none)")
    parser.add_argument(
        "--duty", type=float, default=0.25, help="the worker's MOTCUA_OUTBOX_DUTY (default 0.25; 1: flat out)"
    )
    args = parser.parse_args(argv)
    from motcua.standins.process import running

    # The stand-ins play the national portal, a remote system: at the lowest priority, so that the CPU
    # they take on this machine is not charged to MotCua's catch-up.
    with scratch_database("catchup") as db, running(nice=19) as standins:
        data = prepare(db, receivers=CLIENTS)
        env = db.env | {"MOTCUA_STANDINS_URL": standins}
        backlog = django_json(env, f"DOSSIERS = {args.dossiers}\n" + LOAD, timeout=1200)["messages"]
        log(f"catch-up: {db.label}: a backlog of {backlog} portal messages for {args.dossiers} dossiers")
        ratios: list[float] = []
        rates: list[float] = []
        rows: list[str] = []
        with Server(env, workers=2, threads=4, log_path=db.tmp / "server.log") as server:

            def intake(label: str) -> float:
                result = load(
                    server.port,
                    scenario="intake",
                    clients=args.clients,
                    duration=args.duration,
                    max_requests=100_000,
                    warmup_seconds=0.5,
                    params={"tokens": data["tokens"], "procedure": PROCEDURE, "run": secrets.token_hex(4)},
                    name=label,
                    setup="",
                )
                if result.errors or set(result.statuses) != {"201"}:
                    raise RuntimeError(f"intake failed: {result.statuses}, {result.errors} errors")
                return result.percentile(50)

            # One worker throughout, as in life (its roll-ups and periodic jobs run on both sides);
            # what differs is only the backlog: held back (A, the portal away) or let go (B, the
            # catch-up). The desks' own new dossiers are synced in real time on both sides.
            backlog_ids = int(query(db, "SELECT MAX(id) FROM outbox_outboxmessage")[0][0])
            hold = "UPDATE outbox_outboxmessage SET next_attempt_at = {when} WHERE id <= %d AND state = 'pending'"
            hold = hold.replace("%d", str(backlog_ids))
            execute(db, hold.format(when="now() + interval '1 day'"))
            batch = "100" if args.duty >= 1 else "25"  # with rests: short work, short rests
            worker_env = env | {"MOTCUA_OUTBOX_DUTY": str(args.duty), "MOTCUA_OUTBOX_BATCH": batch}
            worker = start_worker(worker_env, args.nice, db.tmp / "worker.log")
            try:
                time.sleep(15)  # its start-up and first round of periodic jobs, on neither side
                for pair in range(args.pairs):
                    sides = ("A", "B") if pair % 2 == 0 else ("B", "A")
                    p50: dict[str, float] = {}
                    for side in sides:
                        when = "now() + interval '1 day'" if side == "A" else "now()"
                        execute(db, hold.format(when=when))
                        before, started = delivered(db), time.monotonic()
                        p50[side] = intake(side)
                        if side == "B":
                            drained = delivered(db) - before
                            rates.append(drained / (time.monotonic() - started))
                    if drained <= 0:
                        tail = (db.tmp / "worker.log").read_text(errors="replace")[-3000:]
                        raise RuntimeError(
                            f"the worker delivered nothing during the catch-up; its log:\n{tail}"
                        )
                    ratios.append(p50["B"] / p50["A"])
                    row = (
                        f"  pair {pair + 1} ({' '.join(sides)}): intake p50 {p50['A']:.1f} ms without the catch-up, "
                        f"{p50['B']:.1f} ms beside it ({drained} messages closed meanwhile): ×{ratios[-1]:.3f}"
                    )
                    log(row)
                    rows.append(row)
            finally:
                stop(worker)
    median = statistics.median(ratios)
    verdict = "PASS" if median <= TARGET_RATIO else "FAIL"
    line = (
        f"catch-up: intake p50 beside the portal's catch-up / alone = ×{median:.3f} median of {len(ratios)} "
        f"pairs (spread ×{min(ratios):.3f}–×{max(ratios):.3f}; target ≤ ×{TARGET_RATIO:.2f}) — {verdict} "
        f"[{args.clients} desks, worker nice {args.nice}, MOTCUA_OUTBOX_DUTY {args.duty}: the backlog drained "
        f"at {statistics.median(rates):.0f} messages/s meanwhile, {db.label}]"
    )
    print(line, flush=True)
    return [*rows, line]


if __name__ == "__main__":
    main()
