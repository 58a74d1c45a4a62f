"""End to end: an action writes its notifications, the worker delivers them to the stand-ins, and
they reach the inbox once — through faults, a stopped stand-in and a worker killed mid-send."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import World
from motcua.notifications.tests.conftest import counter_dossier, notices, online_dossier, states
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage, State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("standins")]


@pytest.fixture(autouse=True)
def _through_the_sink(settings: Any) -> None:
    """E-mail to the stand-ins' SMTP sink (MOTCUA_EMAIL_URL empty), short timeouts."""
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": ""}
    settings.MOTCUA_INTEGRATION_TIMEOUT = 0.5


def inbox(url: str, **query: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{url}/inbox?{urllib.parse.urlencode(query)}&format=json", timeout=5) as r:  # noqa: S310 — loopback
        return list(json.load(r)["messages"])


def everything(url: str, phone: str, email: str) -> list[tuple[str, str]]:
    """(channel, template or subject) of all that reached this applicant, oldest first."""
    got = inbox(url, phone=phone)[::-1] + inbox(url, email=email)[::-1]
    return [(m["channel"], m["template"] or m["subject"]) for m in got]


def due_now() -> None:
    OutboxMessage.objects.filter(state=State.PENDING).update(next_attempt_at=timezone.now())


def test_an_action_reaches_the_phone_zalo_and_the_mailbox(world: World, standins: Any) -> None:
    dossier = online_dossier(world, phone="0912 000 201", email="e2e-201@example.vn")
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.PENDING)
    delivery.drain(budget_seconds=10)
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.DELIVERED)
    dossier.refresh_from_db()
    sms = inbox(standins.url, phone="84912000201")
    assert {m["channel"] for m in sms} == {"sms", "zalo"}
    text = next(m["text"] for m in sms if m["channel"] == "sms")
    assert dossier.code in text and f"{timezone.localtime(dossier.due_at):%d/%m/%Y}" in text
    mail = inbox(standins.url, email="e2e-201@example.vn")
    assert len(mail) == 1
    assert mail[0]["subject"] == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả" in mail[0]["text"] and mail[0]["extra"]["html"]


def test_messages_of_a_dossier_arrive_in_order(world: World, standins: Any) -> None:
    dossier = online_dossier(world, phone="0912000202", email="e2e-202@example.vn")
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    services.act(
        actor=world.receiver,
        dossier_id=dossier.id,
        command=commands.RequestSupplement(items=["Điều lệ"], reason="Thiếu chữ ký"),
    )
    delivery.drain(budget_seconds=10)
    assert [m["template"] for m in inbox(standins.url, phone="84912000202") if m["channel"] == "sms"] == [
        "MC_BOSUNG",
        "MC_TIEPNHAN",
    ]  # newest first


@pytest.mark.parametrize("mode", ["error", "timeout"])
def test_a_gateway_that_fails_delays_delivery_and_loses_or_doubles_nothing(
    world: World, standins: Any, mode: str
) -> None:
    phone = {"error": "0912000203", "timeout": "0912000204"}[mode]
    dossier = counter_dossier(world, phone=phone, email="")
    standins.fault("sms", mode, count=1, hold_seconds=1.0)
    delivery.drain(budget_seconds=10)
    assert states(dossier) == {"sms": State.PENDING, "zalo": State.DELIVERED}  # Zalo went; SMS waits
    waiting = notices(dossier).get(target="sms")
    assert waiting.state == State.PENDING and waiting.attempts == 1 and waiting.last_error
    time.sleep(1.2)  # a held request still reaches the gateway after the worker gave up on it
    due_now()
    delivery.drain(budget_seconds=10)
    assert states(dossier) == {"sms": State.DELIVERED, "zalo": State.DELIVERED}
    assert sorted(m["channel"] for m in inbox(standins.url, phone=f"84{phone[1:]}")) == ["sms", "zalo"]


def test_stand_ins_stopped_then_back(world: World, standins: Any, settings: Any) -> None:
    dossier = counter_dossier(world, phone="0912000205", email="e2e-205@example.vn")
    settings.MOTCUA_STANDINS_URL = "http://127.0.0.1:9"  # nothing listens there (nor on :10 for SMTP)
    delivery.drain(budget_seconds=10)
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.PENDING)
    assert all(n.attempts == 1 and n.last_error for n in notices(dossier))
    settings.MOTCUA_STANDINS_URL = standins.url
    due_now()
    delivery.drain(budget_seconds=10)
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.DELIVERED)
    assert len(everything(standins.url, "84912000205", "e2e-205@example.vn")) == 3


def test_a_message_resent_with_its_key_arrives_once(world: World, standins: Any) -> None:
    """The worker was killed between sending and recording: the message is sent again."""
    dossier = counter_dossier(world, phone="0912000206", email="e2e-206@example.vn")
    delivery.drain(budget_seconds=10)
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.DELIVERED)
    notices(dossier).update(state=State.PENDING, delivered_at=None)
    delivery.drain(budget_seconds=10)
    assert states(dossier) == dict.fromkeys(["sms", "zalo", "email"], State.DELIVERED)
    assert sorted(everything(standins.url, "84912000206", "e2e-206@example.vn")) == sorted(
        [("sms", "MC_TIEPNHAN"), ("zalo", "300101"), ("email", f"Hồ sơ {dossier.code} đã được tiếp nhận")]
    )


def test_a_refused_message_is_a_dead_letter_and_holds_nothing_else(world: World, standins: Any) -> None:
    dossier = counter_dossier(world, phone="0912000207", email="")
    notices(dossier).filter(target="zalo").update(
        payload={"to": "0912", "event": "received", "params": {"code": "X", "due_date": "01/01/2027"}}
    )
    delivery.drain(budget_seconds=10)
    assert states(dossier) == {"sms": State.DELIVERED, "zalo": State.FAILED}
