"""The public list of published answers: the same few queries however many answers there are, and on
PostgreSQL a search the trigram index can serve (benchmarks/bench_petitions.py shows the plan over
100,000 petitions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.petitions.lifecycle import Status
from motcua.petitions.models import Petition
from motcua.petitions.selectors import published_petitions
from motcua.petitions.tests.conftest import sent


def publish_all() -> None:
    from django.utils import timezone

    Petition.objects.update(status=Status.PUBLISHED, published_at=timezone.now(), answer="Đã trả lời")


def queries(fetch: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured.captured_queries)


@pytest.mark.usefixtures("clean_throttle")
def test_the_list_costs_the_same_queries_for_3_or_30_answers(world: Any) -> None:
    api, page = APIClient(), Client()

    def counted() -> tuple[int, int]:
        return (
            queries(lambda: api.get("/api/v1/petitions", {"search": "doanh nghiep", "published": "true"})),
            queries(lambda: page.get("/phan-anh/", {"q": "doanh nghiep", "agency": "H15.STC"})),
        )

    for _ in range(3):
        sent(world)
    publish_all()
    few = counted()
    for _ in range(27):
        sent(world)
    publish_all()
    assert api.get("/api/v1/petitions", {"search": "doanh nghiep"}).json()["count"] == 30
    assert counted() == few
    assert few[0] <= 3  # the count and the page (with the agency joined): no query per answer


def test_the_search_never_reads_the_sender(world: Any) -> None:
    sent(world)
    publish_all()
    sql = str(published_petitions(search="doanh nghiệp").query)
    assert "submitter" not in sql and "phone" not in sql
    assert "LIKE" in sql.upper()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_search_is_index_backed(world: Any) -> None:
    """The trigram index finds the matching rows of a search. A table of 3,000 rows is small enough
    for PostgreSQL to prefer reading it whole, so the planner is told to avoid sequential scans here;
    over 100,000 petitions it chooses the index by itself (benchmarks/bench_petitions.py)."""
    from django.utils import timezone

    model = sent(world)
    rows = []
    for i in range(3000):
        p = Petition(
            **{
                f.attname: getattr(model, f.attname)
                for f in Petition._meta.concrete_fields
                if not f.primary_key
            }
        )
        p.code, p.status, p.published_at = f"PAKN-000000-{i:04d}", Status.PUBLISHED, timezone.now()
        p.search = f"kho khan ve le thu tuc so {i}"
        rows.append(p)
    rows[1234].search = "cap giay phep xay dung nha o rieng le"
    Petition.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_petition")
    qs = published_petitions(search="giay phep xay dung")
    assert [p.code for p in qs] == ["PAKN-000000-1234"]

    def plan(sql: str, params: Any) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    page = plan(*qs.all()[:20].query.sql_with_params())
    count_sql, params = qs.order_by().values("pk").query.sql_with_params()
    count = plan(f"SELECT count(*) FROM ({count_sql}) t", params)  # noqa: S608 — Django's own SQL
    assert "Seq Scan on petitions_petition" not in page + count, page + count
    assert "petition_search_trgm" in page and "petition_search_trgm" in count, page + count
