"""The citizen's data warehouse on the portal: offered beside each upload, reused on submission, shown
on the review step, the dossier page, the back-office page and the citizen's own list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CITIZEN_ID, PDF, World, counter_dossier, logged_in
from motcua.warehouse.models import WarehouseDocument
from motcua.warehouse.tests.factories import fill

pytestmark = pytest.mark.django_db
SUBMIT = "/thu-tuc/1.000956/nop-truc-tuyen/"


def applicant_fields() -> dict[str, str]:
    return {"kind": "individual", "full_name": "H'Hen Niê", "id_number": CITIZEN_ID, "phone": "0905123456"}


def test_a_returning_citizen_chooses_a_warehouse_document_instead_of_uploading_it(world: World) -> None:
    source = counter_dossier(world)
    [kept] = fill(CITIZEN_ID, source, 1)  # code GDN: the procedure's first required document
    client = logged_in(world.citizen)
    page = client.get(SUBMIT).content.decode()
    assert "Dùng giấy tờ đã có" in page
    assert f'name="use_0" value="{kept.pk}"' in page and 'name="use_1"' not in page
    assert "motcua/warehouse.js" in page
    assert not re.search(r"\sstyle=", page) and all("src=" in t for t in re.findall(r"<script[^>]*>", page))

    charter = SimpleUploadedFile("dieu-le.pdf", PDF, content_type="application/pdf")
    response = client.post(SUBMIT, {**applicant_fields(), "use_0": str(kept.pk), "doc_1": charter})
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(response["Location"]).content.decode()
    assert "Lấy từ kho dữ liệu của bạn" in review and "dieu-le.pdf" in review
    client.post(response["Location"])
    dossier = Dossier.objects.exclude(pk=source.pk).get()
    reused = dossier.documents.get(code="GDN")
    assert (reused.file_id, reused.digitized, reused.reused, reused.from_warehouse) == (
        kept.file_id,
        True,
        True,
        True,
    )
    uploaded = dossier.documents.get(code="DL")
    assert uploaded.digitized and not uploaded.reused and not uploaded.from_warehouse
    assert "Lấy từ kho dữ liệu của bạn" in client.get(f"/ho-so/{dossier.pk}/").content.decode()
    desk = logged_in(world.receiver).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert desk.count("Lấy từ kho dữ liệu") == 1


def test_someone_elses_warehouse_document_cannot_be_chosen(world: World) -> None:
    [theirs] = fill("079200000001", counter_dossier(world, id_number="079200000001"), 1)
    client = logged_in(world.citizen)
    assert f'value="{theirs.pk}"' not in client.get(SUBMIT).content.decode()
    charter = SimpleUploadedFile("dieu-le.pdf", PDF, content_type="application/pdf")
    response = client.post(SUBMIT, {**applicant_fields(), "use_0": str(theirs.pk), "doc_1": charter})
    assert response.status_code == 400
    assert "Hãy chọn một trong các giấy tờ được đề xuất." in response.content.decode()


def test_offers_match_by_code_then_by_name_without_diacritics(world: World) -> None:
    from motcua.catalog.models import ProcedureVersion
    from motcua.core.text import fold
    from motcua.warehouse import selectors

    source = counter_dossier(world)
    by_code, by_name, other = fill(CITIZEN_ID, source, 3)
    by_code.code, by_name.code, other.code = "GDN", "XX", "YY"
    by_name.name = "ĐIỀU LỆ  công ty"
    by_name.name_key = fold(by_name.name)
    WarehouseDocument.objects.bulk_update([by_code, by_name, other], ["code", "name", "name_key"])
    required = list(ProcedureVersion.objects.get(procedure__code="1.000956").required_documents.all())
    offers = selectors.offers(world.citizen, required)
    assert [d.pk for d in offers["GDN"]] == [by_code.pk]
    assert [d.pk for d in offers["DL"]] == [by_name.pk]
    assert selectors.offers(world.other_citizen, required) == {}


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SUBMIT)
    assert response.status_code == 200
    return len(captured)


def test_the_submission_page_costs_the_same_queries_for_3_and_200_warehouse_documents(
    world: World, django_assert_max_num_queries: Any
) -> None:
    source = counter_dossier(world)
    client = logged_in(world.citizen)
    fill(CITIZEN_ID, source, 3)
    _queries(client)  # warm: the session, the calendar
    few = _queries(client)
    WarehouseDocument.objects.all().delete()
    fill(CITIZEN_ID, source, 200)
    many = _queries(client)
    assert many == few
    with django_assert_max_num_queries(few):
        page = client.get(SUBMIT).content.decode()
    assert page.count('name="use_0"') == 1 + 5  # "attach a file" and the newest five


def test_my_warehouse_page_lists_my_documents_with_downloads(world: World) -> None:
    [mine] = fill(CITIZEN_ID, counter_dossier(world), 1)
    fill("079200000001", counter_dossier(world, id_number="079200000001"), 1)
    client = logged_in(world.citizen)
    assert "/kho-du-lieu/" in client.get("/ho-so/").content.decode()
    page = client.get("/kho-du-lieu/").content.decode()
    assert "Kho dữ liệu của tôi" in page and f"/api/v1/files/{mine.file_id}" in page
    assert page.count("/api/v1/files/") == 1
    assert logged_in(world.receiver).get("/kho-du-lieu/").status_code == 403
