"""Notifications (issue 12): the worker's throughput to the SMS stand-in, and what writing the
outbox adds to an action.

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_notify [--messages 10000] [--pairs 10] [--actions 30]

An empty database of its own (``scratch_database``) and ``motcua standins`` on a loopback port; the
measuring runs in a child process pointed at both (``MOTCUA_STANDINS_URL``: SMS, Zalo and the SMTP
sink on).

1. Throughput (target ≥ 200 notifications/s, the whole backlog in < 60 s): ``--messages`` SMS
   outbox messages, four per dossier stream as an action's would be, are drained by one worker
   (``outbox.delivery.drain``, as ``motcua worker`` calls it) to the SMS stand-in. Prints
   notifications/s and checks that the stand-in received every one once.
2. The cost of the hook (target < 10 %): ``request_supplement`` on received counter dossiers whose
   applicant has a phone and an e-mail (so three outbox rows: SMS, Zalo, e-mail), timed one by one
   in short runs interleaved A B B A A B …: A with the outbox hooks (notifications and the portal's
   sync: four rows), B with both replaced by no-ops.
   The figure is the median of the per-pair ratios A/B − 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

from benchmarks.common import REPO, log, prepare, scratch_database

TARGET_RATE = 200.0
TARGET_SECONDS = 60.0
TARGET_COST = 0.10


def child(args: argparse.Namespace) -> dict[str, float]:
    """Runs inside the benchmark's database, with the stand-ins set."""
    import django

    django.setup()
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.dossiers import commands, services
    from motcua.outbox import delivery
    from motcua.outbox.models import OutboxMessage, State

    # 1. the backlog
    now = timezone.now()
    rows = [
        OutboxMessage(
            target="sms",
            key=f"notify:{n // 4}:{n}:sms",
            stream=f"notify:{n // 4}:sms",
            event="received",
            payload={
                "to": f"849{n:08d}",
                "event": "received",
                "params": {"code": f"H15.TTPV-261202-{n:04d}", "due_date": "07/12/2026"},
                "agency": "H15.TTPV",
            },
            created_at=now,
            next_attempt_at=now,
        )
        for n in range(args.messages)
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=2000)
    started = time.perf_counter()
    passes = 0
    while OutboxMessage.objects.filter(state=State.PENDING).exists():
        delivery.drain(budget_seconds=TARGET_SECONDS * 3)
        passes += 1
        if time.perf_counter() - started > TARGET_SECONDS * 5:
            break
    seconds = time.perf_counter() - started
    delivered = OutboxMessage.objects.filter(state=State.DELIVERED).count()
    OutboxMessage.objects.all().delete()

    # 2. the hook's cost
    desk = User.objects.get(username="tiepnhan0")
    total = args.pairs * 2 * (args.actions + 3)
    dossiers = []
    for i in range(total):
        d, _new = services.create_dossier(
            actor=desk,
            procedure_code="1.000956",
            channel="counter",
            applicant=commands.Applicant(
                kind="individual",
                full_name=f"Lê Thị {i}",
                id_number=f"066185{700000 + i:06d}",
                phone=f"0912{i:06d}",
                email=f"cd{i}@example.vn",
            ),
            documents=[commands.DocumentIn("GDN", "Giấy đề nghị"), commands.DocumentIn("DL", "Điều lệ")],
        )
        dossiers.append(d.id)
    ask = commands.RequestSupplement(items=["Điều lệ có chữ ký"], reason="Thiếu chữ ký")
    hook, portal_hook = services.notifications, services.national_portal

    class Off:
        @staticmethod
        def messages(dossier: object, event: object) -> list[object]:
            return []

        @staticmethod
        def sync_messages(dossier: object, event_id: int) -> list[object]:
            return []

    def run(with_hook: bool) -> float:
        # B leaves out every outbox row of the action: the notifications and the portal's sync.
        services.notifications = hook if with_hook else Off  # type: ignore[assignment]
        services.national_portal = portal_hook if with_hook else Off  # type: ignore[assignment]
        laps = []
        for n in range(args.actions + 3):
            dossier_id = dossiers.pop()
            t0 = time.perf_counter()
            services.act(actor=desk, dossier_id=dossier_id, command=ask)
            if n >= 3:  # the first few warm up
                laps.append(time.perf_counter() - t0)
        services.notifications, services.national_portal = hook, portal_hook
        return statistics.median(laps)

    ratios, a_runs, b_runs = [], [], []
    for pair in range(args.pairs):
        # A B, then B A: whichever side goes first in a pair must not decide the figure.
        if pair % 2:
            b, a = run(False), run(True)
        else:
            a, b = run(True), run(False)
        a_runs.append(a)
        b_runs.append(b)
        ratios.append(a / b)
    written = OutboxMessage.objects.filter(event="supplement_requested").count()
    synced = OutboxMessage.objects.filter(target="dvcqg", event="sync").count()
    return {
        "messages": float(args.messages),
        "delivered": float(delivered),
        "seconds": seconds,
        "passes": float(passes),
        "a_ms": statistics.median(a_runs) * 1000,
        "b_ms": statistics.median(b_runs) * 1000,
        "cost": statistics.median(ratios) - 1,
        "written": float(written),
        "synced": float(synced),
        "expected_written": float(args.pairs * (args.actions + 3) * 3),
        # one at each dossier's creation and receipt, one per request_supplement of the A runs
        "expected_synced": float(total + args.pairs * (args.actions + 3)),
    }


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_notify", description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=10, help="A B pairs of runs (default 10)")
    parser.add_argument("--actions", type=int, default=30, help="timed actions per run (default 30)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        print("RESULT:" + json.dumps(child(args)), flush=True)
        return []

    from motcua.standins.process import running

    with scratch_database("notify") as db, running() as standins:
        log(f"notify: {db.label}; stand-ins at {standins}")
        prepare(db, receivers=1)
        env = {**db.env, "MOTCUA_STANDINS_URL": standins, "DJANGO_SETTINGS_MODULE": "motcua.conf.settings"}
        argv_child = [
            sys.executable, "-m", "benchmarks.bench_notify", "--child",
            "--messages", str(args.messages), "--pairs", str(args.pairs), "--actions", str(args.actions),
        ]  # fmt: skip
        done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
            argv_child, env=env, cwd=REPO, capture_output=True, text=True, timeout=1800, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT:"))
        r = json.loads(line.removeprefix("RESULT:"))
        with urllib.request.urlopen(f"{standins}/health", timeout=5) as h:  # noqa: S310 — loopback
            received = json.load(h).get("inbox", {}).get("sms", -1)
    rate = r["delivered"] / r["seconds"]
    ok_rate = rate >= TARGET_RATE and r["seconds"] < TARGET_SECONDS and r["delivered"] == r["messages"]
    ok_once = received == r["messages"]
    ok_cost = (
        r["cost"] < TARGET_COST
        and r["written"] == r["expected_written"]
        and r["synced"] == r["expected_synced"]
    )
    lines = [
        f"notify drain: {r['delivered']:.0f}/{r['messages']:.0f} SMS delivered in {r['seconds']:.1f} s "
        f"({rate:.0f} notifications/s, {r['passes']:.0f} drain passes); the stand-in received {received} "
        f"{'PASS' if ok_rate and ok_once else 'FAIL'} (target ≥ {TARGET_RATE:.0f}/s, < {TARGET_SECONDS:.0f} s, each once)",
        f"notify hook: request_supplement {r['a_ms']:.2f} ms with its outbox rows (SMS, Zalo, e-mail, portal), {r['b_ms']:.2f} ms without; "
        f"median pair cost {r['cost'] * 100:+.1f} % {'PASS' if ok_cost else 'FAIL'} (target < {TARGET_COST * 100:.0f} %)",
    ]
    for line_ in lines:
        print(line_, flush=True)
    return lines


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    main()
