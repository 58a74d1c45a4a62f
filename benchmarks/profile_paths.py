"""Where the time of one intake and one look-up goes, in-process (no HTTP server, no network).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.profile_paths [--requests 200]

On an empty database of its own, drives ``POST /api/v1/dossiers`` (counter) and ``POST /api/v1/lookup``
through Django's test client (the whole middleware and DRF stack), prints the SQL of one request of
each, the queries and milliseconds per request, and cProfile's top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import CLIENTS, PROCEDURE, REPO, log, prepare, scratch_database


def _inner(requests: int, top: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = json.loads(sys.stdin.read())
    token = data["tokens"][0]
    client = Client()

    def intake(n: int) -> Any:
        body = {
            "procedure_code": PROCEDURE,
            "channel": "counter",
            "applicant": {
                "kind": "individual",
                "full_name": f"Lê Thị {n}",
                "id_number": f"066185{n:06d}",
                "phone": f"09{n:08d}",
                "email": "",
                "address": "Buôn Ma Thuột",
            },
            "documents": [{"code": "GDN", "name": "Giấy đề nghị"}, {"code": "DL", "name": "Điều lệ"}],
        }
        response = client.post(
            "/api/v1/dossiers",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"p-{n}"},
        )
        assert response.status_code == 201, response.content
        return response

    pairs = data["dossiers"]

    def lookup(n: int) -> Any:
        pair = pairs[n % len(pairs)]
        response = client.post("/api/v1/lookup", json.dumps(pair), content_type="application/json")
        assert response.status_code == 200, response.content
        return response

    for name, call in (("intake", intake), ("lookup", lookup)):
        for n in range(20):  # warm-up: imports, caches, the calendar
            call(10_000 + n)
        with CaptureQueriesContext(connection) as queries:
            call(20_000)
        print(f"\n=== {name}: {len(queries.captured_queries)} SQL queries for one request ===")
        for q in queries.captured_queries:
            print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:220]}")
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(requests):
            call(30_000 + n)
        plain = (time.perf_counter() - started) / requests * 1000
        cpu = (time.process_time() - cpu) / requests * 1000
        if name == "intake":
            _counter_hold(lambda n, call=call: call(35_000 + n), requests)
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(requests):
            call(40_000 + n)
        profiler.disable()
        print(
            f"{name}: {plain:.2f} ms wall, {cpu:.2f} ms CPU of the Django process per request, in-process "
            f"without the profiler ({requests} requests)"
        )
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(top)
        print(out.getvalue())


def _counter_hold(call: Any, requests: int) -> None:
    """How long one intake keeps its agency's daily counter row locked: from the start of the
    counter's upsert to the end of COMMIT, and the statements sent in between (issue 16: "the code
    counter row held only for the two statements that need it")."""
    import statistics

    from django.db import connection

    marks: dict[str, float] = {}
    after: list[int] = [0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "dossiers_dailyserial" in sql and "ON CONFLICT" in sql:
            marks["upsert"] = time.perf_counter()
            after[0] = 0
        elif "upsert" in marks:
            after[0] += 1
        return execute(sql, params, many, context)

    commit = connection._commit  # type: ignore[attr-defined]  # private: timed here, never replaced for good
    held: list[float] = []
    statements: list[int] = []

    def timed_commit() -> Any:
        done = commit()
        if "upsert" in marks:
            held.append((time.perf_counter() - marks.pop("upsert")) * 1000)
            statements.append(after[0])
        return done

    connection._commit = timed_commit  # type: ignore[attr-defined]
    try:
        with connection.execute_wrapper(wrapper):
            for n in range(requests):
                call(n)
    finally:
        del connection._commit  # type: ignore[attr-defined]
    print(
        f"intake: the agency's counter row held {statistics.median(held):.2f} ms (median; p90 "
        f"{sorted(held)[int(0.9 * len(held))]:.2f} ms) from the upsert to the end of COMMIT, "
        f"{statistics.median(statements):.0f} statements after the upsert ({len(held)} requests, one client)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_paths", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.inner:
        _inner(args.requests, args.top)
        return
    extra = {"MOTCUA_LOOKUP_RATE": "1000000/s", "MOTCUA_LOG_LEVEL": "ERROR"}
    with scratch_database("profile", extra) as db:
        log(f"profile: preparing {db.label} …")
        data = prepare(db, receivers=CLIENTS, dossiers=50)
        subprocess.run(  # noqa: S603 — our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "benchmarks.profile_paths",
                "--inner",
                "--requests",
                str(args.requests),
                "--top",
                str(args.top),
            ],
            input=json.dumps(data),
            env=db.env,
            cwd=REPO,
            text=True,
            check=True,
            timeout=900,
        )


if __name__ == "__main__":
    main()
