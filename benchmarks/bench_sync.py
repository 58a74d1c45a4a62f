"""A province's day published to the national portal (issue 13; target: 10,000 dossiers with 60,000
status changes drain through one worker in under 2 minutes, against the stand-in on this machine).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_sync [--dossiers 10000]

A database of its own holds DOSSIERS counter dossiers, each with the history a day gives it (created
and received, forwarded, supplement asked and given, resolved, returned: 6 status changes) and the
6 outbox messages the app writes for them, as if the portal had been away all day. One process then
runs the worker's delivery loop (``outbox.delivery.drain``) against the stand-ins process until the
outbox is empty, and the stand-in's own count of what it holds is checked against the dossiers.
"""

from __future__ import annotations

import argparse
import json
import urllib.request

from benchmarks.common import django_json, log, prepare, scratch_database

TARGET_SECONDS = 120.0

# Inside ``motcua shell``: DOSSIERS dossiers cloned from one made through the services, with their
# events and outbox messages written in bulk. Binds ``result``.
LOAD = """
from datetime import timedelta
from django.utils import timezone
from motcua.accounts.models import User
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.outbox.models import OutboxMessage

desk = User.objects.get(username="tiepnhan0")
model, _ = services.create_dossier(actor=desk, procedure_code="1.000956", channel="counter",
    applicant=commands.Applicant(kind="individual", full_name="Trần Văn Mẫu", id_number="066185900000"))
now = timezone.now()
day = f"{now:%y%m%d}"
STEPS = [("create", "", "submitted"), ("receive", "submitted", "received"),
         ("forward", "received", "processing"), ("request_supplement", "processing", "awaiting_supplement"),
         ("supplement", "awaiting_supplement", "processing"), ("resolve", "processing", "resolved"),
         ("return_result", "resolved", "returned")]
batch = 2000
for start in range(0, DOSSIERS, batch):
    rows = []
    for i in range(start, min(start + batch, DOSSIERS)):
        d = Dossier.objects.get(pk=model.pk)
        d.pk = None
        d.code = f"H15.TTPV-{day}-{i + 1:05d}"
        d.idempotency_key = None
        d.applicant_id_number = f"066185{i:06d}"
        d.status = "returned"
        d.resolved_at = d.returned_at = now
        rows.append(d)
    made = Dossier.objects.bulk_create(rows)
    events = [DossierEvent(dossier=d, province=d.province, at=now + timedelta(minutes=n), actor=desk, action=a,
                           from_status=f, to_status=t, data={})
              for d in made for n, (a, f, t) in enumerate(STEPS)]
    DossierEvent.objects.bulk_create(events)
    by_dossier = {}
    for e in events:
        by_dossier.setdefault(e.dossier_id, []).append(e.pk)
    OutboxMessage.objects.bulk_create([
        OutboxMessage(target="dvcqg", key=f"dvcqg:{d}:{e}", payload={"upto_event": e}, dossier_id=d,
                      stream=f"dossier:{d}:dvcqg", event="sync", created_at=now, next_attempt_at=now)
        for d, ids in by_dossier.items() for e in ids[1:]  # create and receive share one message
    ])
Dossier.objects.filter(pk=model.pk).delete()
result = {"messages": OutboxMessage.objects.filter(target="dvcqg").count()}
"""

DRAIN = """
import time
from django.db import connection
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage, State
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("ANALYZE")
import cProfile, io, pstats
profiler = cProfile.Profile() if PROFILE else None
started = time.perf_counter()
total = delivery.Drained()
if profiler:
    profiler.enable()
while True:
    done = delivery.drain(budget_seconds=600)
    total.delivered += done.delivered; total.retried += done.retried; total.failed += done.failed
    if not done.handled:
        break
elapsed = time.perf_counter() - started
if profiler:
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue())
from motcua.dossiers.models import Dossier
result = {"seconds": elapsed, "delivered": total.delivered, "retried": total.retried, "failed": total.failed,
          "left": OutboxMessage.objects.exclude(state=State.DELIVERED).count(),
          "synced": Dossier.objects.filter(synced_to_national_portal=True).count()}
"""


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_sync", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument(
        "--profile", action="store_true", help="print where the draining process spends its time"
    )
    args = parser.parse_args(argv)
    from motcua.standins.process import running

    with scratch_database("sync") as db, running() as standins:
        prepare(db, receivers=1)
        env = db.env | {"MOTCUA_STANDINS_URL": standins}
        loaded = django_json(env, f"DOSSIERS = {args.dossiers}\n" + LOAD, timeout=1200)
        log(f"{db.label}: {args.dossiers} dossiers, {loaded['messages']} outbox messages for the portal")
        out = django_json(env, f"PROFILE = {args.profile}\n" + DRAIN, timeout=1800, show=args.profile)
        indicators = f"{standins}/dvcqg/_indicators?from=2000-01-01&to=2100-12-31"
        with urllib.request.urlopen(indicators, timeout=10) as r:  # noqa: S310 — the stand-ins on loopback
            portal = json.load(r)
    rate = args.dossiers / out["seconds"]
    ok = out["left"] == 0 and portal["records"] == args.dossiers == out["synced"]
    verdict = "PASS" if ok and out["seconds"] < TARGET_SECONDS else "FAIL"
    line = (
        f"sync: {args.dossiers} dossiers, {loaded['messages']} messages drained in {out['seconds']:.1f} s "
        f"({rate:.0f} dossiers/s, {out['delivered']} deliveries; target < {TARGET_SECONDS:.0f} s); portal holds {portal['records']} records, "
        f"{out['synced']} dossiers marked synced, {out['left']} left, {out['retried']} retried — {verdict} [{db.label}]"
    )
    print(line, flush=True)
    return [line]


if __name__ == "__main__":
    main()
