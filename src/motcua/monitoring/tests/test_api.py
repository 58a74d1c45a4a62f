"""The monitoring API: who may call it, bad input in the envelope, and the exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.conftest import error_of
from motcua.demo import generator

INDEX = "/api/v1/metrics/service-index"
REPORT = "/api/v1/reports/dossiers"


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo-data", dossiers=0, stdout=io.StringIO())
    generator.generate(count=600, year=2026, seed=3)


def as_user(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_index_shape(demo: None) -> None:
    response = as_user("giamsat").get(INDEX, {"agency": "H15", "from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"agency", "from", "to", "total", "band", "groups"} <= set(body)
    assert body["agency"] == "H15" and body["from"] == "2026-01-01"
    assert [g["code"] for g in body["groups"]] == [
        "transparency",
        "progress",
        "online",
        "digitization",
        "payment",
        "satisfaction",
    ]
    codes = {i["code"] for g in body["groups"] for i in g["indicators"]}
    assert codes == {
        "publish_on_time", "public_update_on_time", "public_content_full", "dossier_sync", "on_time",
        "full_process_online", "e_result", "digitized", "reused_data", "warehouse_shared",
        "population_data_dossiers", "population_data_procedures", "e_certified_copy", "online_paid",
        "procedures_with_online_payment", "fee_procedures_with_dossiers", "dossier_satisfaction",
        "petition_on_time", "petition_satisfaction",
    }  # fmt: skip
    for g in body["groups"]:
        for i in g["indicators"]:
            assert {"code", "name", "max_points", "score", "numerator", "denominator", "ratio"} <= set(i)
    # Every indicator has a source now: the total and the band are numbers.
    petition = next(i for g in body["groups"] for i in g["indicators"] if i["code"] == "petition_on_time")
    assert petition["score"] is not None
    assert isinstance(body["total"], float | int) and 0 < body["total"] <= 100
    assert body["band"] and body["total"] == sum(g["score"] for g in body["groups"])
    on_time = next(i for g in body["groups"] for i in g["indicators"] if i["code"] == "on_time")
    assert on_time["denominator"] > 0 and on_time["score"] is not None


def test_report_json_csv_xlsx_agree(demo: None) -> None:
    client = as_user("giamsat")
    params = {"agency": "H15", "from": "2026-01-01", "to": "2026-12-31", "group_by": "agency"}
    body = client.get(REPORT, params).json()
    assert body["rows"] and body["group_by"] == "agency"
    for row in body["rows"]:
        for column in (
            "received_total", "received_online", "received_counter", "received_post", "carried_over",
            "resolved_total", "resolved_early", "resolved_on_time", "resolved_late", "pending_total",
            "pending_on_track", "pending_overdue", "refused", "withdrawn", "stopped",
        ):  # fmt: skip
            assert isinstance(row[column], int)
    exported = ["to_settle", *body["columns"], *body["payment_columns"]]
    response = client.get(REPORT, {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The XLSX's Vietnamese headings first, the contract's keys as the second header row.
    assert lines[0][:4] == [
        "Mã",
        "Đơn vị",
        "Tổng số hồ sơ phải giải quyết",
        "Số hồ sơ tiếp nhận trong kỳ - Tổng số",
    ]
    assert "Dừng xử lý" in lines[0]
    assert lines[1] == ["key", "label", *exported]
    assert [line[0] for line in lines[2:-1]] == [r["key"] for r in body["rows"]]
    assert [int(v) for v in lines[2][2:]] == [body["rows"][0][c] for c in exported]
    assert lines[-1][0] == "total"
    response = client.get(REPORT, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    text = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for heading in (
        "STT",
        "Đơn vị",
        "Số hồ sơ tiếp nhận trong kỳ",
        "Trực tuyến",
        "Đúng hạn",
        "Quá hạn",
        "Dừng xử lý",
        "Tổng số hồ sơ phải giải quyết",
        "Tổng cộng",
    ):
        assert heading in text
    assert any(t.startswith("Mỗi dòng cân đối") for t in text)
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=8) if isinstance(row[0].value, int)]
    assert len(data) == len(body["rows"])
    assert data[0][2:] == [body["rows"][0][c] for c in exported]


@pytest.mark.parametrize("group_by", ["procedure", "month"])
def test_report_groupings(demo: None, group_by: str) -> None:
    body = (
        as_user("quantri")
        .get(REPORT, {"from": "2026-01-01", "to": "2026-12-31", "group_by": group_by})
        .json()
    )
    assert body["agency"] == "H15" and body["rows"]
    if group_by == "month":
        assert body["rows"][0]["key"] == "2026-01"


def test_anonymous_is_401(demo: None) -> None:
    for url in (INDEX, REPORT):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("username", "agency", "status"),
    [
        ("quantri", "H15.STC", 200),
        ("giamsat", "H15.100", 200),  # a supervisor: everything under the province
        ("lanhdao", "H15.100", 200),  # a leader: their own commune
        ("lanhdao", "H15.100.TTPV", 200),  # … and what is under it
        ("lanhdao", "H15", 403),
        ("chuyenvien.stc", "H15.100", 403),
        ("tiepnhan", "H15.TTPV", 200),
        ("congdan", "H15", 403),
    ],
)
def test_who_may_call(demo: None, username: str, agency: str, status: int) -> None:
    for url in (INDEX, REPORT):
        response = as_user(username).get(url, {"agency": agency})
        assert response.status_code == status, (url, response.content)
        if status != 200:
            assert error_of(response)["code"] == "permission_denied"


def test_default_agency_is_the_callers(demo: None) -> None:
    assert as_user("lanhdao").get(INDEX).json()["agency"] == "H15.100"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
        ({"agency": "H99"}, "agency"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"group_by": "week"}, "group_by"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_input_is_an_envelope(demo: None, params: dict[str, str], field: str) -> None:
    client = as_user("giamsat")
    urls = [REPORT] if field in ("group_by", "format") else [INDEX, REPORT]
    for url in urls:
        response = client.get(url, params)
        assert response.status_code == 400, response.content
        error = error_of(response)
        assert error["code"] == "validation_error" and field in error["fields"]


def test_a_control_character_in_a_name_does_not_break_the_xlsx_report(world: Any) -> None:
    """An XLSX cell cannot hold the C0 controls: an agency named with one made the report a 500."""
    from motcua.agencies.models import Agency

    Agency.objects.filter(code="H15").update(name="Ủy ban nhân dân\x07 tỉnh Đắk Lắk")
    client = world.client(world.admin)
    response = client.get(REPORT, {"agency": "H15", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet["A1"].value == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"
