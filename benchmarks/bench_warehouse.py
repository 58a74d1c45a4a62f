"""The online submission page with a full data warehouse (issue 11 item 5; target: under 2× the page
with an empty one).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_warehouse [--requests 30] [--runs 5]

An empty database of its own with two citizens: A, whose warehouse holds 200 documents (25 of them
match each document the procedure asks for, so the page offers the newest five beside each upload),
and B, whose warehouse is empty. ``motcua serve`` runs with one worker and one thread, so that the two
pages are timed on the same process, one request after the other. GET /thu-tuc/{procedure}/nop-truc-tuyen/
is timed in short runs interleaved A B A B …, each on a keep-alive connection after a few unmeasured
requests, so that a slower moment of the machine falls on both. Prints each run's median, the median
of each page, and the median of the A/B ratios of the pairs.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time

from benchmarks.common import HOST, PASSWORD, PROCEDURE, Server, django_json, log, prepare, scratch_database

TARGET_RATIO = 2.0
DOCUMENTS = 200
PATH = f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/"

# Run inside ``motcua shell`` after common.prepare: two citizens, one with a full warehouse; binds
# ``result`` to their session cookies.
SETUP = """
from django.conf import settings
from django.test import Client
from motcua.accounts.models import User
from motcua.accounts.services import create_user
from motcua.dossiers import commands, services
from motcua.warehouse.tests.factories import fill

full = create_user(username="cd.full", password=PASSWORD, role="citizen", id_number="066185100001",
                   full_name="Nguyễn Thị Thu Hà")
empty = create_user(username="cd.empty", password=PASSWORD, role="citizen", id_number="066185100002",
                    full_name="Trần Văn Bình")
desk = User.objects.get(username="tiepnhan0")
source, _ = services.create_dossier(
    actor=desk, procedure_code=PROCEDURE, channel="counter",
    applicant=commands.Applicant(kind="individual", full_name=full.full_name, id_number=full.id_number),
    documents=[commands.DocumentIn("GDN", "Giấy đề nghị đăng ký doanh nghiệp")],
)
fill(full.id_number, source, DOCUMENTS)
cookies = {}
for user in (full, empty):
    client = Client()
    client.force_login(user)
    cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
result = {"A": cookies["cd.full"], "B": cookies["cd.empty"]}
"""


def run(port: int, cookie: str, *, warmup: int, requests: int) -> list[float]:
    """``requests`` timed GETs of the submission page on one keep-alive connection, in milliseconds."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    times: list[float] = []
    try:
        for n in range(warmup + requests):
            started = time.perf_counter()
            conn.request("GET", PATH, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200 or b'name="doc_0"' not in body:
                raise RuntimeError(f"GET {PATH}: HTTP {response.status}")
            if n >= warmup:
                times.append(elapsed)
    finally:
        conn.close()
    return times


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_warehouse", description=__doc__)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per run (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per run (default 5)")
    parser.add_argument("--runs", type=int, default=5, help="A B pairs (default 5)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    lines: list[str] = []
    with scratch_database("warehouse") as db:
        log(f"warehouse: preparing {db.label} …")
        prepare(db, receivers=1)
        cookies = django_json(
            db.env, f"PROCEDURE, PASSWORD, DOCUMENTS = {PROCEDURE!r}, {PASSWORD!r}, {DOCUMENTS}\n" + SETUP
        )
        medians: dict[str, list[float]] = {"A": [], "B": []}
        ratios: list[float] = []
        with Server(db.env, workers=1, threads=1, log_path=db.tmp / "server.log") as server:
            for n in range(args.runs):
                pair = {}
                for variant in ("A", "B"):
                    times = run(server.port, cookies[variant], warmup=args.warmup, requests=args.requests)
                    pair[variant] = statistics.median(times)
                    medians[variant].append(pair[variant])
                    label = f"{DOCUMENTS} warehouse documents" if variant == "A" else "an empty warehouse"
                    print(f"run {n + 1} {variant} ({label}): median {pair[variant]:.1f} ms", flush=True)
                ratios.append(pair["A"] / pair["B"])
        a, b, ratio = (
            statistics.median(medians["A"]),
            statistics.median(medians["B"]),
            statistics.median(ratios),
        )
        verdict = "PASS" if ratio < TARGET_RATIO else "FAIL"
        lines.append(
            f"submission page: {DOCUMENTS} warehouse documents median {a:.1f} ms, empty warehouse median "
            f"{b:.1f} ms, median ratio {ratio:.2f}× (target < {TARGET_RATIO:.0f}×) {verdict} "
            f"[{args.runs} A/B pairs of {args.requests} requests, 1 worker × 1 thread, {db.label}]"
        )
        print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":
    main()
