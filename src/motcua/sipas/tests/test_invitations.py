"""The service-point variant: a one-time, expiring link for the applicant of a returned dossier, and
the public phone-first form behind it (saved page by page, nothing personal, CSRF, rate-limited)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from motcua.core.throttling import WindowThrottle
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World, counter_dossier
from motcua.sipas import selectors, services
from motcua.sipas.models import Invitation, Response, Survey

pytestmark = pytest.mark.usefixtures("clean_throttle")


def returned(world: World) -> Dossier:
    dossier = counter_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(status="returned", returned_at=timezone.now())
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def running(world: World, questionnaire: Any) -> Survey:
    today = timezone.localdate()
    return services.create_survey(
        actor=world.admin,
        year=2026,
        agency_code="H15",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=60),
        sample_size=20,
    )


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_invite_for_dossier_gives_a_link_of_the_resolving_unit(
    world: World, running: Survey, settings: Any
) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://motcua.daklak.gov.vn"
    dossier = returned(world)
    url = services.invite_for_dossier(dossier)
    assert url is not None and url.startswith("https://motcua.daklak.gov.vn/khao-sat/")
    invitation = Invitation.objects.get()
    assert invitation.unit.agency.code == "H15.STC" and invitation.survey == running
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.digest  # only the digest is kept
    # One invitation per dossier per survey.
    assert services.invite_for_dossier(dossier) is None
    assert Invitation.objects.count() == 1


def test_no_link_without_a_running_survey_or_before_the_return(world: World, questionnaire: Any) -> None:
    dossier = counter_dossier(world)
    with pytest.raises(services.Conflict):
        services.invite_for_dossier(dossier)
    assert services.invite_for_dossier(returned(world)) is None  # no survey runs
    assert Invitation.objects.count() == 0


def answer_all(client: Client, url: str, value: str = "5") -> None:
    page = client.get(url)
    assert page.status_code == 200
    codes = sorted(set(re.findall(r'name="(Q9\.\d+)"', page.content.decode())))
    assert codes
    response = client.post(url + "?buoc=1", dict.fromkeys(codes, value))
    assert response.status_code == 302 and response["Location"].endswith("?buoc=2")


def test_the_form_saves_page_by_page_and_closes_once_submitted(world: World, running: Survey) -> None:
    url = path_of(services.invite_for_dossier(returned(world)) or "")
    client = Client()
    answer_all(client, url, "4")
    draft = Response.objects.get()
    assert draft.submitted_at is None and len(draft.answers) == 14 and set(draft.answers.values()) == {4}
    # Not counted until submitted.
    assert selectors.index(running).responses == 0
    second = client.get(url + "?buoc=2").content.decode()
    codes = sorted(set(re.findall(r'name="(Q9\.\d+)"', second)))
    assert len(codes) == 19
    client.post(url + "?buoc=2", {**dict.fromkeys(codes, "2"), codes[0]: ""})
    last = client.get(url + "?buoc=3")
    assert 'name="Q4"' in last.content.decode() and 'name="gender"' in last.content.decode()
    done = client.post(url + "?buoc=3", {"Q4": "Không có", "gender": "Nữ", "Q2": ["Internet", "Người thân"]})
    assert done.status_code == 200
    response = Response.objects.get()
    assert response.submitted_at is not None and response.channel == "online"
    assert response.answers[codes[0]] is None and response.answers[codes[1]] == 2
    assert response.perceptions == {"Q4": "Không có", "Q2": ["Internet", "Người thân"]}
    assert response.respondent == {"gender": "Nữ"}
    result = selectors.index(running)
    assert result.responses == 1 and result.pillars[0].index == 100.0 and result.pillars[1].index == 0.0
    # One-time: the link now shows a clear page with a 410, and nothing more is written.
    again = client.get(url)
    assert again.status_code == 410 and "đã được trả lời" in again.content.decode()
    assert client.post(url + "?buoc=1", {"Q9.1": "1"}).status_code == 410
    assert Response.objects.get().answers["Q9.1"] == 4


def test_an_expired_link_is_a_410_and_writes_nothing(world: World, running: Survey, settings: Any) -> None:
    url = path_of(services.invite_for_dossier(returned(world)) or "")
    days = settings.MOTCUA_SIPAS_INVITATION_DAYS
    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=1)):
        page = Client().get(url)
        assert page.status_code == 410 and "hết hạn" in page.content.decode()
        assert Client().post(url + "?buoc=1", {"Q9.1": "5"}).status_code == 410
    assert Response.objects.count() == 0


def test_an_unknown_token_is_a_404(world: World, running: Survey) -> None:
    assert Client().get("/khao-sat/khong-co-that/").status_code == 404


def test_a_value_off_the_scale_is_a_400_and_nothing_is_written(world: World, running: Survey) -> None:
    url = path_of(services.invite_for_dossier(returned(world)) or "")
    response = Client().post(url + "?buoc=1", {"Q9.1": "7", "Q9.2": "5"})
    assert response.status_code == 400
    assert Response.objects.count() == 0
    bad_choice = Client().post(url + "?buoc=3", {"Q4": "Có rất rất nhiều"})
    assert bad_choice.status_code == 400 and Response.objects.count() == 0
    assert Invitation.objects.get().used_at is None


def test_the_form_needs_the_csrf_token(world: World, running: Survey) -> None:
    url = path_of(services.invite_for_dossier(returned(world)) or "")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url + "?buoc=1", {"Q9.1": "5"}).status_code == 403
    assert Response.objects.count() == 0


def test_the_form_is_rate_limited(world: World, running: Survey, monkeypatch: Any) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"survey": "3/min"})
    client = Client()
    statuses = [client.get("/khao-sat/doan-bua/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_the_survey_period_bounds_the_link(world: World, questionnaire: Any) -> None:
    today = timezone.localdate()
    services.create_survey(
        actor=world.admin,
        year=2026,
        agency_code="H15",
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=2),
        sample_size=5,
    )
    services.invite_for_dossier(returned(world))
    expires = timezone.localtime(Invitation.objects.get().expires_at)
    assert expires.date() == today + timedelta(days=3) and expires.hour == 0
