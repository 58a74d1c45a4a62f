"""Every dossier and every status change reaches the national portal (contract §8.5), through the
outbox, against the stand-ins process: the real adapter, the stand-in's own checks."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from motcua.conftest import StandinsControl
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World, applicant
from motcua.dossiers.tests.test_lifecycle import act
from motcua.integrations import config, transport
from motcua.integrations.dvcqg.client import NationalPortalClient
from motcua.integrations.dvcqg.tests.test_wire import snapshot
from motcua.integrations.models import PortalSync
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


def portal(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 — the stand-ins on loopback
        f"{url}/dvcqg{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310 — the stand-ins on loopback
            return json.load(r)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


# No phone, no e-mail: no notifications in the outbox beside the portal's messages these tests count.
QUIET = applicant(phone="", email="")


@pytest.fixture
def dvcqg(standins: StandinsControl) -> StandinsControl:
    portal(standins.url, "/_settings", {"reset": True, "session_ttl": 1800})
    return standins


def counter_dossier(world: World) -> dict[str, Any]:
    created = world.client(world.receiver).post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "counter", "applicant": QUIET, "documents": []},
        format="json",
    )
    assert created.status_code == 201, created.json()
    return dict(created.json())


def test_a_dossier_and_all_its_changes_reach_the_portal_in_order(
    world: World, dvcqg: StandinsControl
) -> None:
    d = counter_dossier(world)
    specialist = world.client(world.specialist)
    act(world.client(world.receiver), d["id"], "forward", agency_code="H15.STC")
    act(specialist, d["id"], "request_supplement", items=["Bản sao"], reason="Thiếu bản sao")
    act(world.client(world.receiver), d["id"], "supplement", documents=[{"code": "BS", "name": "Bản sao"}])
    assert OutboxMessage.objects.filter(target="dvcqg").count() == 4  # one for create+receive, one per change
    done = delivery.drain()
    # The first message sends the record and all five entries; the three behind it are closed with it.
    assert (done.delivered, done.failed) == (1, 0)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}
    kept = portal(dvcqg.url, f"/_records/{d['code']}")
    assert kept["record"]["TrangThaiHoSo"] == "4" and kept["record"]["KenhThucHien"] == "1"
    assert [p["TrangThai"] for p in kept["progress"]] == ["1", "2", "4", "5", "4"]
    assert len(kept["record"]["DanhSachHoSoBoSung"]) == 1
    assert Dossier.objects.get(pk=d["id"]).synced_to_national_portal
    # One more change: one more progress entry, the record updated (not added again).
    act(specialist, d["id"], "stop", reason="Người nộp đề nghị dừng")
    delivery.drain()
    kept = portal(dvcqg.url, f"/_records/{d['code']}")
    assert kept["record"]["TrangThaiHoSo"] == "8" and len(kept["progress"]) == 6


def test_an_online_dossier_is_published_from_its_receipt_with_its_submission(
    world: World, dvcqg: StandinsControl
) -> None:
    created = world.client(world.citizen).post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": QUIET, "documents": []},
        format="json",
    )
    assert not OutboxMessage.objects.filter(target="dvcqg").exists()  # no code yet: nothing to publish
    received = act(world.client(world.receiver), created.json()["id"], "receive")
    delivery.drain()
    kept = portal(dvcqg.url, f"/_records/{received['code']}")
    assert [p["TrangThai"] for p in kept["progress"]] == ["1", "2"] and kept["record"]["KenhThucHien"] == "2"


def test_a_backlog_goes_in_shared_calls_and_a_record_the_portal_refuses_fails_alone(
    world: World, dvcqg: StandinsControl
) -> None:
    made = [counter_dossier(world) for _ in range(4)]
    # A code that does not start with the unit's: the portal refuses the call that carries it.
    Dossier.objects.filter(pk=made[1]["id"]).update(code="X-" + made[1]["code"])
    before = portal(dvcqg.url, "/_settings", {})["calls"]
    done = delivery.drain()
    assert (done.delivered, done.failed) == (3, 1)
    failed = OutboxMessage.objects.get(state=State.FAILED)
    assert failed.dossier_id == made[1]["id"] and "madonvi" in failed.last_error
    for d in (made[0], made[2], made[3]):
        assert [p["TrangThai"] for p in portal(dvcqg.url, f"/_records/{d['code']}")["progress"]] == ["1", "2"]
    assert not Dossier.objects.get(pk=made[1]["id"]).synced_to_national_portal
    assert Dossier.objects.filter(synced_to_national_portal=True).count() == 3
    # The refused batch of four, then each record alone, then one progress call for six entries.
    assert portal(dvcqg.url, "/_settings", {})["calls"] - before == 1 + 4 + 1


def test_a_portal_that_is_down_delays_the_sync_and_loses_nothing(
    world: World, dvcqg: StandinsControl
) -> None:
    d = counter_dossier(world)
    dvcqg.fault("dvcqg", "error", count=1)
    done = delivery.drain()
    assert done.retried == 1 and done.delivered == 0
    assert portal(dvcqg.url, f"/_records/{d['code']}") is None
    assert not Dossier.objects.get(pk=d["id"]).synced_to_national_portal
    OutboxMessage.objects.update(next_attempt_at=OutboxMessage.objects.get().created_at)
    assert delivery.drain().delivered == 1
    assert [p["TrangThai"] for p in portal(dvcqg.url, f"/_records/{d['code']}")["progress"]] == ["1", "2"]


def test_a_lapsed_session_is_renewed_mid_batch(world: World, dvcqg: StandinsControl) -> None:
    first, second = counter_dossier(world), counter_dossier(world)
    delivery.drain()
    portal(dvcqg.url, "/_settings", {"expire_sessions": True})
    act(world.client(world.receiver), first["id"], "forward", agency_code="H15.STC")
    act(world.client(world.receiver), second["id"], "forward", agency_code="H15.STC")
    assert delivery.drain().delivered == 2
    assert len(portal(dvcqg.url, f"/_records/{second['code']}")["progress"]) == 3


def test_a_record_the_portal_already_has_is_sent_again_as_an_update(
    world: World, dvcqg: StandinsControl
) -> None:
    d = counter_dossier(world)
    delivery.drain()
    # MotCua lost its note of the add (a restored backup): the add is refused, "đã tồn tại", and resent.
    PortalSync.objects.filter(dossier_id=d["id"]).update(record_accepted_at=None, last_event_id=0)
    act(world.client(world.receiver), d["id"], "forward", agency_code="H15.STC")
    assert delivery.drain().delivered == 1
    kept = portal(dvcqg.url, f"/_records/{d['code']}")
    assert kept["record"]["TrangThaiHoSo"] == "4"
    assert [p["TrangThai"] for p in kept["progress"]] == ["1", "2", "4"]  # the resent entries taken once


def test_the_portals_own_count_of_synced_dossiers_equals_motcuas(
    world: World, dvcqg: StandinsControl
) -> None:
    made = [counter_dossier(world) for _ in range(3)]
    delivery.drain()
    day = made[0]["received_at"][:10]
    theirs = portal(dvcqg.url, f"/_indicators?from={day}&to={day}&unit=H15.TTPV")["synced"]
    ours = Dossier.objects.filter(synced_to_national_portal=True, received_at__date__isnull=False).count()
    assert theirs == ours == 3


def test_the_stand_in_refuses_a_record_that_breaks_the_format_and_it_becomes_a_dead_letter(
    world: World, dvcqg: StandinsControl, settings: Any
) -> None:
    client = NationalPortalClient(config.system("dvcqg"), attempts=1)  # type: ignore[arg-type]
    with pytest.raises(transport.Rejected, match="madonvi"):
        client.upsert_dossier("H99", snapshot())  # the code does not start with the unit
    with pytest.raises(transport.Rejected, match="TrangThaiHoSo"):
        client.upsert_dossier("H15.100", snapshot(status_code=11))
    client.upsert_dossier("H15.100", snapshot())
    assert client.exists("H15.100", "H15.100-261123-0007")
    assert not client.exists("H15.100", "H15.100-261123-0008")


def test_wrong_credentials_are_refused_not_retried(dvcqg: StandinsControl) -> None:
    good = config.system("dvcqg")
    assert good is not None
    bad = config.SystemConfig("dvcqg", good.url, True, dict(good.options) | {"password": "wrong"})
    with pytest.raises(transport.Rejected):
        NationalPortalClient(bad, attempts=1).exists("H15.100", "X")


def test_a_dead_letter_holds_the_dossiers_later_changes(world: World, dvcqg: StandinsControl) -> None:
    d = counter_dossier(world)
    dvcqg.fault("dvcqg", "malformed", count=0)
    delivery.drain()
    OutboxMessage.objects.filter(target="dvcqg").update(state=State.FAILED)
    dvcqg.fault("dvcqg", "")
    act(world.client(world.receiver), d["id"], "forward", agency_code="H15.STC")
    assert delivery.drain().delivered == 0  # the forward waits behind the failed record
    failed = OutboxMessage.objects.get(target="dvcqg", state=State.FAILED)
    from motcua.outbox import services

    services.retry(failed.id)
    delivery.drain()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}
    assert [p["TrangThai"] for p in portal(dvcqg.url, f"/_records/{d['code']}")["progress"]] == [
        "1",
        "2",
        "4",
    ]
