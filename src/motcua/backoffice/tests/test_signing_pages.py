"""The leader's resolve in the back-office is the signing step (contract §8.6); the public page that
checks a result (/kiem-tra-ket-qua/). Against the signing stand-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier, ResultSigning
from motcua.dossiers.tests.conftest import counter_dossier as counter
from motcua.dossiers.tests.conftest import logged_in
from motcua.files.models import StoredFile
from motcua.integrations.signing.tests.helpers import confirm, knobs, result_pdf


@pytest.fixture
def signing(standins: Any, settings: Any, tmp_path: Any, clean_throttle: None) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_SIGNING_WAIT_SECONDS = 0
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)
    yield standins
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)


def test_the_leader_signs_in_the_app_then_checks_and_the_dossier_is_resolved(
    world: Any, signing: Any
) -> None:
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    leader = logged_in(world.leader)
    page = leader.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "signing-title" in page  # the resolve form says the result goes to the signing app
    sent = leader.post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/",
        {
            "resolve-outcome": "approved",
            "resolve-note": "Đồng ý",
            "resolve-result_file": SimpleUploadedFile("kq.pdf", result_pdf(), content_type="application/pdf"),
        },
    )
    assert sent.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.result_file_id is None
    waiting = leader.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert 'name="resolve-outcome" value="approved"' in waiting  # "Check the signature"
    tran_code = ResultSigning.objects.get(dossier=dossier).tran_code
    assert f"/signing/confirm/{tran_code}" in waiting  # the stand-in's "app", one click away
    confirm(signing.url, ResultSigning.objects.get(dossier=dossier).tran_code, "approve")
    checked = leader.post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/",
        {"resolve-outcome": "approved", "resolve-note": "Đồng ý"},
    )
    assert checked.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "resolved" and dossier.e_result
    assert ResultSigning.objects.get(dossier=dossier).signed_file_id == dossier.result_file_id


def test_a_rejection_shows_on_the_page_and_leaves_the_dossier(world: Any, signing: Any) -> None:
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    leader = logged_in(world.leader)
    leader.post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/",
        {
            "resolve-outcome": "approved",
            "resolve-result_file": SimpleUploadedFile("kq.pdf", result_pdf(), content_type="application/pdf"),
        },
    )
    confirm(signing.url, ResultSigning.objects.get(dossier=dossier).tran_code, "reject")
    refused = leader.post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/", {"resolve-outcome": "approved"})
    assert refused.status_code == 409
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"


def test_the_public_check_page(world: Any, signing: Any) -> None:
    page = Client().get("/kiem-tra-ket-qua/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert 'name="viewport"' in page.content.decode()
    unsigned = Client().post("/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("a.pdf", result_pdf())})
    assert unsigned.status_code == 200 and "mc-tone-danger" in unsigned.content.decode()
    not_pdf = Client().post("/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("a.pdf", b"hello")})
    assert not_pdf.status_code == 400
    knobs(signing.url, auto_approve_seconds=0)
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    logged_in(world.leader).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/",
        {
            "resolve-outcome": "approved",
            "resolve-result_file": SimpleUploadedFile("kq.pdf", result_pdf(), content_type="application/pdf"),
        },
    )
    dossier.refresh_from_db()
    if dossier.status != "resolved":
        logged_in(world.leader).post(
            f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/", {"resolve-outcome": "approved"}
        )
        dossier.refresh_from_db()
    signed = StoredFile.objects.get(pk=dossier.result_file_id).blob.read()
    good = (
        Client().post("/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("kq.pdf", signed)}).content.decode()
    )
    assert "mc-tone-success" in good and str(dossier.code) in good
