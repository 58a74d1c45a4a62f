"""The citizen's document warehouse through the API (contract §8.2): what enters it and when, who sees
it, and reuse instead of a second upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import error_of
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.tests.conftest import CITIZEN_ID, PDF, World, applicant
from motcua.warehouse.models import WarehouseDocument

pytestmark = pytest.mark.django_db


def act(client: Any, dossier_id: int, action: str, expect: int = 200, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/dossiers/{dossier_id}/actions", {"action": action, **body}, format="json"
    )
    assert response.status_code == expect, response.json()
    return response.json()


def upload(client: Any, name: str = "giay.pdf", content: bytes = PDF) -> str:
    response = client.post("/api/v1/files", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 201, response.json()
    return str(response.json()["file_id"])


def mine(client: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/documents")
    assert response.status_code == 200, response.json()
    return list(response.json()["results"])


def stocked(world: World, id_number: str = CITIZEN_ID) -> tuple[int, str]:
    """A counter dossier for ``id_number`` whose application form the desk scanned: received at once,
    so the scan is in the applicant's warehouse. Its warehouse id and file id."""
    desk = world.client(world.receiver)
    file_id = upload(desk, "don.pdf", PDF + b"% counter\n")
    created = desk.post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.000956",
            "channel": "counter",
            "applicant": applicant(id_number=id_number),
            "documents": [{"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp", "file_id": file_id}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    kept = WarehouseDocument.objects.get(owner=id_number, file_id=file_id)
    return kept.pk, file_id


def reuse_body(warehouse_id: int, **changes: Any) -> dict[str, Any]:
    body = {
        "procedure_code": "1.000956",
        "channel": "online",
        "applicant": applicant(),
        "documents": [
            {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp", "warehouse_id": warehouse_id}
        ],
    }
    body.update(changes)
    return body


# --- what enters, and when ----------------------------------------------------------------------------


def test_a_returned_e_result_enters_the_applicants_warehouse(world: World) -> None:
    citizen, desk, leader = (world.client(u) for u in (world.citizen, world.receiver, world.leader))
    d = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    act(desk, d["id"], "receive")
    act(desk, d["id"], "forward", step="Phê duyệt")
    result_file = upload(leader, "kq.pdf", PDF + b"% result\n")
    resolved = act(leader, d["id"], "resolve", outcome="approved", result_file_id=result_file)
    assert resolved["result_pushed_to_warehouse"] is False
    assert mine(citizen) == []  # not before the desk hands it over
    returned = act(desk, d["id"], "return_result", method="online")
    assert returned["result_pushed_to_warehouse"] is True
    assert Dossier.objects.get(pk=d["id"]).result_pushed_to_warehouse is True
    [doc] = mine(citizen)
    assert doc["source"] == "result" and doc["file_id"] == result_file
    assert doc["dossier_code"] == returned["code"] and doc["code"] == "KQ.1.000956"
    assert doc["issued_at"] == returned["resolved_at"]
    assert set(doc) == {"id", "code", "name", "source", "dossier_code", "file_id", "issued_at"}
    got = citizen.get(f"/api/v1/files/{result_file}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF + b"% result\n"
    other = world.client(world.other_citizen)
    assert mine(other) == []
    assert other.get(f"/api/v1/files/{result_file}").status_code == 404


def test_a_return_without_an_e_result_pushes_nothing(world: World) -> None:
    desk, leader = world.client(world.receiver), world.client(world.leader)
    d = desk.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()},
        format="json",
    ).json()
    act(desk, d["id"], "forward", step="Phê duyệt")
    act(leader, d["id"], "resolve", outcome="approved")
    assert act(desk, d["id"], "return_result", method="counter")["result_pushed_to_warehouse"] is False
    assert not WarehouseDocument.objects.exists()


def test_digitised_documents_enter_when_the_desk_receives_the_dossier_and_not_before(world: World) -> None:
    citizen, desk = world.client(world.citizen), world.client(world.receiver)
    form, charter = upload(citizen, "don.pdf"), upload(citizen, "dieu-le.pdf", PDF + b"% charter\n")
    d = citizen.post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.000956",
            "channel": "online",
            "applicant": applicant(),
            "documents": [
                {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp", "file_id": form},
                {"code": "DL", "name": "Điều lệ công ty", "file_id": charter},
                {"code": "BS", "name": "Bản sao giấy tờ, nộp giấy"},  # on paper: nothing to keep
            ],
        },
        format="json",
    ).json()
    assert mine(citizen) == []  # submitted is not received: the desk has not checked them yet
    received = act(desk, d["id"], "receive")
    kept = {doc["code"]: doc for doc in mine(citizen)}
    assert set(kept) == {"GDN", "DL"}
    assert {doc["source"] for doc in kept.values()} == {"submitted"}
    assert kept["DL"]["file_id"] == charter and kept["DL"]["dossier_code"] == received["code"]
    assert kept["DL"]["issued_at"] == received["received_at"]


def test_a_dossier_refused_at_receipt_leaves_nothing_in_the_warehouse(world: World) -> None:
    citizen, desk = world.client(world.citizen), world.client(world.receiver)
    d = citizen.post(
        "/api/v1/dossiers",
        {
            "procedure_code": "1.000956",
            "channel": "online",
            "applicant": applicant(),
            "documents": [{"code": "GDN", "name": "Giấy đề nghị", "file_id": upload(citizen)}],
        },
        format="json",
    ).json()
    act(desk, d["id"], "refuse", reason="Không thuộc thẩm quyền")
    assert mine(citizen) == []


def test_a_counter_dossier_is_received_at_once_so_its_scans_enter_at_once(world: World) -> None:
    warehouse_id, file_id = stocked(world)
    citizen = world.client(world.citizen)
    [doc] = mine(citizen)
    assert doc["id"] == warehouse_id and doc["source"] == "submitted" and doc["code"] == "GDN"
    # The desk uploaded it, for a dossier the citizen's account does not own: the warehouse lets them
    # download it all the same.
    assert citizen.get(f"/api/v1/files/{file_id}").status_code == 200
    assert world.client(world.other_citizen).get(f"/api/v1/files/{file_id}").status_code == 404


# --- who sees it ----------------------------------------------------------------------------------------


def test_the_warehouse_is_for_citizens_and_paginated(world: World, api: Any) -> None:
    stocked(world)
    assert error_of(world.client(world.receiver).get("/api/v1/me/documents"))["code"] == "permission_denied"
    assert world.client(world.admin).get("/api/v1/me/documents").status_code == 403
    assert api.get("/api/v1/me/documents").status_code == 401
    body = world.client(world.citizen).get("/api/v1/me/documents?page_size=1").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1


# --- reuse ---------------------------------------------------------------------------------------------


def test_reusing_a_warehouse_document_sets_the_flags_and_points_at_its_file(world: World) -> None:
    warehouse_id, file_id = stocked(world)
    citizen = world.client(world.citizen)
    files_before = DossierDocument.objects.values("file_id").distinct().count()
    created = citizen.post("/api/v1/dossiers", reuse_body(warehouse_id), format="json")
    assert created.status_code == 201, created.json()
    [doc] = created.json()["documents"]
    assert doc["file_id"] == file_id
    assert (doc["digitized"], doc["reused"], doc["from_warehouse"]) == (True, True, True)
    stored = DossierDocument.objects.get(dossier_id=created.json()["id"])
    assert (stored.digitized, stored.reused, stored.from_warehouse) == (True, True, True)
    assert DossierDocument.objects.values("file_id").distinct().count() == files_before  # no new file
    # The staff who may see the dossier that reuses it may open it, though a colleague uploaded it
    # for another dossier; staff of an agency that has nothing to do with it may not.
    act(world.client(world.receiver), created.json()["id"], "receive")
    act(world.client(world.receiver), created.json()["id"], "forward")
    assert world.client(world.specialist).get(f"/api/v1/files/{file_id}").status_code == 200
    assert world.client(world.other_specialist).get(f"/api/v1/files/{file_id}").status_code == 404


def test_another_citizens_warehouse_document_is_404_and_nothing_is_created(world: World) -> None:
    warehouse_id, _file_id = stocked(world)
    other = world.client(world.other_citizen)
    response = other.post(
        "/api/v1/dossiers",
        reuse_body(warehouse_id, applicant=applicant(id_number="079200000001")),
        format="json",
    )
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found" and list(error["fields"]) == ["documents.0.warehouse_id"]
    assert Dossier.objects.count() == 1  # the counter dossier that stocked it, nothing more
    # Naming the owner as the applicant does not open someone else's warehouse either.
    assert other.post("/api/v1/dossiers", reuse_body(warehouse_id), format="json").status_code == 404
    assert other.post("/api/v1/dossiers", reuse_body(10**12), format="json").status_code == 404
    assert Dossier.objects.count() == 1
    assert mine(other) == []


def test_file_id_and_warehouse_id_together_are_refused(world: World) -> None:
    warehouse_id, file_id = stocked(world)
    body = reuse_body(warehouse_id)
    body["documents"][0]["file_id"] = file_id
    response = world.client(world.citizen).post("/api/v1/dossiers", body, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["documents.0.warehouse_id"]
    assert Dossier.objects.count() == 1


def test_the_desk_reuses_the_applicants_document_for_a_counter_dossier(world: World) -> None:
    warehouse_id, file_id = stocked(world)
    desk = world.client(world.receiver)
    created = desk.post("/api/v1/dossiers", reuse_body(warehouse_id, channel="counter"), format="json")
    assert created.status_code == 201, created.json()
    [doc] = created.json()["documents"]
    assert doc["file_id"] == file_id and doc["from_warehouse"] and doc["reused"] and doc["digitized"]
    # For another applicant, the same id is someone else's document: 404.
    response = desk.post(
        "/api/v1/dossiers",
        reuse_body(warehouse_id, channel="counter", applicant=applicant(id_number="079200000001")),
        format="json",
    )
    assert response.status_code == 404 and "documents.0.warehouse_id" in error_of(response)["fields"]
    # Received again: the same file is kept once for its owner.
    assert WarehouseDocument.objects.filter(owner=CITIZEN_ID).count() == 1


def test_a_supplement_may_reuse_a_warehouse_document(world: World) -> None:
    warehouse_id, file_id = stocked(world)
    citizen, desk = world.client(world.citizen), world.client(world.receiver)
    d = citizen.post(
        "/api/v1/dossiers",
        {"procedure_code": "1.000956", "channel": "online", "applicant": applicant()},
        format="json",
    ).json()
    act(desk, d["id"], "request_supplement", items=["Giấy đề nghị"], reason="Thiếu giấy đề nghị")
    refused = act(
        citizen,
        d["id"],
        "supplement",
        expect=404,
        documents=[{"code": "GDN", "name": "Giấy đề nghị", "warehouse_id": warehouse_id + 1000}],
    )
    assert list(refused["error"]["fields"]) == ["documents.0.warehouse_id"]
    done = act(
        citizen,
        d["id"],
        "supplement",
        documents=[{"code": "GDN", "name": "Giấy đề nghị", "warehouse_id": warehouse_id}],
    )
    [doc] = done["documents"]
    assert doc["file_id"] == file_id and doc["from_warehouse"] and doc["supplemented"]
