"""The dossier's change writes its notifications in its own transaction, one per channel."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.workflow import Action
from motcua.notifications import services as notifications
from motcua.notifications.models import Skipped
from motcua.notifications.tests.conftest import counter_dossier, notices, online_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("channels_on")]


def test_a_counter_dossier_is_notified_on_every_channel_at_once(world: World) -> None:
    dossier = counter_dossier(world)
    rows = list(notices(dossier).order_by("target"))
    assert [r.target for r in rows] == ["email", "sms", "zalo"]
    event_id = dossier.events.get(action="receive").id
    for row in rows:
        assert row.key == f"notify:{dossier.id}:{event_id}:{row.target}"
        assert row.stream == f"notify:{dossier.id}:{row.target}"
        assert row.event == "received"
        assert row.state == "pending"
        assert row.payload["params"]["code"] == dossier.code
        assert row.payload["params"]["due_date"]  # the appointment
    by = {r.target: r.payload["to"] for r in rows}
    assert by == {"sms": "84912345678", "zalo": "84912345678", "email": "an@example.vn"}


def test_actions_that_tell_the_applicant_and_those_that_do_not(world: World) -> None:
    dossier = online_dossier(world)
    assert not notices(dossier).exists()  # submitted: nothing yet
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Forward(agency_code="H15.STC"))
    services.act(
        actor=world.specialist, dossier_id=dossier.id, command=commands.RequestPayment(amount_vnd=1500000)
    )
    events = list(notices(dossier).filter(target="sms").values_list("event", flat=True))
    assert events == ["received", "payment_requested"]
    payment = notices(dossier).get(target="sms", event="payment_requested")
    assert payment.payload["params"]["amount"] == "1.500.000"


def test_a_change_rolled_back_takes_its_notifications_with_it(world: World) -> None:
    dossier = online_dossier(world)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
        assert notices(dossier).count() == 3
        raise Undo
    assert not notices(dossier).exists()


def test_an_unusable_number_is_skipped_and_recorded_not_an_error(world: World) -> None:
    dossier = counter_dossier(world, phone="024 3333 4444", email="not-an-address")
    assert dossier.status == "received"
    assert not notices(dossier).exists()
    skipped = {(s.channel, s.reason) for s in Skipped.objects.filter(dossier=dossier)}
    assert skipped == {
        ("sms", "not a Vietnamese mobile number"),
        ("zalo", "not a Vietnamese mobile number"),
        ("email", "not an e-mail address"),
    }


def test_no_phone_no_email_nothing_to_tell(world: World) -> None:
    dossier = counter_dossier(world, phone="", email="")
    assert not notices(dossier).exists()
    assert not Skipped.objects.filter(dossier=dossier).exists()


def test_the_citizens_choice_of_channels_is_honoured(world: World) -> None:
    notifications.choose_channels(user=world.citizen, sms=False, zalo=True, email=False)
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    assert list(notices(dossier).values_list("target", flat=True)) == ["zalo"]


def test_a_channel_that_is_off_gets_nothing(world: World, settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""  # SMS and Zalo off; e-mail stays on (locmem)
    dossier = counter_dossier(world)
    assert list(notices(dossier).values_list("target", flat=True)) == ["email"]


def test_refused_and_stopped_are_told(world: World) -> None:
    refused = counter_dossier(world)
    services.act(
        actor=world.receiver,
        dossier_id=refused.id,
        command=commands.Close(closing=Action.REFUSE, reason="Thiếu"),
    )
    assert notices(refused).filter(event="refused").count() == 3
