"""Model B and D end to end: the national-channel stand-in pushes its sample dossiers to a live app,
delivers one again, and receives the status back."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.conftest import StandinsControl
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.test_lifecycle import act
from motcua.integrations.inbound.tests.test_pull import channel
from motcua.outbox import delivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_stand_in_pushes_redelivers_and_hears_the_status(
    mapped: World, standins: StandinsControl, live_server: Any, settings: Any
) -> None:
    settings.MOTCUA_INBOUND_SECRETS = {"dvcqg": "", "vneid": ""}  # the stand-ins' own defaults
    channel(standins.url, "/_settings", {"reset": True})
    target = f"{live_server.url}/api/integrations/dvcqg/dossiers"
    pushed = channel(
        standins.url, "/_push", {"model": "B", "target": target, "maTTHC": "2.000150", "times": 2}
    )
    assert [a["status"] for a in pushed["answers"]] == [200, 200]
    assert [a["body"]["error_code"] for a in pushed["answers"]] == [0, 0]
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.receiving_agency.code) == ("submitted", "H15.TTPV")
    act(mapped.client(mapped.receiver), dossier.pk, "receive")
    delivery.drain()
    statuses = channel(standins.url, f"/_state?maHoSo={pushed['maHoSo']}")["statuses"]
    assert [(s["source"], s["trangThai"]) for s in statuses] == [("dvcqg", 2)]
    # A wrong secret and an unknown procedure: refused in the portal's shape, nothing made.
    wrong = channel(standins.url, "/_push", {"model": "B", "target": target, "secret": "sai"})
    unknown = channel(standins.url, "/_push", {"model": "B", "target": target, "maTTHC": "9.9"})
    assert [wrong["answers"][0]["status"], unknown["answers"][0]["status"]] == [401, 400]
    assert unknown["answers"][0]["body"]["error_code"] == -1
    # VNeID's e-form, with the secret as ?CodeGet=.
    vneid = f"{live_server.url}/api/integrations/vneid/dossiers"
    form = channel(standins.url, "/_push", {"model": "D", "target": vneid, "times": 2})
    assert [a["body"]["statusCode"] for a in form["answers"]] == [200, 200]
    assert Dossier.objects.count() == 2
    lltp = Dossier.objects.get(external__external_code=form["maHoSo"])
    act(mapped.client(mapped.receiver), lltp.pk, "refuse", reason="Sai mẫu tờ khai")
    delivery.drain()
    statuses = channel(standins.url, f"/_state?maHoSo={form['maHoSo']}")["statuses"]
    assert [(s["source"], s["trangThai"]) for s in statuses] == [("vneid", 3)]
