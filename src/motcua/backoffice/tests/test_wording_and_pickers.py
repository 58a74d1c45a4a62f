"""The staff pages say what a waiting dossier waits for, the result upload says what it takes, and the
forward form's agencies come in groups with a search box."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from motcua.agencies.services import create_agency
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import counter_dossier, logged_in

ID = "066195012345"


def in_processing(world: Any) -> Dossier:
    dossier = counter_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    return dossier


def test_a_dossier_waiting_for_fees_says_so_on_the_queue_and_the_dossier_page(world: Any) -> None:
    fees, documents = in_processing(world), in_processing(world)
    services.act(
        actor=world.specialist, dossier_id=fees.pk, command=commands.RequestPayment(amount_vnd=50000)
    )
    services.act(
        actor=world.specialist,
        dossier_id=documents.pk,
        command=commands.RequestSupplement(items=["Điều lệ công ty"], reason="Thiếu chữ ký."),
    )
    officer = logged_in(world.specialist)
    page = officer.get(f"/can-bo/ho-so/{fees.pk}/").content.decode()
    assert "Tạm dừng chờ người nộp thanh toán phí, lệ phí — còn" in page
    queue = officer.get("/can-bo/?hang=waiting").content.decode()
    assert "Tạm dừng chờ người nộp thanh toán phí, lệ phí — còn" in queue
    assert "Tạm dừng chờ người nộp bổ sung giấy tờ — còn" in queue
    # The queue's hint covers both waits, not only supplements.
    assert "cho đến khi người nộp bổ sung giấy tờ hoặc nộp phí, lệ phí" in queue


def test_the_dossier_page_names_the_procedure_code_as_such(world: Any) -> None:
    dossier = in_processing(world)
    page = logged_in(world.specialist).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "<span>Mã thủ tục 1.000956</span>" in page


def test_the_result_upload_says_what_it_takes(world: Any) -> None:
    dossier = in_processing(world)
    services.act(actor=world.specialist, dossier_id=dossier.pk, command=commands.Forward(step="Phê duyệt"))
    page = logged_in(world.leader).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    (tag,) = re.findall(r'<input type="file"[^>]*>', page)
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"' in tag
    assert f'data-max-bytes="{settings.MOTCUA_MAX_UPLOAD_BYTES}"' in tag
    assert "PDF, JPEG, PNG, DOCX hoặc XLSX, tối đa 20 MB" in page


def test_the_forward_form_groups_the_agencies_and_offers_a_search(world: Any) -> None:
    create_agency(code="H15.39", name="Công an tỉnh Đắk Lắk", kind="other", parent_code="H15")
    dossier, _new = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name="Nguyễn Văn An", id_number=ID),
    )
    page = logged_in(world.receiver).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    select = re.search(r'<select name="forward-agency_code".*?</select>', page, re.S)
    assert select
    html = select.group(0)
    assert re.findall(r'<optgroup label="([^"]+)">', html) == [
        "Cơ quan, trung tâm cấp tỉnh",
        "Sở, ban, ngành",
        "Xã, phường",
        "Cơ quan, đơn vị khác",
    ]
    assert 'data-search="Tìm cơ quan"' in html
    # The default (the resolving agency) stays first, outside the groups.
    assert html.index('<option value=""') < html.index("<optgroup")
    # Forwarding still works with a grouped choice.
    response = logged_in(world.receiver).post(
        f"/can-bo/ho-so/{dossier.pk}/xu-ly/forward/", {"forward-agency_code": "H15.105", "forward-step": ""}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_agency.code == "H15.105"
