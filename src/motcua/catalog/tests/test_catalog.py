import copy
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.conftest import error_of

BIRTH = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "agency_code": "H15.18",
    "field": "Hộ tịch",
    "level": "commune",
    "processing_time": {"value": 8, "unit": "working_hours"},
    "processing_time_text": "Ngay trong ngày tiếp nhận hồ sơ.",
    "online_level": "full",
    "fee_vnd": 0,
    "result_is_document": True,
    "applicant_types": ["individual"],
    "required_documents": [
        {"code": "TK", "name": "Tờ khai đăng ký khai sinh theo mẫu", "required": True},
        {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "form": "original", "count": 1},
    ],
    "steps": [{"name": "Tiếp nhận", "agency_code": "H15.18", "role": "receiver", "working_hours": 1}],
    "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
    "decision_date": "2025-07-01",
    "published_date": "2025-07-03",
}


def procedure(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(BIRTH)
    body.update(changes)
    return body


@pytest.fixture
def birth(admin_api: APIClient, department: Any) -> dict[str, Any]:
    response = admin_api.post("/api/v1/procedures", BIRTH, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_create_and_read(birth: dict[str, Any], api: APIClient) -> None:
    assert birth["version"] == 1 and birth["status"] == "current"
    detail = api.get("/api/v1/procedures/1.001193").json()
    assert detail["name"] == "Đăng ký khai sinh"
    assert detail["processing_time"] == {"value": 8, "unit": "working_hours"}
    assert [d["code"] for d in detail["required_documents"]] == ["TK", "GCS"]
    assert detail["required_documents"][0] == {
        "code": "TK",
        "name": "Tờ khai đăng ký khai sinh theo mẫu",
        "required": True,
        "form": "original",
        "count": 1,
    }
    assert detail["steps"][0]["agency_code"] == "H15.18"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai  sinh", "Dang Ky", "ho tich", "1.001193"]
)
def test_search_ignores_diacritics_and_case(
    birth: dict[str, Any], admin_api: APIClient, api: APIClient, query: str
) -> None:
    admin_api.post("/api/v1/procedures", procedure(code="1.000894", name="Đăng ký kết hôn"), format="json")
    found = api.get("/api/v1/procedures", {"search": query}).json()
    assert "1.001193" in [p["code"] for p in found["results"]]
    if "khai" in query.lower():
        assert found["count"] == 1


@pytest.mark.django_db
def test_filter_by_agency_includes_agencies_below(birth: dict[str, Any], api: APIClient) -> None:
    assert api.get("/api/v1/procedures?agency=H15").json()["count"] == 1
    assert api.get("/api/v1/procedures?agency=H15.18").json()["count"] == 1
    assert api.get("/api/v1/procedures?agency=H15.04").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"processing_time": {"value": 0, "unit": "working_days"}}, "processing_time.value"),
        ({"processing_time": {"value": -3, "unit": "working_days"}}, "processing_time.value"),
        ({"processing_time": {"value": 3, "unit": "weeks"}}, "processing_time.unit"),
        ({"agency_code": "H15.99"}, "agency_code"),
        ({"code": "khai-sinh"}, "code"),
        ({"online_level": "level4"}, "online_level"),
        ({"applicant_types": []}, "applicant_types"),
        ({"decision_date": "2025-02-30"}, "decision_date"),
        ({"published_date": "2025-06-01"}, "published_date"),
        (
            {"required_documents": [{"code": "A", "name": "x"}, {"code": "A", "name": "y"}]},
            "required_documents",
        ),
        (
            {"steps": [{"name": "x", "agency_code": "H00", "role": "receiver", "working_hours": 1}]},
            "steps.0.agency_code",
        ),
        ({"name": "x" * 200_000}, "name"),
    ],
)
def test_bad_procedures_are_refused(
    admin_api: APIClient, department: Any, changes: dict[str, Any], field: str
) -> None:
    response = admin_api.post("/api/v1/procedures", procedure(**changes), format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"], error_of(response)
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_duplicate_is_a_conflict(birth: dict[str, Any], admin_api: APIClient) -> None:
    response = admin_api.post("/api/v1/procedures", BIRTH, format="json")
    assert response.status_code == 409
    assert ProcedureVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_waits_while_the_current_version_stays_live(
    birth: dict[str, Any], admin_api: APIClient, api: APIClient
) -> None:
    changed = procedure(processing_time={"value": 3, "unit": "working_days"}, fee_vnd=8000)
    draft = admin_api.post("/api/v1/procedures/1.001193/draft", changed, format="json")
    assert draft.status_code == 201 and draft.json()["status"] == "draft" and draft.json()["version"] == 2
    assert api.get("/api/v1/procedures/1.001193").json()["version"] == 1
    published = admin_api.post("/api/v1/procedures/1.001193/publish")
    assert published.status_code == 200 and published.json()["version"] == 2
    assert api.get("/api/v1/procedures/1.001193").json()["fee_vnd"] == 8000
    old = api.get("/api/v1/procedures/1.001193?version=1").json()
    assert old["status"] == "retired" and old["valid_to"] is not None and old["fee_vnd"] == 0
    assert api.get("/api/v1/procedures").json()["count"] == 1
    again = admin_api.post("/api/v1/procedures/1.001193/publish")
    assert again.status_code == 409 and error_of(again)["code"] == "no_draft"
    assert [v["version"] for v in api.get("/api/v1/procedures/1.001193/versions").json()] == [2, 1]


@pytest.mark.django_db
def test_json_export_import_round_trip(birth: dict[str, Any], admin_api: APIClient, api: APIClient) -> None:
    exported = api.get("/api/v1/procedures/export?format=json")
    document = json.loads(exported.content)
    assert document["format"] == "motcua-catalog" and len(document["procedures"]) == 1
    same = admin_api.post("/api/v1/procedures/import", document, format="json")
    assert same.json() == {"created": 0, "updated": 0, "unchanged": 1}
    document["procedures"][0]["fee_vnd"] = 5000
    document["procedures"].append(procedure(code="1.000894", name="Đăng ký kết hôn"))
    changed = admin_api.post("/api/v1/procedures/import", document, format="json")
    assert changed.json() == {"created": 1, "updated": 1, "unchanged": 0}
    assert api.get("/api/v1/procedures/1.001193").json()["version"] == 2


@pytest.mark.django_db
def test_import_is_all_or_nothing(birth: dict[str, Any], admin_api: APIClient) -> None:
    items = [procedure(code="1.000894", name="Đăng ký kết hôn"), procedure(code="1.000656", agency_code="X")]
    response = admin_api.post("/api/v1/procedures/import", items, format="json")
    assert response.status_code == 400
    assert "procedures.1.agency_code" in error_of(response)["fields"]
    assert Procedure.objects.count() == 1


@pytest.mark.django_db
def test_xlsx_export_import_round_trip(birth: dict[str, Any], admin_api: APIClient, api: APIClient) -> None:
    exported = api.get("/api/v1/procedures/export?format=xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(exported.content))
    assert workbook.sheetnames == ["Thủ tục", "Thành phần hồ sơ", "Quy trình"]
    assert workbook["Thủ tục"]["B3"].value == "Đăng ký khai sinh"
    upload = io.BytesIO(exported.content)
    upload.name = "danh-muc.xlsx"
    same = admin_api.post("/api/v1/procedures/import", {"file": upload}, format="multipart")
    assert same.status_code == 200, same.json()
    assert same.json() == {"created": 0, "updated": 0, "unchanged": 1}


@pytest.mark.django_db
def test_unreadable_upload(admin_api: APIClient, department: Any) -> None:
    upload = io.BytesIO(b"\x00\x01 not a workbook")
    upload.name = "x.xlsx"
    response = admin_api.post("/api/v1/procedures/import", {"file": upload}, format="multipart")
    assert response.status_code == 400 and error_of(response)["code"] == "unreadable_file"


@pytest.mark.django_db
def test_catalog_writes_need_an_admin(api: APIClient, department: Any) -> None:
    assert api.post("/api/v1/procedures", BIRTH, format="json").status_code == 401
    assert api.post("/api/v1/procedures/import", [], format="json").status_code == 401


@pytest.mark.django_db
def test_an_import_replaces_a_draft_never_published(admin_api: APIClient, department: Any) -> None:
    from motcua.catalog import exchange, services

    services.create_procedure(spec=exchange.validated(BIRTH), publish=False)  # begun in the admin
    assert admin_api.get("/api/v1/procedures/1.001193").status_code == 404
    response = admin_api.post("/api/v1/procedures/import", [procedure(fee_vnd=1000)], format="json")
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert list(ProcedureVersion.objects.values_list("number", "status", "fee_vnd")) == [(1, "current", 1000)]


@pytest.mark.django_db
def test_a_control_character_in_a_name_does_not_break_the_xlsx_export(
    admin_api: APIClient, api: APIClient, department: Any
) -> None:
    """Found by fuzzing the API: an XLSX cell cannot hold the C0 controls, and one procedure named with
    one made every export of the catalog a 500."""
    documents = [{"code": "TK", "name": "Tờ khai\x0b", "required": True}]
    created = admin_api.post(
        "/api/v1/procedures",
        procedure(name="Đăng ký\x01 khai sinh", required_documents=documents),
        format="json",
    )
    assert created.status_code == 201, created.json()
    exported = api.get("/api/v1/procedures/export?format=xlsx")
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.content))
    assert workbook["Thủ tục"]["B3"].value == "Đăng ký khai sinh"
    assert workbook["Thành phần hồ sơ"]["C3"].value == "Tờ khai"
