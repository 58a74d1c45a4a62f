"""The index and the report from the roll-ups equal an independent recount, on generated data;
and the incremental roll-up equals a rebuild after dossiers change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum

from motcua.agencies.models import Agency
from motcua.conftest import analyze_after_bulk_load
from motcua.demo import generator
from motcua.dossiers.models import Dossier, Rating
from motcua.monitoring import rollup, selectors
from motcua.monitoring.index import Count
from motcua.monitoring.models import DossierCount
from motcua.monitoring.tests import recount

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 9, 16, 10, 30, tzinfo=TZ)


@pytest.fixture
def history(db: Any) -> None:
    call_command("demo-data", dossiers=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    generator.generate(count=2500, year=2026, seed=7, now=NOW)
    generator.generate(count=400, year=2025, seed=8, now=NOW)
    rollup.update()
    analyze_after_bulk_load()


def counts_table() -> dict[tuple[Any, ...], dict[str, int]]:
    rows = {}
    for row in DossierCount.objects.values("span", "day", "agency_id", "procedure_id", *rollup.COUNT_COLUMNS):
        values = {c: row[c] for c in rollup.COUNT_COLUMNS}
        if any(values.values()):
            rows[(row["span"], row["day"], row["agency_id"], row["procedure_id"])] = values
    return rows


def measures(agency: Agency, start: date, end: date) -> dict[str, Count]:
    whole, _units = selectors.service_index(agency, start, end, now=NOW)
    return {
        i.code: Count(i.numerator, i.denominator)
        for g in whole.result.groups
        for i in g.indicators
        if i.numerator is not None
    }


PERIODS = [
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 3, 10), date(2026, 7, 20)),
    (date(2026, 9, 1), date(2026, 9, 30)),
    (date(2025, 11, 15), date(2026, 2, 3)),
    (date(2026, 9, 16), date(2026, 9, 16)),
]


def test_index_counts_equal_recount(history: None) -> None:
    for code, start, end in [(c, s, e) for c in ("H15", "H15.100", "H15.STC", "H15.39") for s, e in PERIODS]:
        agency = Agency.objects.get(code=code)
        got = measures(agency, start, end)
        for indicator, (num, den) in recount.index_counts(agency, start, end, NOW).items():
            assert (got[indicator].numerator, got[indicator].denominator) == (num, den), (
                code,
                start,
                end,
                indicator,
            )


def _expected(rows: dict[Any, dict[str, int]]) -> dict[Any, dict[str, int]]:
    columns = [*selectors.REPORT_COLUMNS, *selectors.PAYMENT_COLUMNS]
    return {k: {c: v.get(c, 0) for c in columns} for k, v in rows.items()}


def test_report_equals_recount(history: None) -> None:
    for code, start, end in [(c, s, e) for c in ("H15", "H15.100") for s, e in PERIODS]:
        agency = Agency.objects.get(code=code)
        rows, total = selectors.settlement_report(agency, start, end, "procedure", now=NOW)
        want = _expected(recount.report(agency, start, end, NOW, key=lambda d: d.procedure.code))
        got = {r.key: r.values for r in rows}
        want = {k: v for k, v in want.items() if any(v.values())}
        assert got == want, (start, end)
        one = _expected(recount.report(agency, start, end, NOW))
        nothing = dict.fromkeys([*selectors.REPORT_COLUMNS, *selectors.PAYMENT_COLUMNS], 0)
        assert total == one.get(None, nothing), (start, end)
        by_agency, total_a = selectors.settlement_report(agency, start, end, "agency", now=NOW)
        assert total_a == total
        assert sum(r.values["received_total"] for r in by_agency) == total["received_total"]
    # The generated history pays on the national platform, the province's gateway and at the counter.
    _rows, year = selectors.settlement_report(Agency.objects.get(code="H15"), *PERIODS[0], "agency", now=NOW)
    assert all(
        year[c] > 0 for c in ("with_fee", "paid_national_portal", "paid_local_gateway", "paid_counter")
    )


def test_report_by_month_equals_recount(history: None) -> None:
    agency = Agency.objects.get(code="H15")
    rows, total = selectors.settlement_report(agency, date(2025, 12, 5), date(2026, 12, 31), "month", now=NOW)
    assert [r.key for r in rows][0] == "2025-12" and rows[-1].key == "2026-09"
    for row in rows:
        y, m = map(int, row.key.split("-"))
        start = max(date(y, m, 1), date(2025, 12, 5))
        end = (date(y, m, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        end = min(end, date(2026, 12, 31))
        want = _expected(recount.report(agency, start, end, NOW))[None]
        assert row.values == want, row.key
    assert total["received_total"] == sum(r.values["received_total"] for r in rows)


def test_incremental_equals_rebuild(history: None) -> None:
    before = counts_table()
    rollup.rebuild()
    assert counts_table() == before
    # Change dossiers the way the services would: finish some, rate some, move one.
    open_ones = list(Dossier.objects.filter(status="processing").order_by("id")[:20])
    for d in open_ones[:10]:
        d.status, d.resolved_at, d.outcome = "resolved", NOW, "approved"
        d.save()
    for d in open_ones[10:15]:
        d.status, d.closed_at = "withdrawn", NOW
        d.save()
    finished = Dossier.objects.filter(status="returned", rating__isnull=True).order_by("id")[:10]
    Rating.objects.bulk_create([Rating(dossier=d, satisfied=False, created_at=NOW) for d in finished])
    moved = Dossier.objects.filter(status="returned").order_by("-id").first()
    assert moved is not None
    moved.resolving_agency = Agency.objects.get(code="H15.STC")
    moved.e_result = not moved.e_result
    moved.save()
    generator.generate(count=300, year=2026, seed=9, now=NOW)
    report = rollup.update()
    assert report.dossiers >= 300
    incremental = counts_table()
    rollup.rebuild()
    assert counts_table() == incremental
    # Nothing changed since: nothing to do.
    assert not rollup.pending_work()


def test_month_rows_equal_day_rows(history: None) -> None:
    months = {
        (r["day"], r["agency_id"], r["procedure_id"]): r["received"]
        for r in DossierCount.objects.filter(span="m").values("day", "agency_id", "procedure_id", "received")
    }
    days = DossierCount.objects.filter(span="d").aggregate(n=Sum("received"))["n"]
    assert sum(months.values()) == days == Dossier.objects.filter(received_at__isnull=False).count()


def test_overdue_is_one_rule_wherever_it_is_asked(history: None) -> None:
    """The API filter, the back-office queue, the dashboard's list, the index and the report count the
    same overdue dossiers as each dossier's own timeliness, a paused clock judged where it stopped."""
    import time_machine
    from django.test import Client

    from motcua.accounts.services import create_user
    from motcua.backoffice.selectors import queue
    from motcua.dossiers.selectors import dossier_list
    from motcua.dossiers.serializers import timeliness_of

    # Clocks paused after their due date (overdue) and before it (on track), beside the generated ones.
    waiting = list(Dossier.objects.filter(status="processing").order_by("id")[:6])
    for i, d in enumerate(waiting):
        d.status, d.left_status = "awaiting_supplement", "processing"
        d.paused_at = d.due_at + timedelta(hours=2) if i % 2 else d.due_at - timedelta(hours=2)
        d.remaining_seconds = d.original_remaining_seconds = 0
        d.save()
    rollup.update()
    admin = create_user(username="quantri-overdue", password="matkhau-rat-dai", role="admin")
    province = Agency.objects.get(code="H15")
    later = NOW + timedelta(days=10)  # the dossiers open at NOW are overdue by then, or not
    with time_machine.travel(later, tick=False):
        by_rule = {d.pk for d in Dossier.objects.all() if timeliness_of(d) == "overdue"}
        assert {d.pk for d in waiting if d.paused_at > d.due_at} <= by_rule
        assert not {d.pk for d in waiting if d.paused_at < d.due_at} & by_rule
        assert {d.pk for d in dossier_list(admin, overdue=True)} == by_rule
        assert {d.pk for d in dossier_list(admin, overdue=False)} == set(
            Dossier.objects.exclude(pk__in=by_rule).values_list("pk", flat=True)
        )
        assert {d.pk for d in queue(admin, "overdue")} == by_rule
        under = {
            d.pk for d in Dossier.objects.filter(pk__in=by_rule, resolving_agency__path__startswith="/H15/")
        }
        assert {d.pk for d in selectors.overdue_list(province, limit=10**6)} == under
        _rows, total = selectors.settlement_report(province, date(2025, 1, 1), later.date(), "agency")
        assert total["pending_overdue"] == len(under)
        client = Client()
        client.force_login(admin)
        body = client.get("/api/v1/dossiers", {"overdue": "true", "page_size": 1}).json()
        assert body["count"] == len(by_rule)
    assert len(by_rule) > 10  # the generated history has overdue dossiers to agree on


def test_every_row_of_every_grouping_balances(history: None) -> None:
    """carried_over + received_total = resolved_total + refused + withdrawn + stopped + pending_total
    (contract §7), for every row and the total, whatever the grouping and the period — dossiers refused
    or withdrawn before they were received among the generated history."""
    assert Dossier.objects.filter(status="refused", received_at__isnull=True).exists()
    assert Dossier.objects.filter(status="stopped").exists()
    for code in ("H15", "H15.100"):
        agency = Agency.objects.get(code=code)
        for start, end in PERIODS:
            for group_by in ("agency", "procedure", "month"):
                rows, total = selectors.settlement_report(agency, start, end, group_by, now=NOW)
                for values in [r.values for r in rows] + [total]:
                    outcomes = (
                        values["resolved_total"]
                        + values["refused"]
                        + values["withdrawn"]
                        + values["stopped"]
                        + values["pending_total"]
                    )
                    assert values["carried_over"] + values["received_total"] == outcomes, (
                        code,
                        start,
                        group_by,
                        values,
                    )
