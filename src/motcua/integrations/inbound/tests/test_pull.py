"""Issue 13 item 2's "done when", against the real stand-ins process: a dossier filed on the national
channel (DVC liên thông, model C) is pulled, lands at the right one-stop desk, and its status returns
through the outbox; a re-delivered one is the same dossier; a status receiver that is down delays the
status and loses or doubles nothing. Model B's push goes through the stand-in to a live app."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from motcua.conftest import StandinsControl
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.test_lifecycle import act
from motcua.integrations.inbound import services
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


def channel(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 — the stand-ins on loopback
        f"{url}/lienthong{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 — the stand-ins on loopback
        return json.load(r)


@pytest.fixture
def lienthong(standins: StandinsControl) -> StandinsControl:
    channel(standins.url, "/_settings", {"reset": True})
    return standins


def test_a_pulled_dossier_lands_at_the_right_desk_and_its_status_returns(
    mapped: World, lienthong: StandinsControl
) -> None:
    code = channel(lienthong.url, "/_queue", {"maTTHC": "1.001193", "maDonVi": 100})["maHoSo"]
    assert services.pull() == services.Pulled(created=1)
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel, dossier.receiving_agency.code) == (
        "submitted",
        "online",
        "H15.100.TTPV",
    )
    assert dossier.external.external_code == code and dossier.documents.get().file is not None
    state = channel(lienthong.url, f"/_state?maHoSo={code}")
    assert state["acks"] == [code] and state["waiting"] == []
    # The commune's desk has it in its queue and receives it; the channel hears "received" (2).
    desk = mapped.client(mapped.commune_receiver)
    assert [d["id"] for d in desk.get("/api/v1/dossiers?status=submitted").json()["results"]] == [dossier.pk]
    received = act(desk, dossier.pk, "receive")
    assert delivery.drain().delivered >= 1
    statuses = channel(lienthong.url, f"/_state?maHoSo={code}")["statuses"]
    assert [(s["source"], s["trangThai"]) for s in statuses] == [("lienthong", 2)]
    assert statuses[0]["body"]["soHoSoLT"] == received["code"] and statuses[0]["body"]["coQuanXuLy"] == 100


def test_a_redelivered_dossier_is_pulled_once(mapped: World, lienthong: StandinsControl) -> None:
    code = channel(lienthong.url, "/_queue", {"maTTHC": "1.001193", "maDonVi": 100})["maHoSo"]
    services.pull()
    channel(lienthong.url, "/_redeliver", {"maHoSo": code})
    assert services.pull() == services.Pulled(repeated=1)
    assert Dossier.objects.count() == 1
    assert channel(lienthong.url, f"/_state?maHoSo={code}")["acks"] == [code, code]


def test_an_unknown_procedure_on_the_list_is_not_taken_nor_acknowledged(
    mapped: World, lienthong: StandinsControl
) -> None:
    code = channel(lienthong.url, "/_queue", {"maTTHC": "9.999999", "maDonVi": 100})["maHoSo"]
    assert services.pull() == services.Pulled(refused=1)
    assert not Dossier.objects.exists()
    assert channel(lienthong.url, "/_state")["waiting"] == [code]


def test_a_lapsed_token_is_renewed(mapped: World, lienthong: StandinsControl) -> None:
    channel(lienthong.url, "/_queue", {"maTTHC": "1.001193", "maDonVi": 100})
    services.pull()
    channel(lienthong.url, "/_settings", {"expire_tokens": True})
    channel(lienthong.url, "/_queue", {"maTTHC": "1.001193", "maDonVi": 100})
    assert services.pull() == services.Pulled(created=1)


def test_a_status_receiver_that_is_down_delays_the_status_and_loses_or_doubles_nothing(
    mapped: World, lienthong: StandinsControl
) -> None:
    code = channel(lienthong.url, "/_queue", {"maTTHC": "1.001193", "maDonVi": 100})["maHoSo"]
    services.pull()
    dossier = Dossier.objects.get()
    desk = mapped.client(mapped.commune_receiver)
    act(desk, dossier.pk, "receive")
    act(desk, dossier.pk, "forward", agency_code="H15.100")
    pending = OutboxMessage.objects.filter(target="inbound")
    lienthong.fault("lienthong", "error", count=10)
    delivery.drain()
    assert set(pending.values_list("state", flat=True)) == {State.PENDING}
    assert pending.order_by("id").first().attempts == 1  # type: ignore[union-attr]
    lienthong.fault("lienthong", "")  # back up
    assert channel(lienthong.url, f"/_state?maHoSo={code}")["statuses"] == []
    pending.update(next_attempt_at=OutboxMessage.objects.earliest("created_at").created_at)
    delivery.drain()
    assert set(pending.values_list("state", flat=True)) == {State.DELIVERED}
    # Delivered again (a worker killed before recording it): the receiver takes it once.
    pending.update(
        state=State.PENDING, next_attempt_at=OutboxMessage.objects.earliest("created_at").created_at
    )
    delivery.drain()
    state = channel(lienthong.url, f"/_state?maHoSo={code}")
    assert [s["trangThai"] for s in state["statuses"]] == [2, 4]
    assert set(pending.values_list("state", flat=True)) == {State.DELIVERED}


def test_a_counter_dossier_sends_nothing_back(mapped: World, lienthong: StandinsControl) -> None:
    created = mapped.client(mapped.receiver).post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.000956",
            "channel": "counter",
            "applicant": {"kind": "individual", "full_name": "A", "id_number": "066195012345"},
            "documents": [],
        },
        format="json",
    )
    act(mapped.client(mapped.receiver), created.json()["id"], "forward", agency_code="H15.STC")
    assert not OutboxMessage.objects.filter(target="inbound").exists()
