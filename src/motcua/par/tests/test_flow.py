"""The assessment flow over the API (contract §11): self-scores with evidence, submission by the
deadline, appraisal by the council, returns for explanation; bad input and permissions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.accounts.models import User
from motcua.conftest import error_of
from motcua.dossiers.tests.conftest import PDF, World
from motcua.files.models import StoredFile
from motcua.par import engine, services
from motcua.par.models import Assessment, Framework, Score
from motcua.par.tests.conftest import YEAR

BASE = "/api/v1/par/assessments"


def self_leaves(framework: Framework) -> list[engine.Criterion]:
    return [leaf for _f, leaf in engine.parse(framework.tree).leaves() if leaf.method == "self"]


def score_all(world: World, assessment: Assessment, unit: str = "H15.STC", fraction: str = "1") -> None:
    for leaf in self_leaves(assessment.framework):
        services.set_self_score(
            actor=world.specialist if unit == "H15.STC" else world.other_specialist,
            assessment_id=assessment.pk,
            unit_code=unit,
            criterion=leaf.code,
            self_score=engine.round2(leaf.max_points * engine.Decimal(fraction)),
        )


def upload(world: World, name: str, content: bytes) -> Any:
    return world.client(world.specialist).post(
        "/api/v1/files", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def test_admin_opens_an_assessment(world: World, framework: Framework) -> None:
    response = world.client(world.admin).post(
        BASE, {"year": YEAR, "framework": "SO-NGANH", "unit_codes": ["H15.STC", "H15.16"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(u["unit_code"] for u in body["units"]) == ["H15.16", "H15.STC"]
    assert all(u["submitted_at"] is None for u in body["units"])
    assert body["deadline"].startswith(f"{YEAR + 1}-01-15T23:59:59")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"framework": "KHAC"}, "framework"),
        ({"unit_codes": ["H15.STC", "H99"]}, "unit_codes"),
        ({"unit_codes": []}, "unit_codes"),
    ],
)
def test_opening_with_bad_input_names_the_field(
    world: World, framework: Framework, body: dict[str, Any], field: str
) -> None:
    response = world.client(world.admin).post(
        BASE, {"year": YEAR, "framework": "SO-NGANH", "unit_codes": ["H15.STC"]} | body, format="json"
    )
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not Assessment.objects.exists()


def test_only_admins_open_assessments(world: World, framework: Framework) -> None:
    response = world.client(world.leader).post(
        BASE, {"year": YEAR, "framework": "SO-NGANH", "unit_codes": ["H15.STC"]}, format="json"
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_self_score_with_evidence_and_note(world: World, assessment: Assessment) -> None:
    file_id = upload(world, "ke-hoach.pdf", PDF).json()["file_id"]
    response = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1",
        {"self_score": 1, "evidence_file_ids": [file_id], "note": "Kế hoạch số 12/KH-STC ngày 10/01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["self_score"] == 1 and body["evidence_file_ids"] == [file_id] and body["state"] == "draft"
    assert body["note"].startswith("Kế hoạch")


@pytest.mark.parametrize("value", [1.01, -0.5, 2, "abc"])
def test_a_self_score_outside_0_to_max_is_400_naming_the_field(
    world: World, assessment: Assessment, value: Any
) -> None:
    response = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": value}, format="json"
    )
    assert response.status_code == 400
    assert "self_score" in error_of(response)["fields"]
    assert not Score.objects.exists()


def test_a_computed_criterion_is_not_self_scored(world: World, assessment: Assessment) -> None:
    response = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/3.3.1", {"self_score": 1}, format="json"
    )
    assert response.status_code == 400 and "criterion" in error_of(response)["fields"]
    unknown = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/99.9", {"self_score": 1}, format="json"
    )
    assert unknown.status_code == 404


def test_evidence_of_the_wrong_type_is_refused(world: World, assessment: Assessment) -> None:
    # The upload itself is checked by content: a script named .pdf is refused there.
    refused = upload(world, "bang-chung.pdf", b"#!/bin/sh\necho hello\n")
    assert refused.status_code == 400 and "file" in error_of(refused)["fields"]
    # A stored file of another kind (e.g. kept from before the content check) is not evidence.
    stored = StoredFile.objects.create(name="ghi-chu.txt", content_type="text/plain", size=3, sha256="0" * 64)
    response = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1",
        {"self_score": 1, "evidence_file_ids": [str(stored.pk)]},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "evidence_file_ids.0": [error_of(response)["fields"]["evidence_file_ids.0"][0]]
    }
    unknown = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1",
        {"self_score": 1, "evidence_file_ids": ["not-a-uuid"]},
        format="json",
    )
    assert unknown.status_code == 400 and "evidence_file_ids.0" in error_of(unknown)["fields"]
    assert not Score.objects.exists()


def test_another_units_officer_cannot_score(world: World, assessment: Assessment) -> None:
    response = world.client(world.other_specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": 1}, format="json"
    )
    assert response.status_code == 403
    assert (
        world.client(world.citizen)
        .put(f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": 1}, format="json")
        .status_code
        == 404
    )


def test_submit_needs_every_self_criterion_and_the_leader(world: World, assessment: Assessment) -> None:
    url = f"{BASE}/{assessment.pk}/units/H15.STC/submit"
    missing = world.client(world.leader).post(url)
    assert missing.status_code == 400 and "scores.1.1.1" in error_of(missing)["fields"]
    score_all(world, assessment)
    assert world.client(world.specialist).post(url).status_code == 403
    done = world.client(world.leader).post(url)
    assert done.status_code == 200 and done.json()["submitted_at"]
    assert world.client(world.leader).post(url).status_code == 409
    # Submitted: the scores are closed to the unit.
    again = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": 0}, format="json"
    )
    assert again.status_code == 409 and error_of(again)["code"] == "already_submitted"


def test_submission_after_the_deadline_is_refused(world: World, assessment: Assessment) -> None:
    score_all(world, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = world.client(world.leader).post(f"{BASE}/{assessment.pk}/units/H15.STC/submit")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "deadline_passed" and "deadline" in error["fields"]
    assessment.refresh_from_db()
    assert assessment.units.get(agency__code="H15.STC").submitted_at is None
    late = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": 0}, format="json"
    )
    assert (
        late.status_code == 409
        and Score.objects.get(unit__agency__code="H15.STC", criterion="1.1.1").self_score == 1
    )


def appraiser(world: World) -> User:
    user = world.supervisor  # an officer of the province, given the appraiser permission
    user.user_permissions.add(Permission.objects.get(codename="appraise_assessment"))
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


def test_appraisal_by_a_non_appraiser_is_403(world: World, assessment: Assessment) -> None:
    score_all(world, assessment)
    services.submit(actor=world.leader, assessment_id=assessment.pk, unit_code="H15.STC")
    url = f"{BASE}/{assessment.pk}/units/H15.STC/appraisals/1.1.2"
    for user in (world.supervisor, world.leader, world.specialist):
        assert world.client(user).put(url, {"appraised_score": 1}, format="json").status_code == 403
    assert Score.objects.get(unit__agency__code="H15.STC", criterion="1.1.2").appraised_score is None
    assert (
        world.client(appraiser(world))
        .put(url, {"appraised_score": 1.5, "comment": "Đạt 75 %"}, format="json")
        .status_code
        == 200
    )


def test_appraisal_waits_for_the_submission_and_keeps_to_the_maximum(
    world: World, assessment: Assessment
) -> None:
    score_all(world, assessment)
    url = f"{BASE}/{assessment.pk}/units/H15.STC/appraisals/1.1.2"
    early = world.client(world.admin).put(url, {"appraised_score": 1}, format="json")
    assert early.status_code == 409 and error_of(early)["code"] == "not_submitted"
    services.submit(actor=world.leader, assessment_id=assessment.pk, unit_code="H15.STC")
    over = world.client(world.admin).put(url, {"appraised_score": 2.5}, format="json")
    assert over.status_code == 400 and "appraised_score" in error_of(over)["fields"]
    ok = world.client(world.admin).put(
        url, {"appraised_score": 1.5, "comment": "Thiếu minh chứng quý IV"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["appraised_score"] == 1.5 and ok.json()["state"] == "appraised"


def test_a_returned_criterion_is_explained_then_appraised(world: World, assessment: Assessment) -> None:
    score_all(world, assessment)
    services.submit(actor=world.leader, assessment_id=assessment.pk, unit_code="H15.STC")
    url = f"{BASE}/{assessment.pk}/units/H15.STC/appraisals/1.2"
    admin = world.client(world.admin)
    assert error_of(admin.put(url, {"returned": True}, format="json"))["fields"].keys() == {"comment"}
    returned = admin.put(url, {"returned": True, "comment": "Giải trình cách tính"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    blocked = admin.put(url, {"appraised_score": 1}, format="json")
    assert blocked.status_code == 409 and error_of(blocked)["code"] == "awaiting_explanation"
    # The unit may answer the returned criterion, even after submitting; not any other.
    other = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.1.1", {"self_score": 0}, format="json"
    )
    assert other.status_code == 409
    explained = world.client(world.specialist).put(
        f"{BASE}/{assessment.pk}/units/H15.STC/scores/1.2",
        {"self_score": 1, "note": "Báo cáo quý III chậm 2 ngày"},
        format="json",
    )
    assert explained.status_code == 200 and explained.json()["state"] == "explained"
    done = admin.put(url, {"appraised_score": 1, "comment": "Chấp nhận giải trình"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "appraised"
