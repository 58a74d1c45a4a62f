"""Fees paid by channel: dossiers paid through each channel an order can take (contract §8.3), on the
roll-ups (incremental and rebuilt), in the report (JSON, CSV, XLSX) and on the dashboard; the index's
``online_paid`` still counts the two online platforms only (contract §7)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from motcua.agencies.models import Agency
from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import World, logged_in, online_dossier
from motcua.monitoring import rollup, selectors
from motcua.monitoring.models import DossierCount
from motcua.monitoring.tests.test_recount import counts_table

FEE = 50000
CHANNELS = ["paid_national_portal", "paid_local_gateway", "paid_vietqr", "paid_counter"]


def awaiting(world: World) -> int:
    """An online dossier received, at the department, asked to pay the fee."""
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    services.act(
        actor=world.specialist, dossier_id=dossier.pk, command=commands.RequestPayment(amount_vnd=FEE)
    )
    return int(dossier.pk)


def pay(world: World, dossier_id: int, channel: str) -> None:
    """The way each channel really ends in the ``pay`` action: the platforms' confirmations as the
    system, a transfer confirmed by the desk, the cashier at the counter."""
    if channel in ("national_portal", "local_gateway"):
        services.act_as_system(
            dossier_id=dossier_id, command=commands.Pay(amount_vnd=FEE, method="online", gateway=channel)
        )
    elif channel == "vietqr":
        services.act(
            actor=world.specialist,
            dossier_id=dossier_id,
            command=commands.Pay(amount_vnd=FEE, method="online", gateway="vietqr", reference="FT123"),
        )
    else:
        services.act(
            actor=world.specialist,
            dossier_id=dossier_id,
            command=commands.Pay(amount_vnd=FEE, method="counter", reference="BL1"),
        )


@pytest.fixture
def paid(world: World) -> World:
    """Three dossiers paid on the national platform, two on the province's gateway, one by VietQR
    transfer, four at the counter; one paid twice (a transfer, then a second order on the national
    platform); one still awaiting payment."""
    for channel, n in (("national_portal", 3), ("local_gateway", 2), ("vietqr", 1), ("counter", 4)):
        for _ in range(n):
            pay(world, awaiting(world), channel)
    twice = awaiting(world)
    pay(world, twice, "vietqr")
    services.act(actor=world.specialist, dossier_id=twice, command=commands.RequestPayment(amount_vnd=FEE))
    pay(world, twice, "national_portal")
    awaiting(world)
    return world


EXPECTED = {
    "with_fee": 12,  # the one still awaiting payment owes its fee too
    "paid_national_portal": 4,
    "paid_local_gateway": 2,
    "paid_vietqr": 2,
    "paid_counter": 4,
}


def rolled_up() -> dict[str, int]:
    sums = DossierCount.objects.filter(span="d").aggregate(**{c: Sum(c) for c in [*EXPECTED, "paid_online"]})
    return {c: v or 0 for c, v in sums.items()}


def test_the_roll_up_counts_paid_dossiers_by_channel(paid: World) -> None:
    rollup.update()
    assert rolled_up() == {**EXPECTED, "paid_online": 6}  # the dossier paid twice counts once online
    months = DossierCount.objects.filter(span="m").aggregate(**{c: Sum(c) for c in CHANNELS})
    assert months == {c: EXPECTED[c] for c in CHANNELS}


def test_incremental_equals_rebuild_as_orders_are_paid(world: World) -> None:
    rollup.update()
    first = awaiting(world)
    rollup.update()
    assert rolled_up()["paid_counter"] == 0 and rolled_up()["with_fee"] == 1  # asked for, owed
    pay(world, first, "counter")
    pay(world, awaiting(world), "local_gateway")
    rollup.update()
    assert rolled_up() == {
        **dict.fromkeys(EXPECTED, 0),
        "with_fee": 2,
        "paid_counter": 1,
        "paid_local_gateway": 1,
        "paid_online": 1,
    }
    incremental = counts_table()
    rollup.rebuild()
    assert counts_table() == incremental


def test_the_index_counts_only_the_online_platforms(paid: World) -> None:
    rollup.update()
    today = timezone.localdate()
    whole, _units = selectors.service_index(Agency.objects.get(code="H15"), date(today.year, 1, 1), today)
    indicator = next(i for g in whole.result.groups for i in g.indicators if i.code == "online_paid")
    assert (indicator.numerator, indicator.denominator) == (6, 12)


def test_the_report_adds_the_channels_beside_the_contract_columns(paid: World) -> None:
    today = timezone.localdate()
    params = {"agency": "H15", "from": f"{today.year}-01-01", "to": today.isoformat(), "group_by": "agency"}
    client = paid.client(paid.supervisor)
    body = client.get("/api/v1/reports/dossiers", params).json()
    assert body["columns"] == selectors.REPORT_COLUMNS  # the contract's, unchanged
    assert body["payment_columns"] == list(EXPECTED)
    assert {c: body["total"][c] for c in EXPECTED} == EXPECTED
    (row,) = body["rows"]
    assert row["key"] == "H15.STC" and {c: row[c] for c in EXPECTED} == EXPECTED
    outcomes = sum(row[c] for c in ("resolved_total", "refused", "withdrawn", "stopped", "pending_total"))
    assert row["carried_over"] + row["received_total"] == outcomes == row["to_settle"] == 12

    exported = client.get("/api/v1/reports/dossiers", {**params, "format": "csv"})
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    keys = lines[1]
    assert keys[2 : 3 + len(selectors.REPORT_COLUMNS)] == ["to_settle", *selectors.REPORT_COLUMNS]
    assert keys[-len(EXPECTED) :] == list(EXPECTED)
    assert [int(v) for v in lines[-1][-len(EXPECTED) :]] == list(EXPECTED.values())
    assert "Đã thanh toán, theo kênh - Chuyển khoản (VietQR)" in lines[0]

    exported = client.get("/api/v1/reports/dossiers", {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    grid = [[c.value for c in r] for r in sheet.iter_rows()]
    heads = [str(v) for r in grid[:7] for v in r if v is not None]
    assert "Nền tảng thanh toán của Cổng Dịch vụ công quốc gia" in heads
    total = next(r for r in grid if r[0] == "Tổng cộng")
    assert total[-len(EXPECTED) :] == list(EXPECTED.values())


def test_the_dashboard_shows_payment_by_channel(paid: World) -> None:
    rollup.update()
    html = logged_in(paid.supervisor).get("/dieu-hanh/").content.decode()
    section = html.split('id="payments-title"')[1].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
    assert "Thanh toán phí, lệ phí theo kênh" in html
    for label, n, share in (
        ("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia", 4, "33,3%"),
        ("Cổng thanh toán của tỉnh", 2, "16,7%"),
        ("Chuyển khoản (VietQR)", 2, "16,7%"),
        ("Nộp trực tiếp tại Bộ phận Một cửa (tiền mặt, thẻ)", 4, "33,3%"),
    ):
        assert re.search(rf"{re.escape(label)} .*?{n} {re.escape(share)}", text), (label, text)
    assert "12 hồ sơ có phí, lệ phí" in text
    assert "Bộ chỉ số 766 tính 6 hồ sơ trong số đó là thanh toán trực tuyến" in text  # not the VietQR one


def test_no_fee_no_table(world: World) -> None:
    rollup.update()
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    section = html.split('id="payments-title"')[1].split("</section>")[0]
    assert "<table" not in section and "Không có hồ sơ nào có phí, lệ phí" in section
