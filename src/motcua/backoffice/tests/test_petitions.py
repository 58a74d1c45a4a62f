"""The petition pages of the back-office: the queue (overdue first), classification, the actions
with the leader's approval of the answer, publication only with consent, desk entry."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from motcua.dossiers.tests.conftest import logged_in
from motcua.petitions.models import Petition, PetitionEvent
from motcua.petitions.tests.conftest import other_leader, sent


def test_the_queue_shows_the_agencys_petitions_overdue_first(world: Any) -> None:
    later = sent(world, title="Hỏi về lệ phí")
    late = sent(world, title="Chậm trả kết quả")
    Petition.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
    sent(world, agency_code="H15.16", title="Gửi Sở Xây dựng")
    html = logged_in(world.specialist).get("/can-bo/phan-anh/").content.decode()
    codes = re.findall(r'class="mc-code" href="/can-bo/phan-anh/\d+/">([^<]+)<', html)
    assert codes == [late.code, later.code]
    assert "Gửi Sở Xây dựng" not in html and "Quá hạn" in html
    assert logged_in(world.citizen).get("/can-bo/phan-anh/").status_code == 403


def test_forward_needs_a_reason_on_the_page_and_moves_the_petition(world: Any) -> None:
    petition = sent(world)
    page = logged_in(world.specialist)
    url = f"/can-bo/phan-anh/{petition.pk}/xu-ly/forward/"
    refused = page.post(url, {"agency_code": "H15.16", "reason": ""})
    assert refused.status_code == 400 and Petition.objects.get().status == "received"
    done = page.post(url, {"agency_code": "H15.16", "reason": "Thuộc thẩm quyền Sở Xây dựng"})
    assert done.status_code == 302
    moved = Petition.objects.get()
    assert (moved.status, moved.agency.code) == ("forwarded", "H15.16")
    # The forwarding department still reads it, but has no action left on it.
    html = page.get(f"/can-bo/phan-anh/{petition.pk}/").content.decode()
    assert "Không có thao tác" in html or "No action" in html


def test_a_draft_answer_waits_for_the_leader_then_is_published(world: Any) -> None:
    petition = sent(world, content="<script>alert('x')</script> Nội dung")
    specialist, leader = logged_in(world.specialist), logged_in(world.leader)
    base = f"/can-bo/phan-anh/{petition.pk}"
    assert specialist.post(f"{base}/xu-ly/accept/").status_code == 302
    assert specialist.post(f"{base}/xu-ly/answer/", {"answer": "Dự thảo trả lời"}).status_code == 302
    assert Petition.objects.get().status == "accepted"
    html = leader.get(f"{base}/").content.decode()
    assert "Dự thảo trả lời" in html  # the leader's form starts from the draft
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert leader.post(f"{base}/xu-ly/answer/", {"answer": "Dự thảo trả lời, đã duyệt"}).status_code == 302
    assert leader.post(f"{base}/xu-ly/publish/").status_code == 302
    done = Petition.objects.get()
    assert (done.status, done.answer) == ("published", "Dự thảo trả lời, đã duyệt")


def test_no_publish_button_without_consent(world: Any) -> None:
    petition = sent(world, publish_consent=False)
    leader = logged_in(world.leader)
    base = f"/can-bo/phan-anh/{petition.pk}"
    leader.post(f"{base}/xu-ly/accept/")
    leader.post(f"{base}/xu-ly/answer/", {"answer": "Đã trả lời"})
    html = leader.get(f"{base}/").content.decode()
    assert "/xu-ly/publish/" not in html
    refused = leader.post(f"{base}/xu-ly/publish/")
    assert refused.status_code == 409 and Petition.objects.get().status == "answered"


def test_classification_is_recorded(world: Any) -> None:
    petition = sent(world, about="other")
    response = logged_in(world.specialist).post(
        f"/can-bo/phan-anh/{petition.pk}/phan-loai/", {"about": "staff_conduct"}
    )
    assert response.status_code == 302
    assert Petition.objects.get().about == "staff_conduct"
    assert PetitionEvent.objects.filter(action="classify", data__to="staff_conduct").exists()
    other = other_leader(world)
    logged_in(other).post(f"/can-bo/phan-anh/{petition.pk}/phan-loai/", {"about": "other"})
    assert Petition.objects.get().about == "staff_conduct"  # not their petition: nothing changes


def test_desk_entry_of_a_letter(world: Any) -> None:
    desk = logged_in(world.receiver)
    assert desk.get("/can-bo/phan-anh/nhap/").status_code == 200
    bad = desk.post(
        "/can-bo/phan-anh/nhap/",
        {
            "channel": "letter",
            "title": "Thư",
            "content": "Nội dung",
            "about": "other",
            "full_name": "Lê Văn C",
        },
    )
    assert bad.status_code == 400 and Petition.objects.count() == 0  # no phone nor e-mail
    done = desk.post(
        "/can-bo/phan-anh/nhap/",
        {
            "channel": "letter",
            "title": "Thư",
            "content": "Nội dung",
            "about": "other",
            "full_name": "Lê Văn C",
            "phone": "0912345678",
        },
    )
    assert done.status_code == 302
    created = Petition.objects.get()
    assert (created.channel, created.agency.code, created.submitter.phone) == (
        "letter",
        "H15.TTPV",
        "0912345678",
    )
    assert done["Location"] == f"/can-bo/phan-anh/{created.pk}/"
