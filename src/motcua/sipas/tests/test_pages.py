"""The back-office SIPAS pages: staff see the surveys that concern them, with progress, pillars,
elements and each unit's weakest items; citizens and strangers do not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import Client

from motcua.core import replica
from motcua.dossiers.tests.conftest import World, logged_in
from motcua.sipas import services
from motcua.sipas.models import Survey


def test_the_survey_page_shows_index_units_and_weakest_items(world: World, survey: Survey) -> None:
    for n, (unit, value) in enumerate([("H15.STC", 5), ("H15.STC", 4), ("H15.105", 2)]):
        services.enter_paper_form(
            actor=world.admin,
            survey_id=survey.pk,
            unit_code=unit,
            answers={"Q9.1": value, "Q9.23": 5, "Q9.28": 1},
            perceptions={"Q4": "Có một số" if n == 2 else "Không có"},
            form_number=f"F{n}",
        )
    listing = logged_in(world.supervisor).get("/can-bo/khao-sat/")
    assert listing.status_code == 200 and f"/can-bo/khao-sat/{survey.pk}/" in listing.content.decode()
    page = logged_in(world.supervisor).get(f"/can-bo/khao-sat/{survey.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    # STC: Q9.1 100, Q9.23 100, Q9.28 0 → I = 100 (one element measured), II = (100 + 0) / 2 = 50.
    assert "Sở Tài chính tỉnh Đắk Lắk" in html and "75,00 %</span>" in html  # Vietnamese decimal comma
    assert 'Q9.28 Kết quả được trả đúng hạn: <strong><span class="text-nowrap">0,00 %</span></strong>' in html
    assert "3/40 phiếu" in html
    # Q4: two of the three forms say no officer causes trouble.
    assert "Không có: <strong>66,67 %</strong>" in html and "Có một số: <strong>33,33 %</strong>" in html


def test_citizens_and_other_trees_cannot_see_a_survey(
    world: World, survey: Survey, questionnaire: Any
) -> None:
    assert logged_in(world.citizen).get(f"/can-bo/khao-sat/{survey.pk}/").status_code == 403
    assert Client().get(f"/can-bo/khao-sat/{survey.pk}/").status_code == 302
    from motcua.accounts.services import create_user
    from motcua.agencies.services import create_agency

    create_agency(code="H16", name="Ủy ban nhân dân tỉnh khác", kind="province")
    stranger = create_user(
        username="gs.h16", password="matkhau-rat-dai", role="supervisor", agency_code="H16"
    )
    assert logged_in(stranger).get(f"/can-bo/khao-sat/{survey.pk}/").status_code == 404
    assert (
        f"/can-bo/khao-sat/{survey.pk}/" not in logged_in(stranger).get("/can-bo/khao-sat/").content.decode()
    )


def test_the_admin_refuses_a_province_question_with_a_code_already_used(
    world: World, questionnaire: Any
) -> None:
    from motcua.sipas.models import Element

    admin = logged_in(world.admin)
    element = Element.objects.get(code="II.3")
    taken = admin.post(
        "/admin/sipas/item/add/", {"element": element.pk, "code": "Q9.1", "text": "Trùng mã", "order": 9}
    )
    assert taken.status_code == 200 and "Q9.1" in taken.content.decode()
    added = admin.post(
        "/admin/sipas/item/add/",
        {"element": element.pk, "code": "T.1", "text": "Công chức đeo thẻ", "order": 9, "local": "on"},
    )
    assert added.status_code == 302
    assert element.pillar.questionnaire.items.filter(code="T.1", local=True).exists()


def test_the_index_pages_read_from_the_replica(world: World, survey: Survey, monkeypatch: Any) -> None:
    entered: list[str] = []

    @contextmanager
    def spy(**kwargs: Any) -> Iterator[None]:
        entered.append("replica")
        yield

    monkeypatch.setattr(replica, "replica_reads", spy)
    assert logged_in(world.supervisor).get(f"/can-bo/khao-sat/{survey.pk}/").status_code == 200
    assert world.client(world.supervisor).get(f"/api/v1/sipas/index?survey={survey.pk}").status_code == 200
    assert entered == ["replica", "replica"]
