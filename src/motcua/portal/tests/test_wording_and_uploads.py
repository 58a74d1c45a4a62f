"""The citizen's pages say what is true: what a waiting dossier waits for, which code is which, and
which files an upload takes, up to the limit the server enforces."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client

from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import logged_in, online_dossier
from motcua.portal.forms import DocumentsForm
from motcua.web.forms import SupplementForm

ID = "066195012345"
ACCEPT = 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"'


def in_processing(world: Any) -> Dossier:
    """The citizen's online dossier, received and handed to the department."""
    dossier = online_dossier(world)
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Receive())
    services.act(actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward())
    dossier.refresh_from_db()
    return dossier


def test_a_dossier_waiting_for_fees_says_so_not_supplement(world: Any) -> None:
    dossier = in_processing(world)
    services.act(
        actor=world.specialist, dossier_id=dossier.pk, command=commands.RequestPayment(amount_vnd=50000)
    )
    page = logged_in(world.citizen).get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Tạm dừng chờ bạn nộp phí, lệ phí — còn" in page
    assert "bổ sung" not in page.split('id="facts-title"')[1].split("</dl>")[0]


def test_a_dossier_waiting_for_documents_says_so(world: Any) -> None:
    dossier = in_processing(world)
    services.act(
        actor=world.specialist,
        dossier_id=dossier.pk,
        command=commands.RequestSupplement(items=["Điều lệ công ty"], reason="Thiếu chữ ký."),
    )
    page = logged_in(world.citizen).get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Tạm dừng chờ bạn bổ sung giấy tờ — còn" in page


def _file_inputs(html: str) -> list[str]:
    return re.findall(r'<input type="file"[^>]*>', html)


def test_the_procedure_page_calls_its_code_the_procedure_code(world: Any) -> None:
    page = Client().get("/thu-tuc/1.000956/").content.decode()
    assert "Mã thủ tục 1.000956" in page
    assert "Mã hồ sơ" not in page


def test_my_dossiers_call_the_dossier_code_the_dossier_code(world: Any) -> None:
    dossier = in_processing(world)
    page = logged_in(world.citizen).get("/ho-so/").content.decode()
    assert f'Mã hồ sơ <strong class="mc-code">{dossier.code}</strong>' in page


def _file_inputs(html: str) -> list[str]:
    return re.findall(r'<input type="file"[^>]*>', html)


def test_upload_fields_say_what_the_server_takes(world: Any) -> None:
    limit = str(settings.MOTCUA_MAX_UPLOAD_BYTES)
    page = logged_in(world.citizen).get("/thu-tuc/1.000956/nop-truc-tuyen/").content.decode()
    inputs = _file_inputs(page)
    assert len(inputs) == 2
    for tag in inputs:
        assert ACCEPT in tag and f'data-max-bytes="{limit}"' in tag
        assert 'data-too-large="Tệp lớn hơn 20 MB."' in tag
    assert page.count("Tệp PDF, JPEG, PNG, DOCX hoặc XLSX, tối đa 20 MB.") == 2
    assert "PDF, JPEG hoặc PNG" not in page


def test_the_limit_in_the_help_comes_from_the_settings(settings: Any) -> None:
    settings.MOTCUA_MAX_UPLOAD_BYTES = 5 * 1024 * 1024

    class Doc:
        code, name = "GDN", "Giấy đề nghị"

    for form, name in (
        (DocumentsForm(documents=[Doc()], kept={}), "doc_0"),
        (SupplementForm(items=[("GDN", "Giấy đề nghị")]), "item_0"),
    ):
        field = form.fields[name]
        assert field.widget.attrs["data-max-bytes"] == str(5 * 1024 * 1024)
        assert "5 MB" in str(field.help_text)


def test_the_supplement_page_says_what_the_server_takes(world: Any) -> None:
    dossier = in_processing(world)
    services.act(
        actor=world.specialist,
        dossier_id=dossier.pk,
        command=commands.RequestSupplement(items=["Điều lệ công ty"], reason="Thiếu chữ ký."),
    )
    page = logged_in(world.citizen).get(f"/ho-so/{dossier.pk}/bo-sung/").content.decode()
    (tag,) = _file_inputs(page)
    assert ACCEPT in tag and f'data-max-bytes="{settings.MOTCUA_MAX_UPLOAD_BYTES}"' in tag
    assert "Tệp PDF, JPEG, PNG, DOCX hoặc XLSX, tối đa 20 MB." in page
