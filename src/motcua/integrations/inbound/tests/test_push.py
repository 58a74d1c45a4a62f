"""Dossiers pushed by the national portal (model B) and VNeID (model D) to their inbound endpoints
(integrations.md §5, §10.2 item 5), with the stand-in's own sample bodies."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from motcua.core.throttling import WindowThrottle
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import World, logged_in
from motcua.files.models import StoredFile
from motcua.integrations.inbound import services, wire
from motcua.integrations.inbound.tests.conftest import MERGER
from motcua.integrations.models import ExternalDossier
from motcua.standins.lienthong import business_notice, lltp_form

pytestmark = pytest.mark.django_db

B_URL, D_URL = "/api/integrations/dvcqg/dossiers", "/api/integrations/vneid/dossiers"
B_SECRET, D_SECRET = "bi-mat-cong-dvcqg", "bi-mat-vneid"


def push_b(body: dict[str, Any], secret: str | None = B_SECRET) -> Any:
    headers = {"HTTP_X_API_KEY": secret} if secret is not None else {}
    return Client().post(B_URL, json.dumps(body), content_type="application/json", **headers)


def push_d(body: dict[str, Any], secret: str = D_SECRET) -> Any:
    return Client().post(f"{D_URL}?CodeGet={secret}", json.dumps(body), content_type="application/json")


def test_a_business_notice_lands_submitted_at_the_desk_that_serves_the_mapped_agency(mapped: World) -> None:
    answer = push_b(business_notice("G22.99-260101-0001", "2.000150", ""))
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"error_code": 0, "message": "Đã tiếp nhận hồ sơ."}
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel, dossier.procedure.code) == ("submitted", "online", "1.000956")
    assert (dossier.receiving_agency.code, dossier.resolving_agency.code) == ("H15.TTPV", "H15.STC")
    assert (dossier.applicant_kind, dossier.applicant_id_number) == ("organization", "6000123456")
    assert dossier.created_by is None and dossier.code is None
    assert [d.file.content_type for d in dossier.documents.all()] == ["application/pdf"] * 2
    assert DossierEvent.objects.get(dossier=dossier).actor is None
    assert ExternalDossier.objects.get().external_code == "G22.99-260101-0001"
    # The desk sees it in its queue of dossiers to receive.
    queue = mapped.client(mapped.receiver).get("/api/v1/dossiers?status=submitted").json()
    assert [d["id"] for d in queue["results"]] == [dossier.pk]


def test_a_redelivered_dossier_is_the_same_dossier(mapped: World) -> None:
    body = business_notice("G22.99-260101-0002", "2.000150", "")
    first, again = push_b(body), push_b(body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"error_code": 0, "message": "Hồ sơ này đã được tiếp nhận trước đó."}
    assert Dossier.objects.count() == 1 and StoredFile.objects.count() == 2
    assert ExternalDossier.objects.get().deliveries == 2


def test_two_deliveries_at_once_meet_at_the_unique_constraint(mapped: World, monkeypatch: Any) -> None:
    inbound = wire.business_notice(business_notice("G22.99-260101-0003", "2.000150", ""))
    first, created = services.create_external(inbound)
    assert created
    # The second delivery read "not here yet" just before the first committed.
    real = services._existing
    calls: list[int] = []

    def late(i: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real(i)

    monkeypatch.setattr(services, "_existing", late)
    again, created = services.create_external(inbound)
    assert (again.pk, created, Dossier.objects.count()) == (first.pk, False, 1)


def test_an_unknown_procedure_is_refused_in_the_portals_shape_and_nothing_is_made(mapped: World) -> None:
    answer = push_b(business_notice("G22.99-260101-0004", "9.999999", ""))
    assert answer.status_code == 400
    body = answer.json()
    assert body["error_code"] == -1 and "9.999999" in body["message"]
    assert not Dossier.objects.exists() and not StoredFile.objects.exists()
    assert not ExternalDossier.objects.exists()


@pytest.mark.parametrize("secret", [None, "", "bi-mat-sai", B_SECRET + "x"])
def test_a_push_without_the_right_secret_is_refused(mapped: World, secret: str | None) -> None:
    answer = push_b(business_notice("G22.99-260101-0005", "2.000150", ""), secret=secret)
    assert answer.status_code == 401
    assert answer.json()["error_code"] == -1
    assert not Dossier.objects.exists()


def test_with_no_secret_configured_every_push_is_refused(mapped: World, settings: Any) -> None:
    settings.MOTCUA_INBOUND_SECRETS = {"dvcqg": "", "vneid": ""}
    assert push_b(business_notice("X1", "2.000150", ""), secret="").status_code == 401
    assert push_d(lltp_form("X2", "3.000333", ""), secret="").status_code == 401
    assert not Dossier.objects.exists()


def test_a_file_that_is_not_an_allowed_kind_is_refused_and_nothing_is_made(mapped: World) -> None:
    body = business_notice("G22.99-260101-0006", "2.000150", "")
    body["TaiLieuNop"] = [
        {"TenTepDinhKem": "virus.pdf", "Base64": base64.b64encode(b"MZ\x90\x00rest").decode()}
    ]
    answer = push_b(body)
    assert answer.status_code == 400 and answer.json()["error_code"] == -1
    assert not Dossier.objects.exists() and not StoredFile.objects.exists()


def test_a_body_that_is_not_the_wire_format_is_refused(mapped: World) -> None:
    broken = Client().post(B_URL, "{not json", content_type="application/json", HTTP_X_API_KEY=B_SECRET)
    assert broken.status_code == 400 and broken.json()["error_code"] == -1
    missing = push_b({**business_notice("G1", "2.000150", ""), "MaSoThue": ""})
    assert missing.status_code == 400 and "MaSoThue" in missing.json()["message"]
    assert not Dossier.objects.exists()


def test_a_vneid_form_lands_with_vneid_answers(mapped: World) -> None:
    answer = push_d(lltp_form("VNEID-0001", "3.000333", ""))
    assert answer.status_code == 200
    dossier = Dossier.objects.get()
    assert answer.json() == {
        "statusCode": 200,
        "data": {"maHoSo": "VNEID-0001", "id": dossier.pk},
        "errorDetail": None,
    }
    assert (dossier.resolving_agency.code, dossier.receiving_agency.code) == ("H15.16", "H15.TTPV")
    assert dossier.vneid_verified and dossier.applicant_id_number == "066195012345"
    wrong = push_d(lltp_form("VNEID-0002", "3.000333", ""), secret="sai")
    assert wrong.status_code == 401
    assert wrong.json() == {"statusCode": 401, "data": None, "errorDetail": "Thiếu hoặc sai mã xác thực."}
    unknown = push_d(lltp_form("VNEID-0003", "9.1", ""))
    assert unknown.status_code == 400 and unknown.json()["statusCode"] == 400
    assert unknown.json()["data"] is None and "9.1" in unknown.json()["errorDetail"]
    assert Dossier.objects.count() == 1


def test_the_map_follows_the_mergers_by_the_submission_date(mapped: World) -> None:
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    before = services.mapping_for("1.001193", "105", MERGER - timedelta(days=1))
    after = services.mapping_for("1.001193", "105", MERGER)
    assert before is not None and after is not None
    assert (before.agency.code, after.agency.code) == ("H15.105", "H15.100")
    assert services.mapping_for("1.001193", "999", MERGER) is None  # no row for any agency
    assert services.mapping_for("2.000150", "777", MERGER) is not None  # a row for every agency
    inbound = wire.listed(
        {
            "data": [
                {
                    "maDonVi": 105,
                    "maTTHC": "1.001193",
                    "maHoSo": "LT-OLD",
                    "ngayTiepNhan": datetime(2025, 6, 30, 9, 0, tzinfo=vn).isoformat(),
                    "chuHoSo": {"hoTen": "A Ma", "soDinhDanh": "066195012345"},
                }
            ]
        }
    )[0]
    assert not isinstance(inbound, wire.Unreadable)
    dossier, _created = services.create_external(inbound)
    assert dossier.resolving_agency.code == "H15.105"


def test_the_endpoints_are_rate_limited(mapped: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", {"inbound": "2/min"})
    answers = [push_b(business_notice(f"R{i}", "2.000150", ""), secret="sai").status_code for i in range(3)]
    assert answers == [401, 401, 429]


def test_no_personal_id_or_phone_number_reaches_the_log(mapped: World, caplog: Any) -> None:
    caplog.set_level("DEBUG")
    push_d(lltp_form("VNEID-LOG", "3.000333", ""))
    push_d(lltp_form("VNEID-LOG", "3.000333", ""))
    push_d(lltp_form("VNEID-LOG2", "9.9", ""))
    push_d(lltp_form("VNEID-LOG3", "3.000333", ""), secret="sai")
    logged = caplog.text
    assert "VNEID-LOG" in logged  # the log does say what happened
    assert "066195012345" not in logged and "0905123456" not in logged


def test_the_desk_sees_where_the_dossier_was_filed(mapped: World) -> None:
    push_d(lltp_form("VNEID-PAGE", "3.000333", ""))
    dossier = Dossier.objects.get()
    page = logged_in(mapped.receiver).get(f"/can-bo/ho-so/{dossier.pk}/")
    assert page.status_code == 200
    assert "Nộp trên ứng dụng VNeID, mã VNEID-PAGE" in page.content.decode()


def test_a_wrong_personal_id_is_refused_before_any_file_is_stored(mapped: World, monkeypatch: Any) -> None:
    stored: list[str] = []
    monkeypatch.setattr(services, "_store", lambda name, content: stored.append(name))
    body = lltp_form("VNEID-BADID", "3.000333", "")
    body["data"]["SoGiayTo"] = "123"
    body["data"]["TepDinhKem"] = [
        {"TenTep": "a.pdf", "Base64": base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()}
    ]
    answer = push_d(body)
    assert answer.status_code == 400 and "applicant.id_number" in answer.json()["errorDetail"]
    assert not Dossier.objects.exists() and stored == []  # no blob written
