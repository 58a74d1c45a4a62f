"""The branches of contract §5 through the API, with the clock checked to the minute."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.conftest import error_of
from motcua.dossiers.models import ControlSheetEntry, DossierEvent
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, applicant

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def act(client: Any, dossier_id: int, action: str, expect: int = 200, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/dossiers/{dossier_id}/actions", {"action": action, **body}, format="json"
    )
    assert response.status_code == expect, response.json()
    return response.json()


@pytest.mark.django_db
def test_online_dossier_through_supplement_payment_and_return(world: World) -> None:
    citizen, desk = world.client(world.citizen), world.client(world.receiver)
    specialist, leader = world.client(world.specialist), world.client(world.leader)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):  # a Friday
        created = citizen.post(
            "/api/v1/dossiers",
            {
                "procedure_code": "1.000956",
                "channel": "online",
                "applicant": applicant(),
                "documents": [{"code": "GDN", "name": "Giấy đề nghị"}],
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        dossier = created.json()
        assert dossier["status"] == "submitted" and dossier["code"] is None
        assert dossier["receiving_agency_code"] == "H15.TTPV"  # the centre serving Sở Tài chính
        assert dossier["resolving_agency_code"] == "H15.STC"
        assert dossier["timeliness"] is None
    dossier_id = dossier["id"]
    with time_machine.travel(at(2026, 11, 20, 14, 30), tick=False):
        received = act(desk, dossier_id, "receive")
    assert received["code"] == "H15.TTPV-261120-0001"
    assert received["received_at"] == "2026-11-20T14:30:00+07:00"
    # 3 working days = 24 working hours from Fri 14:30, skipping the weekend and the 24/11 holiday.
    assert received["due_at"] == "2026-11-26T14:30:00+07:00"
    assert received["original_due_at"] == received["due_at"]
    with time_machine.travel(at(2026, 11, 23, 8, 0), tick=False):
        act(desk, dossier_id, "forward", step="Thẩm định hồ sơ")
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):  # Mon: 2 h of work done after receipt
        paused = act(
            specialist,
            dossier_id,
            "request_supplement",
            items=["Điều lệ công ty"],
            reason="Thiếu điều lệ công ty",
        )
    assert paused["status"] == "awaiting_supplement" and paused["clock_paused"] is True
    with time_machine.travel(at(2026, 11, 27, 16, 0), tick=False):  # the applicant answers on Fri 16:00
        resumed = act(
            citizen, dossier_id, "supplement", documents=[{"code": "DL", "name": "Điều lệ công ty"}]
        )
    assert resumed["status"] == "processing" and resumed["clock_paused"] is False
    # At the pause 19.5 working hours were left (Mon 23 10:00 → Thu 26 14:30: 6 h + Tue 24 off + 8 h + 5.5 h).
    # Walked from Fri 27 16:00, no cut-off on a restart: 1 h Fri, 8 h Mon 30, 8 h Tue 1/12, 2.5 h Wed → 10:30.
    assert resumed["due_at"] == "2026-12-02T10:30:00+07:00"
    assert resumed["original_due_at"] == resumed["due_at"]
    assert [d["code"] for d in resumed["documents"]] == ["GDN", "DL"]
    assert resumed["documents"][1]["supplemented"] is True
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        act(specialist, dossier_id, "request_payment", amount_vnd=50000)
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        paid = act(citizen, dossier_id, "pay", amount_vnd=50000, method="online", reference="VNPAY-1")
    assert paid["status"] == "processing" and paid["payments"][0]["paid_at"] == "2026-11-30T10:00:00+07:00"
    # 17.5 h left at Mon 9:00; from Mon 10:00: 6 h Mon, 8 h Tue, 3.5 h Wed → Wed 2/12 11:30 (the hour is given back).
    assert paid["due_at"] == "2026-12-02T11:30:00+07:00"
    with time_machine.travel(at(2026, 11, 30, 11, 0), tick=False):
        act(specialist, dossier_id, "forward", step="Phê duyệt")
    with time_machine.travel(at(2026, 11, 30, 15, 0), tick=False):
        resolved = act(leader, dossier_id, "resolve", outcome="approved", note="Cấp giấy chứng nhận")
    assert resolved["status"] == "resolved" and resolved["timeliness"] == "early"
    assert resolved["current_agency_code"] == "H15.TTPV"
    # The result comes back to the desk; the department can no longer act on it.
    act(specialist, dossier_id, "return_result", expect=403, method="counter")
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        returned = act(desk, dossier_id, "return_result", method="counter")
    assert returned["status"] == "returned" and returned["status_label"] == "Đã trả kết quả"
    events = DossierEvent.objects.filter(dossier_id=dossier_id).values_list(
        "action", "from_status", "to_status"
    )
    assert list(events) == [
        ("create", "", "submitted"),
        ("receive", "submitted", "received"),
        ("forward", "received", "processing"),
        ("request_supplement", "processing", "awaiting_supplement"),
        ("supplement", "awaiting_supplement", "processing"),
        ("request_payment", "processing", "awaiting_payment"),
        ("pay", "awaiting_payment", "processing"),
        ("forward", "processing", "processing"),
        ("resolve", "processing", "resolved"),
        ("return_result", "resolved", "returned"),
    ]
    sheet = list(ControlSheetEntry.objects.filter(dossier_id=dossier_id).order_by("id"))
    assert [(e.from_agency.code, e.to_agency.code, e.step) for e in sheet] == [
        ("H15.TTPV", "H15.STC", "Thẩm định hồ sơ"),
        ("H15.STC", "H15.STC", "Phê duyệt"),
        ("H15.STC", "H15.TTPV", "Trả kết quả về Bộ phận một cửa"),
    ]
    assert all(e.completed_at is not None for e in sheet)
    # Rating once, by code and ID number, no login.
    anonymous = world.client(world.citizen)
    anonymous.force_authenticate(None)
    body = {"code": returned["code"], "id_number": CITIZEN_ID, "satisfied": True}
    assert anonymous.post("/api/v1/ratings", body, format="json").status_code == 201
    assert anonymous.post("/api/v1/ratings", body, format="json").status_code == 409


@pytest.mark.django_db
def test_counter_dossier_is_received_at_once_and_can_be_refused(world: World) -> None:
    desk = world.client(world.receiver)
    with time_machine.travel(at(2026, 11, 20, 15, 30), tick=False):  # after the 15:00 cut-off
        created = desk.post(
            "/api/v1/dossiers",
            {
                "procedure_code": "1.000956",
                "channel": "counter",
                "applicant": applicant(),
            },
            format="json",
        ).json()
    assert created["status"] == "received" and created["code"] == "H15.TTPV-261120-0001"
    # Counting from Mon 23 08:00; 3 × 8 h over Mon 23, Wed 25, Thu 26 (Tue 24/11 is Vietnam Culture Day).
    assert created["due_at"] == "2026-11-26T17:00:00+07:00"
    refused = act(desk, created["id"], "refuse", reason="Không thuộc thẩm quyền")
    assert refused["status"] == "refused" and refused["timeliness"] is None
    error = error_of(
        world.client(world.receiver).post(
            f"/api/v1/dossiers/{created['id']}/actions", {"action": "forward"}, format="json"
        )
    )
    assert error["code"] == "action_not_allowed"
    # The officer reads the status as the desk names it, with the code for the API client.
    assert "“Không được tiếp nhận” (refused)" in error["message"]


@pytest.mark.django_db
def test_commune_procedure_is_resolved_by_the_commune_that_received_it(world: World) -> None:
    desk = world.client(world.commune_receiver)
    created = desk.post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.001193",
            "channel": "counter",
            "applicant": applicant(),
        },
        format="json",
    ).json()
    assert created["receiving_agency_code"] == "H15.100.TTPV"
    assert created["resolving_agency_code"] == "H15.100"
    assert created["code"].startswith("H15.100.TTPV-")


@pytest.mark.django_db
def test_a_citizen_chooses_which_commune_settles_it(world: World) -> None:
    """Defect 6: birth registration is settled by every commune, but a citizen of another commune
    could not file it. resolving_agency_code chooses among the implementing agencies (contract §5)."""
    citizen = world.client(world.citizen)
    body = {"procedure_code": "1.001193", "channel": "online", "applicant": applicant()}
    chosen = citizen.post("/api/v1/dossiers", {**body, "resolving_agency_code": "H15.100"}, format="json")
    assert chosen.status_code == 201, chosen.json()
    assert chosen.json()["resolving_agency_code"] == "H15.100"
    assert chosen.json()["receiving_agency_code"] == "H15.100.TTPV"  # the centre that serves it
    default = citizen.post("/api/v1/dossiers", body, format="json").json()
    assert default["resolving_agency_code"] == "H15.105"  # the procedure's own agency
    wrong = citizen.post("/api/v1/dossiers", {**body, "resolving_agency_code": "H15.STC"}, format="json")
    assert wrong.status_code == 400
    assert "H15.STC" in error_of(wrong)["fields"]["resolving_agency_code"][0]
    # The desk of one commune receives for its own commune without being told.
    desk = world.client(world.commune_receiver)
    at_desk = desk.post("/api/v1/dossiers", {**body, "channel": "counter"}, format="json").json()
    assert at_desk["resolving_agency_code"] == "H15.100"


@pytest.mark.django_db
def test_extension_once_before_the_due_date(world: World) -> None:
    desk = world.client(world.receiver)
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        d = desk.post(
            "/api/v1/dossiers",
            {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()},
            format="json",
        ).json()
        act(desk, d["id"], "extend", expect=400, new_due_at="2026-11-20T10:00:00+07:00", reason="Quá khứ")
        extended = act(desk, d["id"], "extend", new_due_at="2026-12-10T17:00:00+07:00", reason="Cần xác minh")
        assert extended["due_at"] == "2026-12-10T17:00:00+07:00"
        assert extended["original_due_at"] == "2026-11-30T09:00:00+07:00"
        again = act(
            desk, d["id"], "extend", expect=409, new_due_at="2026-12-20T17:00:00+07:00", reason="Lần hai"
        )
        assert error_of_body(again) == "already_extended"
    with time_machine.travel(at(2026, 12, 11, 9, 0), tick=False):
        late = desk.get(f"/api/v1/dossiers/{d['id']}").json()
        assert late["timeliness"] == "overdue"


def error_of_body(body: dict[str, Any]) -> str:
    return body["error"]["code"]


@pytest.mark.django_db
def test_two_supplements_after_receipt_make_a_dossier_late(world: World) -> None:
    desk = world.client(world.receiver)
    d = desk.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()},
        format="json",
    ).json()
    for _round in range(2):
        act(desk, d["id"], "request_supplement", items=["Điều lệ"], reason="Thiếu")
        act(desk, d["id"], "supplement", documents=[{"code": "DL", "name": "Điều lệ"}])
    act(desk, d["id"], "forward", step="Phê duyệt")
    resolved = act(world.client(world.leader), d["id"], "resolve", outcome="rejected")
    assert resolved["timeliness"] == "late"


@pytest.mark.django_db
def test_who_may_see_and_act(world: World) -> None:
    citizen = world.client(world.citizen)
    d = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    url = f"/api/v1/dossiers/{d['id']}"
    assert world.client(world.other_citizen).get(url).status_code == 404
    assert world.client(world.other_specialist).get(url).status_code == 404
    assert world.client(world.receiver).get(url).status_code == 200
    assert world.client(world.specialist).get(url).status_code == 200  # resolving agency
    assert world.client(world.supervisor).get(url).status_code == 200
    assert world.client(world.admin).get(url).status_code == 200
    # The specialist sees it but it is at the desk: receiving it is the desk's job.
    act(world.client(world.specialist), d["id"], "receive", expect=403)
    act(world.client(world.other_citizen), d["id"], "withdraw", expect=404, reason="x")
    act(citizen, d["id"], "receive", expect=403)
    assert world.client(world.other_citizen).get("/api/v1/dossiers").json()["count"] == 0
    assert citizen.get("/api/v1/dossiers").json()["count"] == 1
    withdrawn = act(citizen, d["id"], "withdraw", reason="Nộp nhầm")
    assert withdrawn["status"] == "withdrawn"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"applicant": applicant(id_number="12345")}, "applicant.id_number"),
        ({"applicant": applicant(id_number="066495012345")}, "applicant.id_number"),  # born 2195
        ({"applicant": applicant(full_name="x" * 200_000)}, "applicant.full_name"),
        ({"applicant": applicant(full_name="a\x00b")}, "applicant.full_name"),
        ({"applicant": applicant(phone="abc")}, "applicant.phone"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"channel": "fax"}, "channel"),
        (
            {"documents": [{"code": "X", "name": "y", "file_id": "00000000-0000-0000-0000-000000000000"}]},
            "documents.0.file_id",
        ),
    ],
)
def test_bad_submissions_write_nothing(world: World, body: dict[str, Any], field: str) -> None:
    from motcua.dossiers.models import Dossier

    full = {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()} | body
    response = world.client(world.citizen).post("/api/v1/dossiers", full, format="json")
    assert response.status_code == 400, response.json()
    assert field in error_of(response)["fields"], error_of(response)
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_channel_rules_and_idempotency(world: World) -> None:
    citizen = world.client(world.citizen)
    body = {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()}
    assert citizen.post("/api/v1/dossiers", body, format="json").status_code == 403
    body["channel"] = "online"
    first = citizen.post("/api/v1/dossiers", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = citizen.post("/api/v1/dossiers", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    other = citizen.post(
        "/api/v1/dossiers", body | {"procedure_code": "1.001193"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 409


@pytest.mark.django_db
def test_lookup_is_public_and_a_wrong_pair_looks_unknown(world: World) -> None:
    from rest_framework.test import APIClient

    desk = world.client(world.receiver)
    d = desk.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()},
        format="json",
    ).json()
    public = APIClient()
    found = public.post("/api/v1/lookup", {"code": d["code"], "id_number": CITIZEN_ID}, format="json")
    assert found.status_code == 200
    assert found.json()["status"] == "received" and found.json()["timeliness"] == "on_track"
    assert "applicant" not in found.json()
    # The look-up reads with its own SQL: it must tell the same times (+07:00) as the dossier itself.
    for name in ("code", "procedure_name", "status_label", "received_at", "due_at", "resolved_at"):
        assert found.json()[name] == d[name], name
    wrong = public.post("/api/v1/lookup", {"code": d["code"], "id_number": "079200000001"}, format="json")
    unknown = public.post(
        "/api/v1/lookup", {"code": "H15-000000-0000", "id_number": CITIZEN_ID}, format="json"
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


# --- the first walk-through's defects --------------------------------------------------------------


def counter_dossier(world: World, procedure: str = "1.000956") -> dict[str, Any]:
    return (
        world.client(world.receiver)
        .post(
            "/api/v1/dossiers",
            {"procedure_code": procedure, "channel": "counter", "applicant": applicant()},
            format="json",
        )
        .json()
    )


@pytest.mark.django_db
def test_a_coordinating_agency_keeps_the_dossiers_it_worked_on(world: World) -> None:
    """Defect 1: a coordinating agency's successful forward or resolve answered 404, and the dossier
    vanished from its search. Every agency on the control sheet keeps read access (contract §5)."""
    from motcua.catalog import services as catalog
    from motcua.dossiers.tests.conftest import spec

    catalog.create_procedure(spec=spec(code="1.000957", name="Thủ tục không có quy trình", steps=[]))
    coordinating = world.client(world.other_specialist)  # Sở Xây dựng, not the resolving agency
    forwarded = counter_dossier(world)
    act(world.client(world.receiver), forwarded["id"], "forward", agency_code="H15.16")
    moved = act(coordinating, forwarded["id"], "forward", agency_code="H15.STC")
    assert moved["current_agency_code"] == "H15.STC" and moved["id"] == forwarded["id"]
    resolved_here = counter_dossier(world, "1.000957")
    act(world.client(world.receiver), resolved_here["id"], "forward", agency_code="H15.16")
    done = act(coordinating, resolved_here["id"], "resolve", outcome="approved")
    assert done["status"] == "resolved" and done["current_agency_code"] == "H15.TTPV"
    for d in (forwarded, resolved_here):
        assert coordinating.get(f"/api/v1/dossiers/{d['id']}").status_code == 200
        assert coordinating.get(f"/api/v1/dossiers/{d['id']}/events").status_code == 200
    listed = {d["id"] for d in coordinating.get("/api/v1/dossiers").json()["results"]}
    assert {forwarded["id"], resolved_here["id"]} <= listed
    # Read access, not the right to act: it no longer holds them.
    act(coordinating, forwarded["id"], "forward", expect=403, agency_code="H15.16")
    # An agency never handed the dossier still does not see it.
    assert world.client(world.commune_receiver).get(f"/api/v1/dossiers/{forwarded['id']}").status_code == 404


@pytest.mark.django_db
def test_the_leaders_approval_cannot_be_skipped(world: World) -> None:
    """Defect 5: a specialist could resolve while the procedure's steps still had a leader's
    approval ahead. A step whose role is leader is done by a leader before the dossier is resolved."""
    d = counter_dossier(world)
    desk, specialist, leader = (world.client(u) for u in (world.receiver, world.specialist, world.leader))
    act(desk, d["id"], "forward", step="Thẩm định hồ sơ")
    early = act(specialist, d["id"], "resolve", expect=409, outcome="approved")
    assert early["error"]["code"] == "approval_pending" and "Phê duyệt" in early["error"]["message"]
    act(leader, d["id"], "resolve", expect=409, outcome="approved")  # not the leader's step yet either
    act(specialist, d["id"], "forward", step="Phê duyệt")
    refused = act(specialist, d["id"], "resolve", expect=403, outcome="approved")
    assert refused["error"]["code"] == "leader_resolves"
    assert act(leader, d["id"], "resolve", outcome="approved")["status"] == "resolved"
    # A procedure with no leader's step is resolved by whoever holds it, as before.
    from motcua.catalog import services as catalog
    from motcua.dossiers.tests.conftest import spec

    catalog.create_procedure(spec=spec(code="1.000958", name="Không có bước lãnh đạo", steps=[]))
    plain = counter_dossier(world, "1.000958")
    act(desk, plain["id"], "forward")
    assert act(specialist, plain["id"], "resolve", outcome="approved")["status"] == "resolved"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_due_at", "nearest"),
    [
        ("2026-12-05T10:00:00+07:00", "17:00 04/12/2026"),  # Saturday → Friday evening, nearer than Monday
        ("2026-12-06T15:00:00+07:00", "08:00 07/12/2026"),  # Sunday afternoon → Monday morning
        ("2026-12-02T20:00:00+07:00", "17:00 02/12/2026"),  # evening → the end of that working day
        ("2026-12-02T12:20:00+07:00", "12:00 02/12/2026"),  # lunch break → the nearer end of the morning
        ("2026-11-24T10:00:00+07:00", None),  # not after the due date: its own message
    ],
)
def test_an_extension_must_land_in_working_hours(world: World, new_due_at: str, nearest: str | None) -> None:
    """Defect 4: an extension accepted a Saturday, and with one extension only the mistake stayed."""
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):  # due Thursday 26/11 09:00
        d = counter_dossier(world)
        body = act(
            world.client(world.receiver),
            d["id"],
            "extend",
            expect=400,
            new_due_at=new_due_at,
            reason="Xác minh",
        )
        message = body["error"]["fields"]["new_due_at"][0]
        if nearest:
            assert "giờ làm việc" in message and nearest in message, message
        again = act(
            world.client(world.receiver),
            d["id"],
            "extend",
            new_due_at="2026-12-07T08:00:00+07:00",
            reason="Xác minh",
        )
        assert again["due_at"] == "2026-12-07T08:00:00+07:00"  # nothing was used up by the refusal


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.django_db
def test_a_result_returned_online_is_downloaded_by_the_applicant(
    world: World, settings: Any, tmp_path: Any
) -> None:
    """Defect 2: the leader attached the e-result and the desk returned it online, but the citizen
    could not get it. Online return means the applicant downloads it: their account, or the look-up
    with code and personal ID."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    settings.MEDIA_ROOT = tmp_path
    citizen, desk, leader = (world.client(u) for u in (world.citizen, world.receiver, world.leader))
    d = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    act(desk, d["id"], "receive")
    act(desk, d["id"], "forward", step="Phê duyệt")
    upload = leader.post(
        "/api/v1/files", {"file": SimpleUploadedFile("kq.pdf", PDF)}, format="multipart"
    ).json()
    act(leader, d["id"], "resolve", outcome="approved", result_file_id=upload["file_id"])
    code = world.client(world.receiver).get(f"/api/v1/dossiers/{d['id']}").json()["code"]
    public, pair = APIClient(), {"code": code, "id_number": CITIZEN_ID}
    # Before the desk hands it over: staff may read it, the applicant not yet.
    assert desk.get(f"/api/v1/dossiers/{d['id']}/result").status_code == 200
    assert error_of(citizen.get(f"/api/v1/dossiers/{d['id']}/result"))["code"] == "result_not_returned"
    assert public.post("/api/v1/lookup/result", pair, format="json").status_code == 404
    assert public.post("/api/v1/lookup", pair, format="json").json()["result_downloadable"] is False
    act(desk, d["id"], "return_result", method="online")
    mine = citizen.get(f"/api/v1/dossiers/{d['id']}/result")
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == PDF
    assert "private" in mine["Cache-Control"]
    found = public.post("/api/v1/lookup", pair, format="json").json()
    # Downloadable, but not counted as an electronic result: it is not signed (dossiers/tests/test_signing.py).
    assert found["e_result"] is False and found["result_downloadable"] is True
    by_pair = public.post("/api/v1/lookup/result", pair, format="json")
    assert by_pair.status_code == 200 and b"".join(by_pair.streaming_content) == PDF
    wrong = public.post("/api/v1/lookup/result", {**pair, "id_number": "079200000001"}, format="json")
    assert wrong.status_code == 404
    assert world.client(world.other_citizen).get(f"/api/v1/dossiers/{d['id']}/result").status_code == 404


@pytest.mark.django_db
def test_the_public_look_up_shows_where_the_dossier_is(world: World) -> None:
    """Defect 14: the look-up showed no progress: which step, which agency holds it, steps done."""
    from rest_framework.test import APIClient

    d = counter_dossier(world)
    desk, specialist = world.client(world.receiver), world.client(world.specialist)
    pair = {"code": d["code"], "id_number": CITIZEN_ID}
    at_desk = APIClient().post("/api/v1/lookup", pair, format="json").json()
    assert at_desk["current_agency"] == "Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk"
    assert at_desk["current_step"] == "Đã tiếp nhận tại Bộ phận một cửa" and at_desk["steps"] == []
    act(desk, d["id"], "forward", step="Thẩm định hồ sơ")
    act(specialist, d["id"], "forward", step="Phê duyệt")
    found = APIClient().post("/api/v1/lookup", pair, format="json").json()
    assert found["current_agency"] == "Sở Tài chính tỉnh Đắk Lắk" and found["current_step"] == "Phê duyệt"
    assert [(s["agency"], s["step"], s["done_at"] is not None) for s in found["steps"]] == [
        ("Sở Tài chính tỉnh Đắk Lắk", "Thẩm định hồ sơ", True),
        ("Sở Tài chính tỉnh Đắk Lắk", "Phê duyệt", False),
    ]
