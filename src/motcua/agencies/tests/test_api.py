from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.agencies.selectors import agency_subtree
from motcua.agencies.services import load_administrative_units
from motcua.conftest import error_of


@pytest.mark.django_db
def test_admin_creates_agencies_and_anyone_reads_them(admin_api: APIClient, api: APIClient) -> None:
    for body in (
        {"code": "H15", "name": "UBND tỉnh Đắk Lắk", "kind": "province"},
        {"code": "H15.18", "name": "Sở Tư pháp", "kind": "department", "parent_code": "H15"},
        {"code": "H15.18.01", "name": "Phòng Hành chính tư pháp", "kind": "other", "parent_code": "H15.18"},
    ):
        response = admin_api.post("/api/v1/agencies", body, format="json")
        assert response.status_code == 201, response.json()
    listing = api.get("/api/v1/agencies")
    assert listing.status_code == 200
    assert listing.json()["count"] == 3 and {"count", "next", "previous", "results"} <= set(listing.json())
    detail = api.get("/api/v1/agencies/H15.18").json()
    assert detail["parent_code"] == "H15" and detail["kind"] == "department"
    assert [a.code for a in agency_subtree(Agency.objects.get(code="H15.18"))] == ["H15.18", "H15.18.01"]
    assert api.get("/api/v1/agencies?parent=H15").json()["count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"code": "h15", "name": "x", "kind": "province"}, "code", 400),
        ({"code": "H15.", "name": "x", "kind": "province"}, "code", 400),
        ({"code": "H15.99", "name": "x", "kind": "department", "parent_code": "H77"}, "parent_code", 400),
        ({"code": "H16", "name": "x", "kind": "planet"}, "kind", 400),
        ({"code": "H16", "name": "x", "kind": "province", "valid_from": "2026-02-30"}, "valid_from", 400),
        (
            {
                "code": "H16",
                "name": "x",
                "kind": "province",
                "valid_from": "2026-05-01",
                "valid_to": "2026-01-01",
            },
            "valid_to",
            400,
        ),
        ({"code": "H16", "name": "x" * 300, "kind": "province"}, "name", 400),
        ({"code": "H16", "name": "a\x00b", "kind": "province"}, "name", 400),
    ],
)
def test_bad_agencies_are_refused_and_nothing_is_written(
    admin_api: APIClient, body: dict[str, Any], field: str, status: int
) -> None:
    response = admin_api.post("/api/v1/agencies", body, format="json")
    assert response.status_code == status
    error = error_of(response)
    assert field in error["fields"], error
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_duplicates_conflict_and_messages_follow_the_language(admin_api: APIClient, province: Any) -> None:
    body = {"code": "H15", "name": "x", "kind": "province"}
    vi = admin_api.post("/api/v1/agencies", body, format="json")
    assert vi.status_code == 409 and error_of(vi)["code"] == "duplicate"
    assert "đã tồn tại" in error_of(vi)["message"]
    en = admin_api.post("/api/v1/agencies", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "already exists" in error_of(en)["message"]


@pytest.mark.django_db
def test_writes_need_an_admin(api: APIClient, province: Any) -> None:
    body = {"code": "H15.04", "name": "Sở GD&ĐT", "kind": "department", "parent_code": "H15"}
    assert api.post("/api/v1/agencies", body, format="json").status_code == 401
    from motcua.accounts.services import create_user

    api.force_authenticate(
        create_user(username="cb", password="matkhau123", role="receiver", agency_code="H15")
    )
    response = api.post("/api/v1/agencies", body, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"


@pytest.mark.django_db
def test_malformed_json_and_unknown_agency(admin_api: APIClient, api: APIClient) -> None:
    response = admin_api.post("/api/v1/agencies", '{"code": "H1', content_type="application/json")
    assert response.status_code == 400 and error_of(response)["code"] == "malformed_request"
    missing = api.get("/api/v1/agencies/H99")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    assert error_of(api.get("/api/v1/no-such-endpoint"))["code"] == "not_found"


@pytest.mark.django_db
def test_administrative_units_load_34_provinces_and_3321_communes(api: APIClient) -> None:
    assert load_administrative_units() == (34, 3321)
    assert load_administrative_units() == (34, 3321)  # idempotent
    assert AdministrativeUnit.objects.filter(level="province").count() == 34
    assert AdministrativeUnit.objects.filter(level="commune").count() == 3321
    daklak = AdministrativeUnit.objects.get(code="66")
    assert daklak.name == "Tỉnh Đắk Lắk"
    assert daklak.communes.count() == 102
    body = api.get("/api/v1/administrative-units?province=66&page_size=200").json()
    assert body["count"] == 102
