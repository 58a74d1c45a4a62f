"""Logging in with VNeID through the stand-in provider (contract §8.1), and what the session proves."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.dossiers.tests.conftest import CITIZEN_ID, applicant

STANDIN_CITIZEN = "066090001234"  # Nguyễn Văn An, a seeded citizen with no account yet


def to_provider(client: Client, next_path: str = "/ho-so/") -> str:
    response = client.get("/dang-nhap/vneid", {"next": next_path})
    assert response.status_code == 302
    return str(response["Location"])


def approved(authorize_url: str, login_hint: str) -> str:
    """The callback path (with code and state) the provider sends the browser back to."""
    back = httpx.get(f"{authorize_url}&login_hint={login_hint}", follow_redirects=False)
    assert back.status_code == 302, back.text
    parts = urlsplit(back.headers["location"])
    assert parts.path == "/dang-nhap/vneid/callback"
    return f"{parts.path}?{parts.query}"


def vneid_login(client: Client, login_hint: str, next_path: str = "/ho-so/") -> Any:
    return client.get(approved(to_provider(client, next_path), login_hint))


@pytest.fixture
def citizen_client(standins: Any, db: Any) -> Client:
    return Client(enforce_csrf_checks=True)


def test_first_login_opens_a_citizen_account_linked_by_personal_id(
    citizen_client: Client, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    landed = vneid_login(citizen_client, STANDIN_CITIZEN)
    assert landed.status_code == 302 and landed["Location"] == "/ho-so/"
    user = User.objects.get(id_number=STANDIN_CITIZEN)
    assert user.role == "citizen" and user.full_name == "Nguyễn Văn An"
    assert STANDIN_CITIZEN not in user.username and not user.has_usable_password()
    assert citizen_client.session["vneid_verified"] is True
    me = citizen_client.get("/api/v1/me").json()
    assert me == {
        "username": user.username,
        "role": "citizen",
        "agency_code": None,
        "full_name": "Nguyễn Văn An",
        "id_number": STANDIN_CITIZEN,
        "vneid_verified": True,
    }
    # a second login finds the same account
    citizen_client.logout()
    vneid_login(citizen_client, STANDIN_CITIZEN)
    assert User.objects.filter(id_number=STANDIN_CITIZEN).count() == 1
    assert STANDIN_CITIZEN not in caplog.text  # the personal ID never reaches the log


def test_login_links_the_account_createuser_made(world: Any, citizen_client: Client) -> None:
    vneid_login(citizen_client, CITIZEN_ID)
    assert citizen_client.get("/api/v1/me").json()["username"] == world.citizen.username


def test_a_dossier_submitted_in_a_vneid_session_is_vneid_verified(world: Any, citizen_client: Client) -> None:
    vneid_login(citizen_client, CITIZEN_ID)
    csrf = citizen_client.cookies["csrftoken"].value
    body = {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()}
    without_csrf = citizen_client.post("/api/v1/dossiers", body, content_type="application/json")
    assert without_csrf.status_code == 403  # the session is accepted only with its CSRF token
    created = citizen_client.post(
        "/api/v1/dossiers", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert created.status_code == 201, created.content
    assert created.json()["vneid_verified"] is True


def test_a_password_session_or_a_token_is_not_vneid_verified(world: Any, api: Any) -> None:
    token = api.post("/api/v1/auth/token", {"username": "cd", "password": "matkhau-rat-dai"}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    assert api.get("/api/v1/me").json()["vneid_verified"] is False
    created = api.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    )
    assert created.json()["vneid_verified"] is False


def test_a_client_cannot_set_the_index_flags(world: Any) -> None:
    from motcua.conftest import error_of

    body = {
        "procedure_code": "1.000956",
        "channel": "online",
        "applicant": applicant(),
        "vneid_verified": True,
        "population_data_used": True,
        "documents": [{"code": "TK", "name": "Tờ khai", "from_warehouse": True, "reused": True}],
    }
    refused = world.client(world.citizen).post("/api/v1/dossiers", body, format="json")
    assert refused.status_code == 400
    fields = error_of(refused)["fields"]
    assert {
        "vneid_verified",
        "population_data_used",
        "documents.0.from_warehouse",
        "documents.0.reused",
    } == set(fields)
    from motcua.dossiers.models import Dossier

    assert not Dossier.objects.exists()


@pytest.mark.parametrize("tamper", ["wrong_state", "replay", "cancel", "no_pending"])
def test_a_forged_replayed_or_cancelled_callback_opens_no_session(
    citizen_client: Client, tamper: str, caplog: Any
) -> None:
    caplog.set_level(logging.INFO)
    authorize = to_provider(citizen_client)
    if tamper == "cancel":
        back = httpx.get(authorize + "&cancel=1", follow_redirects=False).headers["location"]
        callback = urlsplit(back).path + "?" + urlsplit(back).query
    else:
        callback = approved(authorize, STANDIN_CITIZEN)
    if tamper == "wrong_state":
        query = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
        callback = f"/dang-nhap/vneid/callback?code={query['code']}&state=forged"
    if tamper == "replay":
        assert citizen_client.get(callback).status_code == 302
        citizen_client.logout()
    if tamper == "no_pending":
        citizen_client = Client()
    refused = citizen_client.get(callback, follow=True)
    assert refused.redirect_chain[-1][0] == "/dang-nhap/"
    assert "_auth_user_id" not in citizen_client.session
    page = refused.content.decode()
    assert "VNeID" in page and "alert" in page
    assert STANDIN_CITIZEN not in caplog.text
    assert "vneid login refused" in caplog.text


def test_a_staff_account_with_that_personal_id_is_not_opened(world: Any, citizen_client: Client) -> None:
    world.receiver.id_number = STANDIN_CITIZEN
    world.receiver.save()
    refused = vneid_login(citizen_client, STANDIN_CITIZEN)
    assert refused["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in citizen_client.session


def test_the_login_page_offers_vneid_when_connected_and_says_so_when_not(
    db: Any, settings: Any, standins_url: str
) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    page = Client().get("/dang-nhap/").content.decode()
    assert "Hệ thống này chưa kết nối đăng nhập bằng VNeID." in page
    off = Client().get("/dang-nhap/vneid", follow=True)
    assert off.redirect_chain[-1][0] == "/dang-nhap/"
    settings.MOTCUA_STANDINS_URL = standins_url
    page = Client().get("/dang-nhap/?next=/ho-so/").content.decode()
    assert 'href="/dang-nhap/vneid?next=/ho-so/"' in page


def test_an_unreachable_provider_is_a_message_not_an_error(standins: Any, db: Any) -> None:
    from motcua.integrations.vneid import client as client_module

    client_module._cache.clear()
    standins.fault("vneid", "error")
    response = Client().get("/dang-nhap/vneid", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/dang-nhap/"
    client_module._cache.clear()
