"""The SIPAS form in a real browser at phone width (390 px): the link of a returned dossier, one page
per pillar answered with taps, the optional last page, the thanks; then the same link is closed. No
CSP violation, nothing sticking out sideways. Screenshots in test-artifacts/screenshots."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import counter_dossier
from motcua.portal.tests.browser import Session, chromium  # noqa: F401 — the "browser" fixture
from motcua.sipas import services
from motcua.sipas.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


def test_a_survey_answered_on_a_phone(
    browser: Any, live_server: Any, world: Any, clean_throttle: None
) -> None:
    services.load_questionnaire(data=json.loads(services.DEFAULT_FORM.read_text(encoding="utf-8")))
    today = timezone.localdate()
    services.create_survey(
        actor=world.admin,
        year=2026,
        agency_code="H15",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        sample_size=10,
    )
    dossier = counter_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(status="returned", returned_at=timezone.now())
    dossier.refresh_from_db()
    url = services.invite_for_dossier(dossier)
    assert url
    person = Session(browser, live_server.url, viewport=PHONE_390)
    page = person.page
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("hài lòng")
    assert person.fits()
    person.shot("sipas-390-page1")
    for step in (1, 2):
        for fieldset in page.locator("fieldset.mc-survey-item").all():
            fieldset.get_by_text("4. Hài lòng").click()
        page.get_by_role("button", name="Lưu và tiếp tục").click()
        page.wait_for_url(f"**?buoc={step + 1}")
    assert person.fits()
    page.get_by_text("Không có", exact=True).first.click()  # Q4: no officer causes trouble
    person.shot("sipas-390-last")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn")
    response = Response.objects.get()
    assert response.submitted_at is not None and len(response.answers) == 33
    assert set(response.answers.values()) == {4} and response.perceptions == {"Q4": "Không có"}
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Không thể trả lời phiếu khảo sát này")
    person.close()
