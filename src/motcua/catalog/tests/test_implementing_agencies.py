"""Implementing agencies (contract §3): every agency that settles a procedure, the resolving agency
always among them, carried by the API, the JSON and XLSX exchange, and read by one selector."""

from __future__ import annotations

import importlib
import io
import json
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.agencies.models import Agency
from motcua.agencies.services import create_agency
from motcua.catalog import selectors
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.tests.test_catalog import procedure
from motcua.conftest import error_of

COMMUNES = ["H15.100", "H15.105", "H15.131"]


@pytest.fixture
def communes(department: Any) -> list[Agency]:
    return [
        create_agency(code=code, name=f"Ủy ban nhân dân xã {code}", kind="commune", parent_code="H15")
        for code in COMMUNES
    ]


def birth(**changes: Any) -> dict[str, Any]:
    return procedure(agency_code="H15.100", steps=[], **changes)


@pytest.mark.django_db
def test_defaults_to_the_resolving_agency(admin_api: APIClient, api: APIClient, communes: Any) -> None:
    assert admin_api.post("/api/v1/procedures", birth(), format="json").status_code == 201
    detail = api.get("/api/v1/procedures/1.001193").json()
    assert detail["agency_code"] == "H15.100"
    assert detail["implementing_agency_codes"] == ["H15.100"]


@pytest.mark.django_db
def test_the_resolving_agency_is_always_among_them(
    admin_api: APIClient, api: APIClient, communes: Any
) -> None:
    body = birth(implementing_agency_codes=["H15.131", "H15.105", "H15.131"])
    created = admin_api.post("/api/v1/procedures", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["implementing_agency_codes"] == COMMUNES
    assert api.get("/api/v1/procedures/1.001193").json()["implementing_agency_codes"] == COMMUNES


@pytest.mark.django_db
def test_unknown_codes_are_refused_by_index(admin_api: APIClient, communes: Any) -> None:
    body = birth(implementing_agency_codes=["H15.105", "H15.999", "nonsense"])
    response = admin_api.post("/api/v1/procedures", body, format="json")
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert set(fields) == {"implementing_agency_codes.1", "implementing_agency_codes.2"}
    assert "H15.999" in fields["implementing_agency_codes.1"][0]
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_a_draft_has_its_own_list(admin_api: APIClient, api: APIClient, communes: Any) -> None:
    admin_api.post("/api/v1/procedures", birth(), format="json")
    draft = admin_api.post(
        "/api/v1/procedures/1.001193/draft", birth(implementing_agency_codes=COMMUNES), format="json"
    )
    assert draft.status_code == 201 and draft.json()["implementing_agency_codes"] == COMMUNES
    assert api.get("/api/v1/procedures/1.001193").json()["implementing_agency_codes"] == ["H15.100"]
    admin_api.post("/api/v1/procedures/1.001193/publish")
    assert api.get("/api/v1/procedures/1.001193").json()["implementing_agency_codes"] == COMMUNES
    assert api.get("/api/v1/procedures/1.001193?version=1").json()["implementing_agency_codes"] == ["H15.100"]


@pytest.mark.django_db
def test_json_exchange_carries_them(admin_api: APIClient, api: APIClient, communes: Any) -> None:
    admin_api.post("/api/v1/procedures", birth(implementing_agency_codes=COMMUNES[:2]), format="json")
    document = json.loads(api.get("/api/v1/procedures/export?format=json").content)
    assert document["procedures"][0]["implementing_agency_codes"] == COMMUNES[:2]
    same = admin_api.post("/api/v1/procedures/import", document, format="json")
    assert same.json() == {"created": 0, "updated": 0, "unchanged": 1}
    document["procedures"][0]["implementing_agency_codes"] = COMMUNES
    changed = admin_api.post("/api/v1/procedures/import", document, format="json")
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert api.get("/api/v1/procedures/1.001193").json()["implementing_agency_codes"] == COMMUNES


@pytest.mark.django_db
def test_xlsx_exchange_carries_them(admin_api: APIClient, api: APIClient, communes: Any) -> None:
    admin_api.post("/api/v1/procedures", birth(implementing_agency_codes=COMMUNES), format="json")
    exported = api.get("/api/v1/procedures/export?format=xlsx").content
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook["Thủ tục"]
    column = [cell.value for cell in sheet[2]].index("implementing_agency_codes") + 1
    assert sheet.cell(row=1, column=column).value == "Mã các cơ quan thực hiện"
    assert sheet.cell(row=3, column=column).value == "H15.100\nH15.105\nH15.131"

    def upload(book: Any) -> Any:
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        out.name = "danh-muc.xlsx"
        return admin_api.post("/api/v1/procedures/import", {"file": out}, format="multipart")

    assert upload(workbook).json() == {"created": 0, "updated": 0, "unchanged": 1}
    sheet.cell(row=3, column=column).value = "H15.131, H15.105"  # typed by hand, without the default
    assert upload(workbook).json() == {"created": 0, "updated": 0, "unchanged": 1}
    sheet.cell(row=3, column=column).value = "H15.131"
    assert upload(workbook).json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert api.get("/api/v1/procedures/1.001193").json()["implementing_agency_codes"] == [
        "H15.100",
        "H15.131",
    ]
    sheet.cell(row=3, column=column).value = "H15.131 H15.777"
    refused = upload(workbook)
    assert refused.status_code == 400
    assert "procedures.0.implementing_agency_codes.1" in error_of(refused)["fields"]


@pytest.mark.django_db
def test_selector_lists_those_in_force_in_tree_order(admin_api: APIClient, communes: Any) -> None:
    admin_api.post("/api/v1/procedures", birth(implementing_agency_codes=COMMUNES), format="json")
    version = ProcedureVersion.objects.get()
    assert [a.code for a in selectors.implementing_agencies(version)] == COMMUNES
    Agency.objects.filter(code="H15.105").update(valid_to=date(2026, 6, 30))  # merged away mid-year
    assert [a.code for a in selectors.implementing_agencies(version, on=date(2026, 6, 30))] == COMMUNES
    assert [a.code for a in selectors.implementing_agencies(version, on=date(2026, 7, 1))] == [
        "H15.100",
        "H15.131",
    ]


@pytest.mark.django_db
def test_migration_gives_commune_level_procedures_every_commune(admin_api: APIClient, communes: Any) -> None:
    admin_api.post("/api/v1/procedures", birth(), format="json")
    admin_api.post(
        "/api/v1/procedures",
        procedure(code="1.000956", name="Đăng ký doanh nghiệp", level="province", steps=[]),
        format="json",
    )
    create_agency(code="H16", name="Ủy ban nhân dân tỉnh khác", kind="province")
    create_agency(code="H16.100", name="Ủy ban nhân dân xã khác", kind="commune", parent_code="H16")
    create_agency(code="H15.120", name="Xã đã sáp nhập", kind="commune", parent_code="H15")
    Agency.objects.filter(code="H15.120").update(valid_to=date(2025, 6, 30))
    for version in ProcedureVersion.objects.all():
        version.implementing_agencies.clear()
    migration = importlib.import_module("motcua.catalog.migrations.0003_implementing_agencies")
    migration.fill_implementing_agencies(apps, None)
    by_code = {
        v.code: sorted(a.code for a in v.implementing_agencies.all()) for v in ProcedureVersion.objects.all()
    }
    assert by_code == {"1.001193": COMMUNES, "1.000956": ["H15.18"]}
