"""The dashboard says what its headline figure is, explains its chart's colours, says who holds each
overdue dossier and how late it is, and groups its agency picker."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.calendar.selectors import get_calendar
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier

ID = "066195012345"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overdue(world: Any, *, step: str | None = None) -> Dossier:
    """A dossier at the department, a week past its due date."""
    dossier, _new = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name="Nguyễn Văn An", id_number=ID),
    )
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step=step))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(days=7))
    dossier.refresh_from_db()
    return dossier


def test_the_headline_is_the_total_out_of_100_with_its_band(world: Any) -> None:
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    found = re.search(r"([\d.]+,\d\d) điểm trên thang 100 (Xuất sắc|Tốt|Khá|Trung bình|Yếu)", text)
    assert found, text[:2000]
    assert Decimal(found.group(1).replace(".", "").replace(",", ".")) <= 100
    assert "chưa có nguồn dữ liệu" not in text


def test_the_chart_of_groups_has_a_legend_for_each_colour(world: Any) -> None:
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    legend = re.search(r'<ul class="mn-legend"[^>]*>(.*?)</ul>', html, re.S)
    assert legend
    keys = re.findall(r'<li><span class="mn-key mn-key-(\w+)"[^>]*></span>\s*([^<]+)</li>', legend.group(1))
    assert [(k, t.strip()) for k, t in keys] == [
        ("score", "Điểm của nhóm có đủ số liệu"),
        ("max", "Điểm tối đa của nhóm"),
    ]


def test_the_petitions_and_their_classification_shares(world: Any) -> None:
    from motcua.petitions.tests.conftest import sent

    sent(world, about="procedure")
    sent(world, about="staff_conduct")
    sent(world, about="staff_conduct")
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Phản ánh, kiến nghị đã tiếp nhận 3" in text
    assert "về quy định, thủ tục hành chính 1 (33%)" in text
    assert "về hành vi của cán bộ, công chức 2 (67%)" in text


def test_the_overdue_list_says_who_holds_each_dossier_and_how_late_it_is(world: Any) -> None:
    running = overdue(world, step="Thẩm định hồ sơ")
    paused = overdue(world)
    services.act(
        actor=world.specialist, dossier_id=paused.pk, command=commands.RequestPayment(amount_vnd=50000)
    )
    paused.refresh_from_db()
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    table = html.split('id="overdue-title"')[1].split("</table>")[0]
    assert "Đang ở" in table and "Quá hạn" in table and "Mã hồ sơ" in table
    calendar = get_calendar()
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 2
    by_code = {re.search(r">([^<]+)</a>", r).group(1): r for r in rows}  # type: ignore[union-attr]
    row = by_code[running.code]
    assert "Sở Tài chính tỉnh Đắk Lắk" in row and "Thẩm định hồ sơ" in row
    assert calendar.working_time_between(running.due_at, timezone.now()) >= calendar.day_length
    assert re.search(r"\d+ ngày làm việc", row)
    row = by_code[paused.code]
    assert "Tạm dừng chờ người nộp thanh toán phí, lệ phí" in row
    assert re.search(r"\d+ ngày làm việc", row)


def test_the_overdue_list_costs_the_same_queries_for_few_rows_or_many(world: Any) -> None:
    overdue(world, step="Thẩm định hồ sơ")
    supervisor = logged_in(world.supervisor)
    supervisor.get("/dieu-hanh/")  # warm the per-process calendar
    with CaptureQueriesContext(connection) as one:
        supervisor.get("/dieu-hanh/")
    overdue(world, step="Phê duyệt")
    overdue(world)
    with CaptureQueriesContext(connection) as three:
        html = supervisor.get("/dieu-hanh/").content.decode()
    assert html.split('id="overdue-title"')[1].count("<tr>") == 4  # the head and three rows
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


def test_the_agency_picker_is_grouped_and_searchable(world: Any) -> None:
    html = logged_in(world.supervisor).get("/dieu-hanh/").content.decode()
    select = re.search(r'<select name="agency".*?</select>', html, re.S)
    assert select
    assert 'data-search="Tìm cơ quan"' in select.group(0)
    assert re.findall(r'<optgroup label="([^"]+)">', select.group(0)) == [
        "Cơ quan, trung tâm cấp tỉnh",
        "Sở, ban, ngành",
        "Xã, phường",
    ]
    assert re.search(r'<option value="H15" selected>Ủy ban nhân dân tỉnh Đắk Lắk</option>', select.group(0))
