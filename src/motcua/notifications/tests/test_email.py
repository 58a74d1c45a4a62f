"""E-mail: where it goes (MOTCUA_EMAIL_URL, or the stand-ins' sink) and what it says."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from motcua.dossiers.tests.conftest import World
from motcua.notifications import channels
from motcua.notifications.tests.conftest import counter_dossier
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage


def test_mail_server_from_the_url(settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": ""}
    assert channels.mail() is None
    assert "email" not in channels.on()
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": "smtp://mot%40cua:p%3Ass@mail.example.vn:587"}
    server = channels.mail()
    assert server is not None
    assert (server.host, server.port, server.username, server.password) == (
        "mail.example.vn",
        587,
        "mot@cua",
        "p:ss",
    )
    assert server.use_tls and not server.use_ssl and not server.standin
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": "smtps://mail.example.vn"}
    server = channels.mail()
    assert server is not None and server.port == 465 and server.use_ssl


def test_the_stand_ins_sink_is_on_their_port_plus_one(settings: Any) -> None:
    settings.MOTCUA_EMAIL = {**settings.MOTCUA_EMAIL, "url": ""}
    settings.MOTCUA_STANDINS_URL = "http://127.0.0.1:8100"
    server = channels.mail()
    assert server is not None
    assert (server.host, server.port, server.use_tls, server.standin) == ("127.0.0.1", 8101, False, True)


@pytest.mark.django_db
@pytest.mark.usefixtures("channels_on")
def test_the_email_is_vietnamese_text_and_html_with_a_message_id_from_the_key(
    world: World, settings: Any
) -> None:
    settings.MOTCUA_INTEGRATION_TIMEOUT = 0.2
    dossier = counter_dossier(world, phone="", email="an@example.vn")
    delivery.drain(budget_seconds=5)
    (sent,) = mail.outbox
    key = OutboxMessage.objects.get(dossier=dossier, target="email").key
    assert sent.extra_headers["Message-ID"] == f"<{key.replace(':', '.')}@motcua>"
    assert sent.to == ["an@example.vn"]
    assert sent.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Kính gửi Nguyễn Văn An" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and f"<strong>{dossier.code}</strong>" in html
