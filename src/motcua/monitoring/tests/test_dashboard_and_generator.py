"""The dashboard page, the generator's proportions and codes, and the commands."""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from datetime import datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.demo import generator
from motcua.dossiers.models import ControlSheetEntry, DailySerial, Dossier, DossierEvent
from motcua.monitoring.models import DossierCount

NOW = datetime(2026, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo-data", dossiers=0, stdout=io.StringIO())


def test_generator_is_realistic_and_continues_serials(demo: None) -> None:
    report = generator.generate(count=3000, year=2026, seed=5, now=NOW)
    assert report.dossiers == Dossier.objects.count() == 3000
    dossiers = list(Dossier.objects.all())
    channels = Counter(d.channel for d in dossiers)
    assert 0.5 < channels["online"] / 3000 < 0.8
    assert all(d.submitted_at <= NOW and (d.received_at is None or d.received_at <= NOW) for d in dossiers)
    finished = [d for d in dossiers if d.resolved_at]
    late = [d for d in finished if d.resolved_at > d.original_due_at or d.supplements_after_receipt > 1]
    assert 0.03 < len(late) / len(finished) < 0.09
    supplemented = sum(d.supplements_after_receipt > 0 for d in dossiers)
    assert 0.05 < supplemented / 3000 < 0.15
    # Codes {agency}-{YYMMDD}-{NNNN}: unique, and DailySerial holds the last one of each day.
    codes = [d.code for d in dossiers if d.code]
    assert len(codes) == len(set(codes))
    last: dict[tuple[str, str], int] = {}
    for code in codes:
        m = re.fullmatch(r"(.+)-(\d{6})-(\d{4,})", code)
        assert m, code
        key = (m.group(1), m.group(2))
        last[key] = max(last.get(key, 0), int(m.group(3)))
    serials = {
        (s.agency.code, f"{s.day:%y%m%d}"): s.last for s in DailySerial.objects.select_related("agency")
    }
    assert serials == last
    # Deterministic for a seed, and a second run continues the serials.
    generator.generate(count=200, year=2026, seed=5, now=NOW)
    codes_again = list(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes_again) == len(set(codes_again))


def test_generated_dossiers_carry_the_history_the_services_would_write(demo: None) -> None:
    generator.generate(count=1500, year=2026, seed=11, now=NOW)
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    for e in DossierEvent.objects.order_by("dossier_id", "at", "id"):
        events[e.dossier_id].append(e)
    sheets: dict[int, list[ControlSheetEntry]] = defaultdict(list)
    for c in ControlSheetEntry.objects.order_by("dossier_id", "handed_over_at", "id"):
        sheets[c.dossier_id].append(c)
    provinces = dict(Agency.objects.values_list("id", "province"))
    assert set(provinces.values()) == {"66"}  # the demo's agencies all sit in Đắk Lắk
    for d in Dossier.objects.all():
        log = events[d.pk]
        assert log[0].action == "create" and log[0].at == d.submitted_at, d.code
        assert d.province == provinces[d.receiving_agency_id] and {e.province for e in log} == {d.province}
        # Each event starts where the one before ended, and the last one ends at the dossier's status.
        assert all(a.to_status == b.from_status for a, b in pairwise(log)), [(e.action, e.at) for e in log]
        assert log[-1].to_status == d.status and all(e.at <= NOW for e in log), d.code
        assert sum(e.action == "request_supplement" for e in log) >= d.supplements_after_receipt
        rows = sheets[d.pk]
        if d.status in ("resolved", "returned"):
            assert rows and rows[0].from_agency_id == d.receiving_agency_id
            assert rows[0].to_agency_id == d.resolving_agency_id and rows[0].completed_at == d.resolved_at
            open_rows = [c for c in rows if c.completed_at is None]
            assert len(open_rows) == (
                d.status == "resolved" and d.resolving_agency_id != d.receiving_agency_id
            )
        if d.status == "received" or d.code is None:
            assert not rows
        # Officers act in office hours on working days; the applicant submits, answers and pays any time.
        for e in log:
            if e.action in OFFICERS and e.at != NOW:
                assert in_office_hours(e.at), (d.code, e.action, e.at.astimezone(TZ))


OFFICERS = {"receive", "forward", "request_supplement", "request_payment", "resolve", "return_result", "stop"}
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def in_office_hours(at: datetime) -> bool:
    from motcua.calendar.selectors import get_calendar

    cal = get_calendar()
    local = at.astimezone(TZ)
    return cal.is_working_day(local.date()) and any(
        start <= local.time() <= end for start, end in cal.periods
    )


def test_generator_is_deterministic(demo: None) -> None:
    generator.generate(count=300, year=2026, seed=11, now=NOW)
    first = list(Dossier.objects.order_by("id").values_list("code", "channel", "status", "received_at"))
    Dossier.objects.all().delete()
    DailySerial.objects.all().delete()
    generator.generate(count=300, year=2026, seed=11, now=NOW)
    assert (
        list(Dossier.objects.order_by("id").values_list("code", "channel", "status", "received_at")) == first
    )


def test_commands(demo: None) -> None:
    out = io.StringIO()
    call_command("generate-dossiers", "--count", "200", "--year", "2026", stdout=out)
    assert "200 dossiers" in out.getvalue() and "Roll-ups" in out.getvalue()
    assert DossierCount.objects.exists()
    out = io.StringIO()
    call_command("rollup", "--rebuild", stdout=out)
    assert "rebuilt" in out.getvalue()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_dashboard(demo: None) -> None:
    generator.generate(count=800, year=2026, seed=2)
    response = _client("giamsat").get("/dieu-hanh/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ủy ban nhân dân tỉnh Đắk Lắk" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "monitoring/dashboard.js" in html
    assert 'id="mn-chart-data"' in html
    assert "Xếp hạng" in html and "Hồ sơ đang quá hạn" in html
    assert "format=xlsx" in html
    # No inline script beyond the JSON data island (CSP).
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        attrs, body = script
        assert "src=" in attrs or 'type="application/json"' in attrs or not body.strip(), attrs
    # A leader sees their commune; filters by agency and period.
    response = _client("lanhdao").get("/dieu-hanh/", {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert "Ủy ban nhân dân phường Buôn Ma Thuột" in response.content.decode()
    # A request outside one's agency falls back to it, with the reason shown.
    response = _client("lanhdao").get("/dieu-hanh/", {"agency": "H15"})
    assert response.status_code == 200


def test_the_dashboard_only_reads_what_the_worker_counted(demo: None) -> None:
    """Defect: the first load after login took 8 s, counting roll-ups while the reader waited."""
    from motcua.monitoring import rollup
    from motcua.monitoring.models import FillState

    generator.generate(count=300, year=2026, seed=4)
    rollup.update()
    counted = FillState.objects.get(name=rollup.FILL_STATE).last_run_at
    generator.generate(count=200, year=2026, seed=6)  # changes the worker has not counted yet
    assert rollup.pending_work()
    tables = DossierCount.objects.count()
    html = _client("giamsat").get("/dieu-hanh/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert rollup.pending_work() and DossierCount.objects.count() == tables  # nothing counted by the page
    assert FillState.objects.get(name=rollup.FILL_STATE).last_run_at == counted
    assert "Số liệu tính đến" in html  # and it says how fresh its figures are


def test_dashboard_access(demo: None) -> None:
    response = Client().get("/dieu-hanh/")
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/")
    assert _client("congdan").get("/dieu-hanh/").status_code == 403
