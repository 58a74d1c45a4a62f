"""The public petition pages: the form (logged in or not, attachments checked by content, limits),
the link from a dossier's page and from the look-up, the published answers searched without
diacritics and shown escaped without personal data, and the sender's one evaluation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.tests.conftest import CITIZEN_ID, PDF, counter_dossier, logged_in
from motcua.petitions import commands, services
from motcua.petitions.lifecycle import Action
from motcua.petitions.models import Attachment, Evaluation, Petition
from motcua.petitions.tests.conftest import PHONE, sent

pytestmark = pytest.mark.usefixtures("clean_throttle")


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Cán bộ yêu cầu giấy tờ ngoài quy định",
        "content": "Bộ phận một cửa yêu cầu nộp thêm bản sao công chứng.",
        "about": "procedure",
        "agency_code": "H15.STC",
        "full_name": "Trần Thị Bình",
        "phone": PHONE,
        "publish_consent": "on",
    }
    data.update(changes)
    return data


def test_anyone_sends_a_petition_with_an_attachment(world: Any) -> None:
    response = Client().post(
        "/phan-anh/gui/", {**form(), "file_0": SimpleUploadedFile("don.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    petition = Petition.objects.get()
    assert response["Location"] == f"/phan-anh/da-gui/{petition.code}/"
    assert PHONE not in response["Location"]
    assert Attachment.objects.get().file.content_type == "application/pdf"
    page = Client().get(response["Location"]).content.decode()
    assert petition.code in page and PHONE not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content": "   "}, "content"),
        ({"content": "x" * 200_000}, "content"),
        ({"phone": ""}, "phone"),
        ({"agency_code": "", "dossier_code": ""}, "agency_code"),
        ({"agency_code": "", "dossier_code": "H15.TTPV-261202-9999"}, "dossier_code"),
    ],
)
def test_bad_input_writes_nothing(world: Any, changes: dict[str, Any], field: str) -> None:
    response = Client().post("/phan-anh/gui/", form(**changes))
    assert response.status_code == 400
    assert re.search(rf'id="id_{field}_error"', response.content.decode())
    assert Petition.objects.count() == 0


def test_a_text_file_dressed_as_a_pdf_is_refused(world: Any) -> None:
    fake = SimpleUploadedFile("don.pdf", b"just text, not a PDF", "application/pdf")
    response = Client().post("/phan-anh/gui/", {**form(), "file_0": fake})
    assert response.status_code == 400 and Petition.objects.count() == 0
    assert 'id="id_file_0_error"' in response.content.decode()


def test_the_form_is_rate_limited(world: Any) -> None:
    client = Client()
    statuses = [client.post("/phan-anh/gui/", form()).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert Petition.objects.count() == 5


def test_the_dossier_page_and_the_lookup_link_to_the_form(world: Any) -> None:
    dossier = counter_dossier(world)
    dossier.applicant_user = world.citizen
    dossier.save()
    link = f'href="/phan-anh/gui/?ho-so={dossier.code}"'
    assert link in logged_in(world.citizen).get(f"/ho-so/{dossier.pk}/").content.decode()
    found = Client().post("/tra-cuu/", {"code": dossier.code, "id_number": CITIZEN_ID}).content.decode()
    assert link in found and "Phản ánh về hồ sơ này" in found
    prefilled = Client().get(f"/phan-anh/gui/?ho-so={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in prefilled
    response = Client().post("/phan-anh/gui/", form(agency_code="", dossier_code=dossier.code.lower()))
    assert response.status_code == 302
    assert Petition.objects.get().dossier == dossier


def publish(world: Any, petition: Petition) -> None:
    for action, extra in (
        (Action.ACCEPT, {}),
        (Action.ANSWER, {"answer": "Sở đã <b>chấn chỉnh</b>."}),
        (Action.PUBLISH, {}),
    ):
        services.act(actor=world.leader, petition_id=petition.pk, command=commands.Command(action, **extra))


def test_published_answers_are_searched_without_diacritics_and_escaped(world: Any) -> None:
    shown = sent(world, title="Phí cấp <script>alert(1)</script> giấy phép", content="Gọi tôi 0905123456")
    hidden = sent(world, title="Chưa trả lời")
    publish(world, shown)
    html = Client().get("/phan-anh/", {"q": "phi cap"}).content.decode()
    assert shown.code in html and hidden.code not in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert Client().get("/phan-anh/", {"q": "khong co gi"}).content.decode().count("/phan-anh/PAKN-") == 0
    assert (
        shown.code in Client().get("/phan-anh/", {"about": "procedure", "agency": "H15.STC"}).content.decode()
    )
    assert shown.code not in Client().get("/phan-anh/", {"agency": "H15.16"}).content.decode()
    page = Client().get(f"/phan-anh/{shown.code}/").content.decode()
    assert "&lt;b&gt;chấn chỉnh&lt;/b&gt;" in page
    for secret in (PHONE, "Trần Thị Bình", "binh@example.vn", "0905123456"):
        assert secret not in page
    assert Client().get(f"/phan-anh/{hidden.code}/").status_code == 404


def test_the_sender_evaluates_once(world: Any) -> None:
    petition = sent(world)
    publish(world, petition)
    url = f"/phan-anh/{petition.code}/"
    assert Client().post(url, {"proof": "0999999999", "satisfied": "yes"}).status_code == 404
    assert Client().post(url, {"proof": PHONE, "satisfied": "no"}).status_code == 200
    assert Evaluation.objects.get().satisfied is False
    assert Client().post(url, {"proof": PHONE, "satisfied": "yes"}).status_code == 409
    assert Evaluation.objects.get().satisfied is False


def test_the_pages_keep_to_the_content_security_policy(world: Any) -> None:
    petition = sent(world)
    publish(world, petition)
    for response in (
        Client().get("/phan-anh/"),
        Client().get("/phan-anh/gui/"),
        Client().get(f"/phan-anh/{petition.code}/"),
    ):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        assert not re.search(r"\sstyle=", html) and "<style" not in html
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
