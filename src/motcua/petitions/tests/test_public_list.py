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
def test_the_trigram_index_can_serve_the_search(world: Any) -> None:
    sent(world)
    publish_all()
    qs = published_petitions(search="dang ky doanh nghiep")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_seqscan = off"
        )  # a tiny table: make the planner show what it can use
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "petition_search_trgm" in plan, plan
