"""Signed electronic results (contract §8.6) against the signing stand-in: the leader's resolve is
the signing step; the dossier is resolved only with a signed, verified result, stored as a new file."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.conftest import error_of
from motcua.dossiers.models import Dossier, ResultSigning
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, applicant
from motcua.dossiers.tests.test_lifecycle import act
from motcua.files.models import StoredFile
from motcua.integrations.signing.tests.helpers import confirm, knobs, result_pdf


@pytest.fixture
def signing(standins: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_SIGNING_WAIT_SECONDS = 0
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)
    yield standins
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)


def at_leader(world: World) -> tuple[int, str]:
    """A dossier at the leader's step, and the id of the leader's unsigned result PDF."""
    citizen, desk, leader = (world.client(u) for u in (world.citizen, world.receiver, world.leader))
    d = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    act(desk, d["id"], "receive")
    act(desk, d["id"], "forward", step="Phê duyệt")
    upload = leader.post(
        "/api/v1/files", {"file": SimpleUploadedFile("kq.pdf", result_pdf())}, format="multipart"
    ).json()
    return d["id"], upload["file_id"]


def resolve(world: World, dossier_id: int, file_id: str) -> Any:
    return world.client(world.leader).post(
        f"/api/v1/dossiers/{dossier_id}/actions",
        {"action": "resolve", "outcome": "approved", "result_file_id": file_id, "note": "Đồng ý"},
        format="json",
    )


def verify(data: bytes) -> dict[str, Any]:
    answer = APIClient().post(
        "/api/v1/results/verify", {"file": SimpleUploadedFile("kq.pdf", data)}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


@pytest.mark.django_db
def test_pending_until_the_leader_confirms_then_resolved_with_a_new_signed_file(
    world: World, signing: Any
) -> None:
    dossier_id, file_id = at_leader(world)
    first = resolve(world, dossier_id, file_id)
    assert first.status_code == 202 and first.json()["signing"]["state"] == "pending"
    d = Dossier.objects.get(pk=dossier_id)
    assert d.status == "processing" and d.result_file_id is None and not d.e_result
    row = ResultSigning.objects.get(dossier_id=dossier_id)
    confirm(signing.url, row.tran_code, "approve")
    done = resolve(world, dossier_id, file_id)  # the same resolve picks the signature up
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "resolved" and body["e_result"] is True
    d.refresh_from_db()
    assert str(d.result_file_id) != file_id  # a new file; the unsigned one is untouched
    signed = StoredFile.objects.get(pk=d.result_file_id)
    data = signed.blob.read()
    assert hashlib.sha256(data).hexdigest() == signed.sha256
    assert StoredFile.objects.get(pk=file_id).sha256 == hashlib.sha256(result_pdf()).hexdigest()
    state = world.client(world.leader).get(f"/api/v1/dossiers/{dossier_id}/signing").json()
    assert state["state"] == "signed" and state["signed_file_id"] == str(signed.id)
    verdict = verify(data)
    assert verdict["valid"] is True
    assert verdict["signer"] == (world.leader.full_name or world.leader.username)
    assert verdict["signed_at"] and verdict["dossier_code"] == d.code
    # The result endpoint serves the signed PDF to staff who may see the dossier.
    got = world.client(world.receiver).get(f"/api/v1/dossiers/{dossier_id}/result")
    assert got.status_code == 200 and b"".join(got.streaming_content) == data


@pytest.mark.django_db
def test_auto_approve_resolves_in_the_same_request(world: World, signing: Any, settings: Any) -> None:
    settings.MOTCUA_SIGNING_WAIT_SECONDS = 5
    knobs(signing.url, auto_approve_seconds=0)
    dossier_id, file_id = at_leader(world)
    done = resolve(world, dossier_id, file_id)
    assert done.status_code == 200 and done.json()["e_result"] is True


@pytest.mark.django_db
def test_a_rejected_or_expired_request_leaves_the_dossier_in_processing(world: World, signing: Any) -> None:
    dossier_id, file_id = at_leader(world)
    assert resolve(world, dossier_id, file_id).status_code == 202
    confirm(signing.url, ResultSigning.objects.get(dossier_id=dossier_id).tran_code, "reject")
    refused = resolve(world, dossier_id, file_id)
    assert refused.status_code == 409 and error_of(refused)["code"] == "signing_rejected"
    d = Dossier.objects.get(pk=dossier_id)
    assert d.status == "processing" and d.result_file_id is None and d.e_result is False
    assert "đang giải quyết" in error_of(refused)["message"]  # the dossier stays in processing
    knobs(signing.url, ttl_seconds=0)
    late = resolve(world, dossier_id, file_id)  # a new request, which lapses before anyone confirms
    assert late.status_code == 409 and error_of(late)["code"] == "signing_expired"
    d.refresh_from_db()
    assert d.status == "processing" and d.result_file_id is None
    assert list(ResultSigning.objects.filter(dossier_id=dossier_id).values_list("state", flat=True)) == [
        "expired",
        "rejected",
    ]


@pytest.mark.django_db
def test_only_the_leader_may_sign_and_an_unsigned_result_is_refused(world: World, signing: Any) -> None:
    dossier_id, file_id = at_leader(world)
    other = world.client(world.specialist).post(
        f"/api/v1/dossiers/{dossier_id}/actions",
        {"action": "resolve", "outcome": "approved", "result_file_id": file_id},
        format="json",
    )
    assert other.status_code in (403, 400)  # not the leader (or not their file): no signing request
    assert not ResultSigning.objects.exists()
    from motcua.dossiers import commands, services

    with pytest.raises(Exception) as refused:
        services.act(
            actor=world.leader,
            dossier_id=dossier_id,
            command=commands.Resolve(outcome="approved", result_file_id=file_id),
        )
    assert getattr(refused.value, "code", "") == "signing_required"
    assert world.client(world.citizen).get(f"/api/v1/dossiers/{dossier_id}/signing").status_code == 404


@pytest.mark.django_db
def test_the_applicant_downloads_the_signed_result_with_code_and_id(world: World, signing: Any) -> None:
    knobs(signing.url, auto_approve_seconds=0)
    dossier_id, file_id = at_leader(world)
    signing_wait = resolve
    assert signing_wait(world, dossier_id, file_id).status_code in (200, 202)
    if Dossier.objects.get(pk=dossier_id).status != "resolved":
        assert resolve(world, dossier_id, file_id).status_code == 200
    desk = world.client(world.receiver)
    act(desk, dossier_id, "return_result", method="online")
    code = Dossier.objects.get(pk=dossier_id).code
    public, pair = APIClient(), {"code": code, "id_number": CITIZEN_ID}
    found = public.post("/api/v1/lookup", pair, format="json").json()
    assert found["e_result"] is True and found["result_downloadable"] is True
    got = public.post("/api/v1/lookup/result", pair, format="json")
    assert got.status_code == 200
    assert verify(b"".join(got.streaming_content))["valid"] is True
    wrong = public.post("/api/v1/lookup/result", {**pair, "id_number": "079200000001"}, format="json")
    assert wrong.status_code == 404


@pytest.mark.django_db
def test_verify_refuses_what_is_not_a_pdf_and_calls_unsigned_or_altered_invalid(
    world: World, signing: Any
) -> None:
    assert verify(result_pdf()) == {"valid": False, "signer": None, "signed_at": None, "dossier_code": None}
    not_pdf = APIClient().post(
        "/api/v1/results/verify", {"file": SimpleUploadedFile("a.pdf", b"hello")}, format="multipart"
    )
    assert not_pdf.status_code == 400
    knobs(signing.url, auto_approve_seconds=0)
    dossier_id, file_id = at_leader(world)
    resolve(world, dossier_id, file_id)
    if Dossier.objects.get(pk=dossier_id).status != "resolved":
        resolve(world, dossier_id, file_id)
    data = StoredFile.objects.get(pk=Dossier.objects.get(pk=dossier_id).result_file_id).blob.read()
    altered = bytearray(data)
    altered[len(data) // 3] ^= 0x01
    assert verify(bytes(altered))["valid"] is False


@pytest.mark.django_db
def test_verify_without_signing_configured_says_so(client: Any, settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    answer = APIClient().post(
        "/api/v1/results/verify", {"file": SimpleUploadedFile("a.pdf", result_pdf())}, format="multipart"
    )
    assert answer.status_code == 503 and error_of(answer)["code"] == "signing_unavailable"


@pytest.mark.django_db
def test_without_a_signing_service_only_a_result_that_verifies_against_the_bundle_counts(
    world: World, standins: Any, settings: Any, tmp_path: Any
) -> None:
    """The USB-token path (integrations.md §7.1): the result was signed elsewhere and uploaded; the
    server only verifies it, against MOTCUA_SIGNING_TRUST_BUNDLE."""
    import httpx

    from motcua.integrations import config
    from motcua.integrations.signing.client import RemoteSigningClient
    from motcua.integrations.signing.ports import Appearance

    settings.MEDIA_ROOT = tmp_path
    knobs(standins.url, auto_approve_seconds=0)
    found = config.system("signing")
    assert found is not None
    client = RemoteSigningClient(found)
    cert = client.certificates("lanhdao.usb", full_name="Lãnh Đạo Token")[0]
    signed = client.poll(
        client.request_signature(result_pdf(), cert, appearance=Appearance("Kết quả"))
    ).signed_pdf
    knobs(standins.url, auto_approve_seconds=None)
    assert signed is not None
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(httpx.get(f"{standins.url}/signing/_root.pem", timeout=5).content)
    settings.MOTCUA_STANDINS_URL = ""  # no signing service
    leader = world.client(world.leader)

    def resolved_with(data: bytes) -> Dossier:
        dossier_id, _unused = at_leader(world)
        upload = leader.post(
            "/api/v1/files", {"file": SimpleUploadedFile("kq.pdf", data)}, format="multipart"
        ).json()
        act(leader, dossier_id, "resolve", outcome="approved", result_file_id=upload["file_id"])
        return Dossier.objects.get(pk=dossier_id)

    assert resolved_with(signed).e_result is False  # no bundle configured: nothing is trusted
    settings.MOTCUA_INTEGRATIONS = {
        **settings.MOTCUA_INTEGRATIONS,
        "signing": {**settings.MOTCUA_INTEGRATIONS["signing"], "trust_bundle": str(bundle)},
    }
    assert resolved_with(signed).e_result is True
    assert resolved_with(result_pdf()).e_result is False  # unsigned


@pytest.mark.django_db
def test_one_signing_request_at_a_time(world: World, signing: Any) -> None:
    dossier_id, file_id = at_leader(world)
    assert resolve(world, dossier_id, file_id).status_code == 202
    other = (
        world.client(world.leader)
        .post(
            "/api/v1/files",
            {"file": SimpleUploadedFile("kq2.pdf", result_pdf("Bản khác"))},
            format="multipart",
        )
        .json()["file_id"]
    )
    second = resolve(world, dossier_id, other)
    assert second.status_code == 409 and error_of(second)["code"] == "signing_pending"
    assert ResultSigning.objects.filter(dossier_id=dossier_id).count() == 1
    assert resolve(world, dossier_id, file_id).status_code == 202  # the same one continues
