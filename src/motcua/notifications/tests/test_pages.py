"""The notifications on the dossier pages of both sides, and the citizen's choice of channels."""

from __future__ import annotations

import pytest

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import World, logged_in
from motcua.notifications.models import ChannelChoice
from motcua.notifications.tests.conftest import counter_dossier, notices, online_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("channels_on")]


def test_the_citizens_dossier_page_lists_what_was_sent_masked(world: World) -> None:
    dossier = online_dossier(world, phone="0912345678")
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    page = logged_in(world.citizen).get(f"/ho-so/{dossier.id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "84******678" in html and "0912345678" not in html
    assert "a***@example.vn" in html
    assert logged_in(world.other_citizen).get(f"/ho-so/{dossier.id}/").status_code == 404


def test_the_back_office_dossier_page_lists_them_too(world: World) -> None:
    dossier = counter_dossier(world, phone="0912345678", email="")
    html = logged_in(world.receiver).get(f"/can-bo/ho-so/{dossier.id}/").content.decode()
    assert html.count("84******678") == 2  # SMS and Zalo


def test_the_citizen_chooses_channels_and_the_next_action_obeys(world: World) -> None:
    client = logged_in(world.citizen)
    page = client.get("/tai-khoan/thong-bao/")
    assert page.status_code == 200
    assert page.content.decode().count("checked") == 3  # every channel by default
    response = client.post("/tai-khoan/thong-bao/", {"zalo": "on"})
    assert response.status_code == 302
    choice = ChannelChoice.objects.get(user=world.citizen)
    assert (choice.sms, choice.zalo, choice.email) == (False, True, False)
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.id, command=commands.Receive())
    assert list(notices(dossier).values_list("target", flat=True)) == ["zalo"]


def test_only_citizens_choose_channels(world: World) -> None:
    assert logged_in(world.receiver).get("/tai-khoan/thong-bao/").status_code in (302, 403)
