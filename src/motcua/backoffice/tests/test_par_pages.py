"""The PAR INDEX pages: the unit's workspace (score with evidence, submit), the appraisers' review
queue and appraisal, the ranking with its fields; who sees what."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.tests.conftest import PDF, World, logged_in
from motcua.par.models import Assessment, Score, ScoreState
from motcua.par.tests.conftest import assessment as assessment  # noqa: F401 — the fixture
from motcua.par.tests.conftest import framework as framework  # noqa: F401 — the fixture
from motcua.par.tests.test_flow import score_all


def test_the_workspace_scores_with_evidence_and_the_leader_submits(
    world: World, assessment: Assessment
) -> None:
    url = f"/can-bo/cchc/{assessment.pk}/H15.STC/"
    page = logged_in(world.specialist).get(url)
    assert page.status_code == 200
    assert 'value="submit"' in logged_in(world.leader).get(url).content.decode()
    assert 'name="self_score"' in page.content.decode() and 'value="submit"' not in page.content.decode()
    sent = logged_in(world.specialist).post(
        url,
        {
            "action": "score",
            "criterion": "1.1.1",
            "self_score": "0,5",
            "note": "KH 12",
            "evidence": SimpleUploadedFile("kh.pdf", PDF),
        },
    )
    assert sent.status_code == 302
    score = Score.objects.get(criterion="1.1.1")
    assert score.self_score == 0.5 and score.note == "KH 12" and score.evidence.count() == 1
    too_much = logged_in(world.specialist).post(
        url, {"action": "score", "criterion": "1.1.1", "self_score": "7"}, follow=True
    )
    assert "self_score" in too_much.content.decode()
    score.refresh_from_db()
    assert score.self_score == 0.5
    wrong_file = logged_in(world.specialist).post(
        url,
        {
            "action": "score",
            "criterion": "1.1.2",
            "self_score": "1",
            "evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00"),
        },
    )
    assert wrong_file.status_code == 302 and not Score.objects.filter(criterion="1.1.2").exists()
    score_all(world, assessment)
    logged_in(world.leader).post(url, {"action": "submit"})
    assert assessment.units.get(agency__code="H15.STC").submitted_at is not None
    assert 'name="self_score"' not in logged_in(world.specialist).get(url).content.decode()


def test_the_review_queue_and_appraisal_are_for_appraisers(world: World, assessment: Assessment) -> None:
    score_all(world, assessment)
    logged_in(world.leader).post(f"/can-bo/cchc/{assessment.pk}/H15.STC/", {"action": "submit"})
    ranking = f"/can-bo/cchc/{assessment.pk}/"
    assert 'id="par-queue"' not in logged_in(world.supervisor).get(ranking).content.decode()
    world.supervisor.user_permissions.add(Permission.objects.get(codename="appraise_assessment"))
    page = logged_in(world.supervisor).get(ranking).content.decode()
    assert 'id="par-queue"' in page and "Sở Tài chính" in page
    unit = f"/can-bo/cchc/{assessment.pk}/H15.STC/"
    logged_in(world.supervisor).post(unit, {"action": "return", "criterion": "1.2", "comment": "Giải trình"})
    assert Score.objects.get(criterion="1.2").state == ScoreState.RETURNED
    logged_in(world.supervisor).post(
        unit, {"action": "appraise", "criterion": "1.1.2", "appraised_score": "1,5"}
    )
    assert Score.objects.get(criterion="1.1.2").appraised_score == 1.5
    # Not an appraiser: nothing changes.
    logged_in(world.leader).post(unit, {"action": "appraise", "criterion": "1.1.1", "appraised_score": "0"})
    assert Score.objects.get(criterion="1.1.1").appraised_score is None


def test_the_ranking_shows_fields_and_hides_other_provinces_units(
    world: World, assessment: Assessment, **_: Any
) -> None:
    page = logged_in(world.admin).get(f"/can-bo/cchc/{assessment.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<details>" in body and "Cải cách thể chế" in body
    assert logged_in(world.admin).get("/can-bo/cchc/").status_code == 200
    assert logged_in(world.commune_receiver).get(f"/can-bo/cchc/{assessment.pk}/").status_code == 404
    assert logged_in(world.specialist).get(f"/can-bo/cchc/{assessment.pk}/H15.100/").status_code == 404
