"""The petition API of contract §9, end to end: sending, handling, publishing, rating; and bad input
answered with the error envelope and nothing written."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.conftest import error_of
from motcua.dossiers.tests.conftest import World, counter_dossier
from motcua.petitions.models import Evaluation, Petition, PetitionEvent, Submitter
from motcua.petitions.tests.conftest import ID_NUMBER, PHONE, body, other_leader, sent

pytestmark = pytest.mark.usefixtures("clean_throttle")


def counts() -> tuple[int, int, int, int]:
    return (
        Petition.objects.count(),
        Submitter.objects.count(),
        PetitionEvent.objects.count(),
        Evaluation.objects.count(),
    )


def test_anyone_sends_a_petition_and_gets_a_consecutive_code(world: World, api: APIClient) -> None:
    first = api.post("/api/v1/petitions", body(), format="json")
    second = api.post("/api/v1/petitions", body(title="Lần hai"), format="json")
    assert first.status_code == 201, first.json()
    a, b = first.json(), second.json()
    day = timezone.localdate().strftime("%y%m%d")
    assert a["code"] == f"PAKN-{day}-0001" and b["code"] == f"PAKN-{day}-0002"
    assert a["status"] == "received" and a["timeliness"] == "on_track" and a["due_at"]
    assert a["agency_code"] == "H15.STC"


def test_petition_about_a_dossier_goes_to_the_agency_that_resolves_it(world: World, api: APIClient) -> None:
    dossier = counter_dossier(world)
    response = api.post("/api/v1/petitions", body(agency_code=None, dossier_code=dossier.code), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["dossier_code"] == dossier.code
    assert response.json()["agency_code"] == "H15.STC"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"content": "x" * 200_000}, "content"),
        ({"title": ""}, "title"),
        ({"about": "complaint"}, "about"),
        ({"agency_code": "H99.NOPE"}, "agency_code"),
        ({"agency_code": None}, "agency_code"),
        ({"dossier_code": "H15.TTPV-261120-9999"}, "dossier_code"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"submitter": {"full_name": "Bình"}}, "submitter.phone"),
        ({"submitter": {"full_name": "Bình", "phone": "12"}}, "submitter.phone"),
        (
            {"submitter": {"full_name": "Bình", "phone": PHONE, "id_number": "999999999999"}},
            "submitter.id_number",
        ),
        ({"publish_consent": "maybe"}, "publish_consent"),
    ],
)
def test_bad_input_is_a_400_and_nothing_is_written(
    world: World, api: APIClient, changes: dict[str, Any], field: str
) -> None:
    before = counts()
    response = api.post("/api/v1/petitions", body(**changes), format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert field in error["fields"], error
    assert counts() == before


def test_the_sender_is_rate_limited(world: World, api: APIClient, settings: Any) -> None:
    statuses = [api.post("/api/v1/petitions", body(), format="json").status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]
    assert error_of(api.post("/api/v1/petitions", body(), format="json"))["code"] == "rate_limited"
    # reading the published answers is not limited by the same count
    assert api.get("/api/v1/petitions").status_code == 200


def test_desk_entry_by_letter_is_for_staff_only(world: World) -> None:
    from motcua.petitions import commands, services

    petition = services.submit(
        actor=world.receiver,
        title="Thư phản ánh",
        content="Nội dung thư gửi qua bưu điện.",
        about="other",
        submitter=commands.SubmitterIn(full_name="Lê Văn C", phone="0912345678"),
        publish_consent=False,
        channel="letter",
    )
    assert petition.agency.code == "H15.TTPV" and petition.channel == "letter"
    from motcua.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.submit(
            actor=None,
            title="x",
            content="y",
            about="other",
            agency_code="H15.STC",
            submitter=commands.SubmitterIn(full_name="Lê Văn C", phone="0912345678"),
            publish_consent=False,
            channel="phone",
        )


def act(client: APIClient, petition: Petition, **data: Any) -> Any:
    return client.post(f"/api/v1/petitions/{petition.pk}/actions", data, format="json")


def test_forward_answer_with_approval_publish_and_rate(world: World, api: APIClient) -> None:
    petition = sent(
        world, title="Cấp phép xây dựng ở xã Hòa Phú chậm", content="Hồ sơ nộp <script>alert(1)</script>"
    )
    stc, sxd = world.client(world.specialist), world.client(world.other_specialist)
    sxd_leader = world.client(other_leader(world))

    forwarded = act(
        stc, petition, action="forward", agency_code="H15.16", reason="Thuộc thẩm quyền Sở Xây dựng"
    )
    assert forwarded.status_code == 200, forwarded.json()
    assert forwarded.json()["status"] == "forwarded" and forwarded.json()["agency_code"] == "H15.16"
    # The department that forwarded it keeps read access but may no longer act.
    assert stc.get(f"/api/v1/petitions/{petition.pk}").status_code == 200
    assert act(stc, petition, action="accept").status_code == 403

    assert act(sxd, petition, action="accept").json()["status"] == "accepted"
    asked = act(sxd, petition, action="request_supplement", reason="Xin số hồ sơ")
    assert asked.json()["status"] == "awaiting_supplement" and asked.json()["timeliness"] == "on_track"
    assert (
        act(sxd, petition, action="supplement", note="Số hồ sơ đã bổ sung qua điện thoại").status_code == 200
    )

    # A specialist's answer is a draft; the leader's approves it.
    draft = act(sxd, petition, action="answer", answer="Sở đã chấn chỉnh bộ phận tiếp nhận.")
    assert draft.status_code == 200
    assert draft.json()["status"] == "accepted" and draft.json()["answer_draft"].startswith("Sở đã")
    assert act(world.client(world.receiver), petition, action="publish").status_code == 404  # not visible
    approved = act(sxd_leader, petition, action="answer", answer="Sở đã chấn chỉnh bộ phận tiếp nhận.")
    assert approved.json()["status"] == "answered" and approved.json()["answer_draft"] == ""
    published = act(sxd_leader, petition, action="publish")
    assert published.json()["status"] == "published" and published.json()["timeliness"] == "on_time"
    assert published.json()["due_at"] is None

    # The public list: no personal data at all, found without diacritics.
    listed = api.get("/api/v1/petitions", {"search": "cap phep xay dung", "published": "true"})
    assert listed.status_code == 200
    assert [r["code"] for r in listed.json()["results"]] == [petition.code]
    raw = listed.content.decode()
    for secret in (PHONE, ID_NUMBER, "binh@example.vn", "Trần Thị Bình"):
        assert secret not in raw
    assert "submitter" not in listed.json()["results"][0]
    assert api.get("/api/v1/petitions", {"search": "khong co"}).json()["count"] == 0

    history = [e["action"] for e in stc.get(f"/api/v1/petitions/{petition.pk}/events").json()]
    assert history == [
        "submit",
        "forward",
        "accept",
        "request_supplement",
        "supplement",
        "answer",
        "answer",
        "publish",
    ]
    assert not PetitionEvent.objects.filter(data__icontains=PHONE).exists()

    # The sender rates once; someone else cannot.
    url = f"/api/v1/petitions/{petition.code}/evaluations"
    assert api.post(url, {"satisfied": True, "phone": "0999999999"}, format="json").status_code == 404
    assert api.post(url, {"satisfied": True}, format="json").status_code == 400
    assert api.post(url, {"satisfied": False, "id_number": ID_NUMBER}, format="json").status_code == 201
    again = api.post(url, {"satisfied": True, "phone": PHONE}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "already_evaluated"
    assert Evaluation.objects.get().satisfied is False


def test_rating_before_the_answer_is_a_409(world: World, api: APIClient) -> None:
    petition = sent(world)
    response = api.post(
        f"/api/v1/petitions/{petition.code}/evaluations", {"satisfied": True, "phone": PHONE}, format="json"
    )
    assert response.status_code == 409 and error_of(response)["code"] == "not_answered"
    assert Evaluation.objects.count() == 0


def test_receivers_do_not_answer_and_wrong_state_is_409(world: World) -> None:
    petition = sent(world, agency_code="H15.TTPV")
    desk = world.client(world.receiver)
    before = counts()
    assert act(desk, petition, action="publish").status_code == 403  # a receiver never publishes
    wrong = act(desk, petition, action="supplement")
    assert wrong.status_code == 409 and error_of(wrong)["code"] == "action_not_allowed"
    assert "accept" in error_of(wrong)["message"]
    assert counts() == before
    assert act(desk, petition, action="forward").status_code == 400  # no agency_code
    assert act(desk, petition, action="forward", agency_code="H15.TTPV").status_code == 400  # already there
    assert counts() == before
    assert act(desk, petition, action="accept").status_code == 200
    assert act(desk, petition, action="answer", answer="Trả lời").status_code == 403
    assert act(desk, petition, action="refuse", reason="").status_code == 409  # accepted: refusal is over


def test_publishing_needs_the_senders_consent(world: World) -> None:
    petition = sent(world, publish_consent=False)
    leader = world.client(world.leader)
    act(leader, petition, action="accept")
    answered = act(leader, petition, action="answer", answer="Đã xử lý")
    assert answered.json()["status"] == "answered" and answered.json()["timeliness"] == "on_time"
    refused = act(leader, petition, action="publish")
    assert refused.status_code == 409 and error_of(refused)["code"] == "no_publish_consent"
    assert Petition.objects.get().status == "answered"


def test_other_agencies_and_citizens_see_nothing(world: World) -> None:
    petition = sent(world)
    for user in (world.other_specialist, world.citizen):
        client = world.client(user)
        assert client.get(f"/api/v1/petitions/{petition.pk}").status_code == 404
        assert act(client, petition, action="accept").status_code == 404
        assert client.get("/api/v1/petitions").json()["count"] == 0
    assert world.client(world.supervisor).get("/api/v1/petitions").json()["count"] == 1
    assert (
        world.client(world.specialist).get("/api/v1/petitions", {"status": "received"}).json()["count"] == 1
    )


def test_a_logged_in_citizen_sees_their_own(world: World) -> None:
    client = world.client(world.citizen)
    assert client.post("/api/v1/petitions", body(), format="json").status_code == 201
    mine = client.get("/api/v1/petitions").json()
    assert mine["count"] == 1 and mine["results"][0]["submitter"]["phone"] == PHONE
    assert client.get("/api/v1/petitions", {"published": "true"}).json()["count"] == 0
    assert client.get("/api/v1/petitions", {"published": "yes"}).status_code == 400


VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def test_deadlines_run_on_working_days_and_a_late_step_makes_it_late(world: World) -> None:
    leader = world.client(world.leader)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):  # a Friday
        petition = sent(world)
        # 2 working days: Monday, then Tuesday 24/11 is Vietnamese Culture Day, so Wednesday
        assert timezone.localtime(petition.due_at).isoformat() == "2026-11-25T09:00:00+07:00"
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # Thursday: too late to classify
        accepted = act(leader, petition, action="accept").json()
        assert accepted["timeliness"] == "overdue"
        act(leader, petition, action="answer", answer="Đã trả lời")
        published = act(leader, petition, action="publish").json()
    assert published["timeliness"] == "late"


def test_an_answer_within_the_deadlines_is_on_time(world: World) -> None:
    leader = world.client(world.leader)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        petition = sent(world)
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        accepted = act(leader, petition, action="accept").json()
        assert accepted["timeliness"] == "on_track"
        # 15 working days from the Friday of receipt, the holiday of 24/11 skipped
        assert accepted["due_at"] == "2026-12-14T09:00:00+07:00"
    with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
        answered = act(leader, petition, action="answer", answer="Đã trả lời").json()
        assert answered["due_at"].startswith("2026-12-14")  # 2 working days to publish
    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=False):
        assert act(leader, petition, action="publish").json()["timeliness"] == "on_time"


def test_no_personal_data_in_the_logs(world: World, api: APIClient, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    api.post("/api/v1/petitions", body(), format="json")
    api.post("/api/v1/petitions", body(content=""), format="json")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert not re.search(f"{PHONE}|{ID_NUMBER}|binh@example", text)


def test_the_sender_never_sees_the_draft(world: World) -> None:
    client = world.client(world.citizen)
    created = client.post("/api/v1/petitions", body(), format="json").json()
    petition = Petition.objects.get(pk=created["id"])
    act(world.client(world.leader), petition, action="accept")
    act(world.client(world.specialist), petition, action="answer", answer="Dự thảo nội bộ")
    assert (
        world.client(world.leader).get(f"/api/v1/petitions/{petition.pk}").json()["answer_draft"]
        == "Dự thảo nội bộ"
    )
    mine = client.get("/api/v1/petitions").json()["results"][0]
    assert mine["answer_draft"] == "" and "Dự thảo nội bộ" not in str(mine)


def test_the_late_filter_of_the_index_agrees_with_timeliness(world: World) -> None:
    """``selectors.late_q`` (one SQL filter for the index) says what ``lifecycle.timeliness`` says."""
    from datetime import timedelta

    from motcua.petitions import lifecycle
    from motcua.petitions.selectors import late_q, timeliness_of

    now = timezone.now()
    hour = timedelta(hours=1)
    cases = [
        {},  # on track
        {"due_at": now - hour},  # overdue
        {
            "status": "awaiting_supplement",
            "due_at": now - hour,
            "paused_at": now - 2 * hour,
        },  # paused in time
        {"status": "awaiting_supplement", "due_at": now - 2 * hour, "paused_at": now - hour},  # paused late
        {"status": "accepted", "missed": True, "due_at": now + hour},  # a step was late
        {"status": "published", "due_at": None, "closed_at": now},  # on time
        {"status": "published", "due_at": None, "closed_at": now, "missed": True},  # late
        {"status": "answered", "due_at": None, "closed_at": now, "publish_consent": False},
        {"status": "refused", "due_at": None, "closed_at": now - hour},
    ]
    for changes in cases:
        Petition.objects.filter(pk=sent(world).pk).update(**changes)
    late = set(Petition.objects.filter(late_q(timezone.now())).values_list("pk", flat=True))
    judged = {p.pk for p in Petition.objects.all() if not lifecycle.in_time(timeliness_of(p))}
    assert late == judged and len(late) == 4
