"""Issue 13's "done when": every dossier of a demo day appears on the portal stand-in with its full
progress, and the stand-in's own count of synced dossiers equals MotCua's dashboard."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.conftest import StandinsControl
from motcua.demo import generator
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.dvcqg import services
from motcua.integrations.dvcqg.tests.test_sync import counter_dossier, portal
from motcua.monitoring import rollup
from motcua.outbox import delivery

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 15, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def dashboard_synced(day: str, agency: str) -> tuple[int, int]:
    client = Client()
    client.force_login(User.objects.get(username="quantri"))
    index = client.get(f"/api/v1/metrics/service-index?agency={agency}&from={day}&to={day}").json()
    (found,) = [i for g in index["groups"] for i in g["indicators"] if i["code"] == "dossier_sync"]
    return found["numerator"], found["denominator"]


def test_a_demo_day_is_on_the_portal_with_its_progress_and_the_counts_agree(
    standins: StandinsControl,
) -> None:
    portal(standins.url, "/_settings", {"reset": True, "session_ttl": 1800})
    call_command("demo-data", dossiers=0, stdout=io.StringIO())
    generator.generate(count=1500, year=2026, seed=11, now=NOW)
    rollup.update()
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    days = Counter(
        d.astimezone(tz).date()
        for d in Dossier.objects.exclude(received_at=None).values_list("received_at", flat=True)
    )
    day, count = days.most_common(1)[0]
    province = Agency.objects.get(parent=None).code
    assert portal(standins.url, f"/_indicators?from={day}&to={day}&unit={province}")["synced"] == 0
    # The generator marks most of its history synced, as a province's would be; the portal has none.
    assert dashboard_synced(f"{day}", province)[0] > 0

    assert services.publish_received(day, day) == count
    while delivery.drain().handled:
        pass
    rollup.update()

    received = Dossier.objects.filter(received_at__date=day)
    for dossier in received:
        kept = portal(standins.url, f"/_records/{dossier.code}")
        assert kept is not None, dossier.code
        events = DossierEvent.objects.filter(dossier=dossier).count()
        assert len(kept["progress"]) == events, dossier.code
        assert kept["record"]["TrangThaiHoSo"] == kept["progress"][-1]["TrangThai"]
    theirs = portal(standins.url, f"/_indicators?from={day}&to={day}&unit={province}")["synced"]
    ours, denominator = dashboard_synced(f"{day}", province)
    assert theirs == ours == count == denominator


def test_the_command_queues_a_period_and_refuses_without_a_portal(
    world: Any, standins: StandinsControl, settings: Any
) -> None:
    portal(standins.url, "/_settings", {"reset": True, "session_ttl": 1800})
    made = counter_dossier(world)
    delivery.drain()
    out = io.StringIO()
    call_command("publish-to-portal", "--days", "1", "--again", stdout=out)
    assert out.getvalue().startswith("1 hồ sơ")
    portal(standins.url, "/_settings", {"reset": True})  # the portal lost what it had
    assert delivery.drain().delivered == 1
    assert len(portal(standins.url, f"/_records/{made['code']}")["progress"]) == 2
    settings.MOTCUA_STANDINS_URL = ""
    with pytest.raises(CommandError, match="DVCQG"):
        call_command("publish-to-portal", stdout=out)
