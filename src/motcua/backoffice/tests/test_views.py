"""The back-office through Django's test client: who gets in, queues, actions, intake, search."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CITIZEN_ID as ID
from motcua.dossiers.tests.conftest import PDF, logged_in, online_dossier
from motcua.dossiers.tests.conftest import counter_dossier as counter


def test_who_gets_in(world: Any) -> None:
    response = Client().get("/can-bo/")
    assert response.status_code == 302 and response["Location"] == "/can-bo/dang-nhap/?next=/can-bo/"
    assert logged_in(world.citizen).get("/can-bo/").status_code == 403
    for user in (world.receiver, world.specialist, world.leader, world.supervisor, world.admin):
        assert logged_in(user).get("/can-bo/").status_code == 200


def test_dashboard_link_for_leaders_supervisors_and_admins_only(world: Any) -> None:
    for user, shown in (
        (world.leader, True),
        (world.supervisor, True),
        (world.admin, True),
        (world.receiver, False),
    ):
        assert ('href="/dieu-hanh/"' in logged_in(user).get("/can-bo/").content.decode()) is shown


def test_the_receiver_checks_online_submissions_and_receives_them(world: Any) -> None:
    dossier = online_dossier(world)
    desk = logged_in(world.receiver)
    assert f"/can-bo/ho-so/{dossier.pk}/" in desk.get("/can-bo/").content.decode()
    page = desk.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "/xu-ly/receive/" in page and "/xu-ly/resolve/" not in page
    response = desk.post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/receive/")
    assert response["Location"] == f"/can-bo/ho-so/{dossier.pk}/da-tiep-nhan/"
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.code
    received = desk.get(response["Location"]).content.decode()
    assert f'href="/api/v1/dossiers/{dossier.pk}/forms/receipt" target="_blank"' in received
    # Receiving twice: the service's conflict is shown on the form, nothing changes.
    again = desk.post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/receive/")
    assert again.status_code in (403, 409)
    assert "mc-alert-error" in again.content.decode()


def test_staff_of_another_agency_get_a_404(world: Any) -> None:
    dossier = counter(world)
    other = logged_in(world.other_specialist)
    assert other.get(f"/can-bo/ho-so/{dossier.pk}/").status_code == 404
    assert other.post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/refuse/", {"refuse-reason": "x"}).status_code == 404
    assert other.get(f"/can-bo/ho-so/{dossier.pk}/da-tiep-nhan/").status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_only_the_actions_this_user_may_take_are_offered(world: Any) -> None:
    dossier = counter(world)
    specialist = logged_in(world.specialist)
    page = specialist.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "/xu-ly/" not in page  # visible to the resolving agency, but still at the desk
    logged_in(world.receiver).post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/forward/", {"forward-note": ""})
    page = specialist.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    for action in ("request_supplement", "forward", "extend", "stop"):
        assert f"/xu-ly/{action}/" in page
    assert "/xu-ly/resolve/" not in page  # the procedure's leader approves first (defect 5)
    assert "/xu-ly/receive/" not in page and "/xu-ly/return_result/" not in page


def test_request_supplement_needs_an_item_and_a_reason(world: Any) -> None:
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    specialist = logged_in(world.specialist)
    response = specialist.post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/request_supplement/", {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy chọn ít nhất một giấy tờ" in page and "<details" in page
    response = specialist.post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/request_supplement/",
        {
            "request_supplement-items": ["Điều lệ công ty"],
            "request_supplement-other": "Bản sao căn cước\n",
            "request_supplement-reason": "Thiếu chữ ký.",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_supplement"
    assert dossier.supplement_requests.get().items == ["Điều lệ công ty", "Bản sao căn cước"]


def test_resolve_with_an_electronic_result_then_return_it(world: Any) -> None:
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    result = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
    response = logged_in(world.leader).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/resolve/",
        {"resolve-outcome": "approved", "resolve-note": "", "resolve-result_file": result},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "resolved" and dossier.result_file
    assert not dossier.e_result  # attached, but not a signed, verified result (no signing service here)
    logged_in(world.receiver).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/return_result/", {"return_result-method": "counter"}
    )
    dossier.refresh_from_db()
    assert dossier.status == "returned"


def test_an_unknown_action_is_a_404(world: Any) -> None:
    dossier = counter(world)
    assert logged_in(world.receiver).post(f"/can-bo/ho-so/{dossier.pk}/xu-ly/explode/").status_code == 404


def test_counter_intake(world: Any) -> None:
    desk = logged_in(world.receiver)
    assert "Đăng ký khai sinh" in desk.get("/can-bo/tiep-nhan/", {"q": "khai sinh"}).content.decode()
    form = desk.get("/can-bo/tiep-nhan/1.000956/").content.decode()
    assert "Giấy đề nghị đăng ký doanh nghiệp" in form
    bad = desk.post(
        "/can-bo/tiep-nhan/1.000956/",
        {"channel": "counter", "applicant-kind": "individual", "applicant-full_name": "An"},
    )
    assert bad.status_code == 400 and Dossier.objects.count() == 0
    response = desk.post(
        "/can-bo/tiep-nhan/1.000956/",
        {
            "channel": "counter",
            "documents": ["GDN", "DL"],
            "applicant-kind": "individual",
            "applicant-full_name": "Nguyễn Văn An",
            "applicant-id_number": ID,
        },
    )
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/can-bo/ho-so/{dossier.pk}/da-tiep-nhan/"
    assert dossier.status == "received" and dossier.channel == "counter"
    assert sorted(dossier.documents.values_list("code", flat=True)) == ["DL", "GDN"]
    assert logged_in(world.specialist).get("/can-bo/tiep-nhan/").status_code == 403


def test_search_by_id_number_goes_in_the_body(world: Any) -> None:
    dossier = counter(world)
    other = logged_in(world.other_specialist)
    desk = logged_in(world.receiver)
    assert dossier.code not in desk.get("/can-bo/tim-kiem/", {"q": ID}).content.decode()
    response = desk.post("/can-bo/tim-kiem/", {"q": ID})
    assert response.status_code == 200 and dossier.code in response.content.decode()
    assert dossier.code in desk.post("/can-bo/tim-kiem/", {"q": "văn an"}).content.decode()
    assert dossier.code in desk.post("/can-bo/tim-kiem/", {"q": dossier.code[-6:]}).content.decode()
    assert dossier.code not in other.post("/can-bo/tim-kiem/", {"q": ID}).content.decode()


def test_staff_search_ignores_diacritics_and_case(world: Any) -> None:
    """Defect 11: "Niê" found 32 dossiers and "nie" none. Names, codes and procedures are searched as
    the catalog search does."""
    ede, kinh = counter(world, name="H'Hen Niê"), counter(world, name="Đặng Thị Ánh")
    desk = logged_in(world.receiver)

    def found(q: str) -> set[str]:
        page = desk.post("/can-bo/tim-kiem/", {"q": q}).content.decode()
        return {d.code for d in (ede, kinh) if d.code and d.code in page}

    assert found("Niê") == found("nie") == found("NIE") == {ede.code}
    assert found("dang thi anh") == found("Đặng Thị Ánh") == {kinh.code}
    assert found("thanh lap cong ty") == {ede.code, kinh.code}  # the procedure's name, without accents
    assert found(ede.code.lower()) == {ede.code}


def test_queues_put_the_most_urgent_first(world: Any) -> None:
    later, overdue, sooner = counter(world, "A"), counter(world, "B"), counter(world, "C")
    now = timezone.now()
    for dossier, due in (
        (later, now + timedelta(days=5)),
        (overdue, now - timedelta(hours=2)),
        (sooner, now + timedelta(days=1)),
    ):
        services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
        Dossier.objects.filter(pk=dossier.pk).update(due_at=due)
    order = list(selectors.queue(world.specialist, "here").values_list("applicant_name", flat=True))
    assert order == ["B", "C", "A"]
    assert list(selectors.queue(world.supervisor, "overdue").values_list("applicant_name", flat=True)) == [
        "B"
    ]


def test_the_leader_sees_what_awaits_approval(world: Any) -> None:
    dossier = counter(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    assert not selectors.queue(world.leader, "approval").exists()
    logged_in(world.specialist).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/forward/", {"forward-agency_code": "", "forward-step": "Phê duyệt"}
    )
    assert list(selectors.queue(world.leader, "approval")) == [dossier]
    assert dossier.code in logged_in(world.leader).get("/can-bo/").content.decode()


def test_extend_takes_a_local_date_and_time(world: Any) -> None:
    dossier = counter(world)
    dossier.refresh_from_db()
    assert dossier.due_at is not None
    new = timezone.localtime(dossier.due_at + timedelta(days=3))
    response = logged_in(world.receiver).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/extend/",
        {"extend-new_due_at": new.strftime("%Y-%m-%dT%H:%M"), "extend-reason": "Cần xác minh thêm."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).strftime("%Y-%m-%d %H:%M") == new.strftime("%Y-%m-%d %H:%M")
    assert "mẫu 04" in logged_in(world.receiver).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()


def test_a_coordinating_agency_lands_on_the_dossier_it_handed_on(world: Any) -> None:
    """Defect 1: the forward succeeded and the officer landed on "Không tìm thấy trang"."""
    dossier = counter(world, name="Y Blir Êban")
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(agency_code="H15.16"))
    coordinating = logged_in(world.other_specialist)
    response = coordinating.post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/forward/",
        {"forward-agency_code": "H15.STC", "forward-step": "", "forward-note": "Đã có ý kiến"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sở Tài chính" in page and "Không tìm thấy" not in page
    assert "/xu-ly/" not in page  # it may read the dossier, no longer act on it
    found = coordinating.post("/can-bo/tim-kiem/", {"q": "Y Blir"}).content.decode()
    assert f"/can-bo/ho-so/{dossier.pk}/" in found
