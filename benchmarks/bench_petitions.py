"""The public list of published petition answers over 100,000 petitions (issue 14, "Speed").

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_petitions [--petitions 100000]

In process, on the database of MOTCUA_DATABASE_URL (a throwaway one: it migrates and writes): a
province with 20 agencies, ``--petitions`` petitions of which about 60 % are published, then each
search is asked through the API (``GET /api/v1/petitions?published=true&search=…``) and the portal
page (``/phan-anh/?q=…``). It prints, per search, the number of SQL queries and the time, and the
PostgreSQL plan (EXPLAIN ANALYZE) of the page query and of the count: the trigram GIN index
``petition_search_trgm`` serves the search and the partial index ``petition_published`` the order.
It fails when a search takes more than ``MAX_QUERIES`` queries or its plan reads the table by a
sequential scan.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from typing import Any

MAX_QUERIES = 4
SEARCHES = [
    ("cap giay chung nhan quyen su dung dat", {}),  # diacritics left out, as citizens type
    ("thái độ của cán bộ", {}),
    ("le phi truc tuyen", {"about": "procedure"}),
    ("tach thua", {"agency": "H15.A07"}),
    ("", {}),  # the list itself, newest first
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()


def _load(n: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from motcua.agencies.models import Agency
    from motcua.agencies.services import create_agency
    from motcua.core.text import fold
    from motcua.demo.petitions import TOPICS
    from motcua.petitions.models import Petition

    if not Agency.objects.filter(code="H15").exists():
        create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
        for i in range(20):
            create_agency(
                code=f"H15.A{i:02d}", name=f"Sở số {i} tỉnh Đắk Lắk", kind="department", parent_code="H15"
            )
    agencies = list(Agency.objects.filter(kind="department"))
    rng = random.Random(14)  # noqa: S311 — synthetic data
    start = timezone.now() - timedelta(days=365)
    made = Petition.objects.count()
    batch: list[Petition] = []
    while made < n:
        about, title, content, answer = rng.choice(TOPICS)
        at = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        agency = rng.choice(agencies)
        published = rng.random() < 0.6
        code = f"PAKN-{at:%y%m%d}-{made % 10000:04d}-{made // 10000}"[:20]
        p = Petition(
            code=code, title=f"{title} ({rng.randrange(1000)})", content=content, about=about, channel="portal",
            first_agency=agency, agency=agency, status="published" if published else "accepted",
            publish_consent=published, received_at=at, held_since=at, answer=answer if published else "",
            answered_at=at + timedelta(days=5) if published else None,
            published_at=at + timedelta(days=6) if published else None,
        )  # fmt: skip
        p.search = fold(f"{p.code} {p.title} {p.content} {p.answer}")
        batch.append(p)
        made += 1
        if len(batch) == 5000:
            Petition.objects.bulk_create(batch)
            batch = []
    Petition.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does to a table in service
            cursor.execute("VACUUM ANALYZE petitions_petition")


def _explain(sql: str, params: Any) -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "(EXPLAIN shown on PostgreSQL only)"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_petitions", description=__doc__)
    parser.add_argument("--petitions", type=int, default=100_000)
    args = parser.parse_args(argv)
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.petitions.models import Petition
    from motcua.petitions.selectors import published_petitions

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    _load(args.petitions)
    published = Petition.objects.filter(status="published").count()
    print(
        f"petitions: {Petition.objects.count()} ({published} published), loaded in {time.monotonic() - started:.1f} s"
    )
    api, page = Client(), Client()
    failures, summary = [], []
    for words, filters in SEARCHES:
        label = f"search={words!r} {filters or ''}".strip()
        for name, client, url, params in (
            ("api", api, "/api/v1/petitions", {"published": "true", "search": words, **filters}),
            ("page", page, "/phan-anh/", {"q": words, **filters}),
        ):
            client.get(url, params)  # warm
            with CaptureQueriesContext(connection) as captured:
                t = time.monotonic()
                response = client.get(url, params)
                ms = (time.monotonic() - t) * 1000
            n = len(captured.captured_queries)
            summary.append(f"{name:4} {label}: {n} queries, {ms:.0f} ms, status {response.status_code}")
            if n > MAX_QUERIES or response.status_code != 200:
                failures.append(summary[-1])
        qs = published_petitions(
            search=words or None, agency_code=filters.get("agency"), about=filters.get("about")
        )
        sql, params = qs[:20].query.sql_with_params()
        plan = _explain(sql, params)
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        count_plan = _explain(f"SELECT count(*) FROM ({count_sql}) t", count_params)  # noqa: S608 — Django's own SQL
        print(f"\n{label} — {qs.count()} answers\n  page of 20:\n{plan}\n  count:\n{count_plan}")
        if connection.vendor == "postgresql" and "Seq Scan on petitions_petition" in plan + count_plan:
            failures.append(f"{label}: sequential scan of the petitions")
    print("\n" + "\n".join(summary))
    verdict = "FAIL: " + "; ".join(failures) if failures else "PASS"
    return [f"petitions public list over {args.petitions} petitions: {verdict}"]


if __name__ == "__main__":
    lines = main()
    print("\n".join(lines))
    sys.exit(1 if any("FAIL" in line for line in lines) else 0)
