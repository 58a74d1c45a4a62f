"""The catalog admin: in Vietnamese, and able to do what the API does, through the same services."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.agencies.models import Agency
from motcua.agencies.services import create_agency
from motcua.catalog import exchange, services
from motcua.catalog.models import Procedure, ProcedureVersion, VersionStatus
from motcua.catalog.serializers import ProcedureInputSerializer
from motcua.catalog.tests.test_catalog import procedure

pytestmark = pytest.mark.django_db

# English that leaked into the Vietnamese admin before (defect 13), and what would leak if the
# project catalogue or a verbose name went missing.
ENGLISH = [
    "Tasks Database Backend",
    "Task Results",
    "Procedure",
    "Version",
    "Position",
    "POSITION",
    "Applicant types",
    "Legal basis",
    "Implementing agencies",
    "Show counts",
    "Skip to main content",
    "Toggle theme",
    ">Run<",
    "Save and publish",
    "Create a new draft",
    "Import the catalog",
    "Logout",
    "[&quot;individual&quot;",
    "[&quot;Luật",
    '["individual"',
]


@pytest.fixture
def manager(db: Any) -> Client:
    from motcua.accounts.services import create_user

    client = Client(headers={"accept-language": "vi"})
    client.force_login(create_user(username="danhmuc", password="matkhau-rat-dai", role="admin"))
    return client


@pytest.fixture
def catalog(department: Any) -> dict[str, ProcedureVersion]:
    """Birth registration in force (version 1) with a draft (version 2); marriage in force only."""
    for code, name in [("H15.100", "phường Buôn Ma Thuột"), ("H15.105", "xã Hòa Phú")]:
        create_agency(code=code, name=f"Ủy ban nhân dân {name}", kind="commune", parent_code="H15")
    birth = procedure(agency_code="H15.100", implementing_agency_codes=["H15.105"])
    published = services.create_procedure(spec=spec(birth))
    draft = services.draft_version(code="1.001193", spec=spec({**birth, "fee_vnd": 5000}))
    marriage = procedure(code="1.000894", name="Đăng ký kết hôn", agency_code="H15.100")
    services.create_procedure(spec=spec(marriage))
    return {"published": published, "draft": draft}


def spec(body: dict[str, Any]) -> dict[str, Any]:
    serializer = ProcedureInputSerializer(data=body)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def visible(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"<script.*?</script>", "", html, flags=re.S)


def post_data(response: Any) -> dict[str, Any]:
    """What the admin's change form would send back unchanged, main form and inlines."""
    data: dict[str, Any] = {}

    def put(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif value is None or value is False:
                continue
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, date):
                data[key] = value.isoformat()
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


PAGES = {
    "index": ("/admin/", ["Tác vụ chạy nền", "Kết quả tác vụ", "Danh mục thủ tục hành chính"]),
    "procedures": (
        "/admin/catalog/procedure/",
        [
            "Đăng ký khai sinh",
            "Cơ quan giải quyết",
            "Lĩnh vực",
            "Cấp",
            "Đang hiệu lực (phiên bản 1)",
            "Có bản dự thảo chờ công bố",
            "Nhập danh mục",
            "Xuất (XLSX)",
        ],
    ),
    "versions": (
        "/admin/catalog/procedureversion/",
        [
            "Phiên bản",
            "Dự thảo",
            "Đang hiệu lực",
            "Thực hiện",
            "Tạo bản dự thảo mới từ các phiên bản đã chọn",
        ],
    ),
    "published": (
        "/admin/catalog/procedureversion/{published}/change/",
        [
            "Thủ tục hành chính",
            "Phiên bản",
            "Thứ tự",
            "Cá nhân",
            "Luật Hộ tịch số 60/2014/QH13",
            "Cơ quan thực hiện",
            "Ủy ban nhân dân xã Hòa Phú (H15.105)",
            "Mở bản dự thảo (phiên bản 2)",
            "Phiên bản đã công bố không được sửa",
        ],
    ),
    "draft": (
        "/admin/catalog/procedureversion/{draft}/change/",
        [
            "Lưu và công bố",
            "Đối tượng thực hiện",
            "Tổ chức",
            "Mỗi dòng một văn bản",
            "Cơ quan thực hiện",
            "Thứ tự",
            "Thành phần hồ sơ",
            "Bản dự thảo này chưa công khai",
        ],
    ),
    "add": (
        "/admin/catalog/procedureversion/add/",
        ["Mã thủ tục", "Lưu và công bố", "bản dự thảo phiên bản 1"],
    ),
    "import": ("/admin/catalog/procedure/import/", ["Nhập danh mục thủ tục hành chính", "Tệp danh mục"]),
    "tasks": ("/admin/django_tasks_database/dbtaskresult/", ["Tác vụ chạy nền", "kết quả tác vụ"]),
}


@pytest.mark.parametrize("page", PAGES)
def test_admin_pages_are_in_vietnamese(manager: Client, catalog: Any, page: str) -> None:
    url, expected = PAGES[page]
    response = manager.get(url.format(published=catalog["published"].pk, draft=catalog["draft"].pk))
    assert response.status_code == 200
    html = visible(response)
    assert [text for text in expected if text not in html] == []
    assert [text for text in ENGLISH if text in html] == []


def test_the_admins_scripts_speak_vietnamese(manager: Client) -> None:
    """The time-zone note under date-time fields, and the calendar, come from the admin's catalogue."""
    script = manager.get("/admin/jsi18n/").content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)
    assert found is not None
    catalog = json.loads(found.group(1))
    assert catalog["Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)"] == [
        "Lưu ý: nhập giờ theo múi giờ %(timezone)s (giờ của bạn đang muộn hơn %(offset)s giờ)."
    ]
    assert catalog["Today (%(date)s)"] == "Hôm nay (%(date)s)" and catalog["Monday"] == "Thứ hai"


def test_the_procedure_list_shows_names_and_finds_without_diacritics(manager: Client, catalog: Any) -> None:
    html = visible(manager.get("/admin/catalog/procedure/", {"q": "dang ky KET hon"}))
    assert "Đăng ký kết hôn" in html and "Đăng ký khai sinh" not in html
    assert "Ủy ban nhân dân phường Buôn Ma Thuột" in html


def test_a_published_version_is_copied_into_a_new_draft(manager: Client, department: Any) -> None:
    create_agency(
        code="H15.100", name="Ủy ban nhân dân phường Buôn Ma Thuột", kind="commune", parent_code="H15"
    )
    published = services.create_procedure(spec=spec(procedure(agency_code="H15.100")))
    before = exchange.version_to_spec(published)
    page = manager.get(f"/admin/catalog/procedureversion/{published.pk}/change/")
    assert "Tạo bản dự thảo mới" in visible(page)
    assert (
        manager.post(f"/admin/catalog/procedureversion/{published.pk}/change/", post_data(page)).status_code
        == 403
    )

    response = manager.post(f"/admin/catalog/procedureversion/{published.pk}/draft/")
    draft = ProcedureVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.pk}/change/")
    assert (draft.number, draft.procedure_id) == (2, published.procedure_id)
    assert exchange.version_to_spec(draft) == before
    published.refresh_from_db()
    assert published.status == VersionStatus.CURRENT and exchange.version_to_spec(published) == before

    again = manager.post(f"/admin/catalog/procedureversion/{published.pk}/draft/", follow=True)
    assert "đã có bản dự thảo" in visible(again)
    assert ProcedureVersion.objects.count() == 2


def test_a_draft_is_edited_and_published_from_its_form(manager: Client, catalog: Any, api: Any) -> None:
    draft = catalog["draft"]
    data = post_data(manager.get(f"/admin/catalog/procedureversion/{draft.pk}/change/"))
    data["name"] = "Đăng ký khai sinh (sửa đổi)"
    data["legal_basis"] = "Luật Hộ tịch số 60/2014/QH13\r\nNghị định số 123/2015/NĐ-CP\r\n"
    data["applicant_types"] = ["individual", "organization"]
    data["required_documents-0-DELETE"] = "on"  # the declaration goes

    saved = manager.post(f"/admin/catalog/procedureversion/{draft.pk}/change/", {**data, "_continue": "1"})
    assert saved.status_code == 302 and saved["Location"].endswith(f"/{draft.pk}/change/")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and draft.name == "Đăng ký khai sinh (sửa đổi)"
    assert draft.legal_basis == ["Luật Hộ tịch số 60/2014/QH13", "Nghị định số 123/2015/NĐ-CP"]
    assert draft.applicant_types == ["individual", "organization"]
    assert [d.code for d in draft.required_documents.all()] == ["GCS"]
    assert "sua doi" in draft.search_text
    assert api.get("/api/v1/procedures/1.001193").json()["name"] == "Đăng ký khai sinh"

    data = post_data(manager.get(f"/admin/catalog/procedureversion/{draft.pk}/change/"))
    published = manager.post(f"/admin/catalog/procedureversion/{draft.pk}/change/", {**data, "_publish": "1"})
    assert published.status_code == 302
    assert api.get("/api/v1/procedures/1.001193").json()["name"] == "Đăng ký khai sinh (sửa đổi)"
    assert list(
        ProcedureVersion.objects.filter(procedure__code="1.001193").values_list("number", "status")
    ) == [
        (2, VersionStatus.CURRENT),
        (1, VersionStatus.RETIRED),
    ]


def test_the_draft_form_refuses_what_the_api_refuses(manager: Client, catalog: Any) -> None:
    draft = catalog["draft"]
    data = post_data(manager.get(f"/admin/catalog/procedureversion/{draft.pk}/change/"))
    data.pop("applicant_types")
    data["required_documents-1-code"] = "TK"  # the same code as the first document
    response = manager.post(f"/admin/catalog/procedureversion/{draft.pk}/change/", data)
    assert response.status_code == 200
    html = visible(response)
    assert "Trường này là bắt buộc." in html
    assert "Thành phần hồ sơ với thông tin Phiên bản thủ tục và Mã đã tồn tại" in html
    draft.refresh_from_db()
    assert draft.applicant_types == ["individual"]


def test_a_procedure_is_added_as_a_draft_then_published(manager: Client, catalog: Any, api: Any) -> None:
    assert manager.get("/admin/catalog/procedure/add/")["Location"] == "/admin/catalog/procedureversion/add/"
    page = manager.get("/admin/catalog/procedureversion/add/")
    data = post_data(page)
    data.update(
        {
            "code": "1.000656",
            "name": "Đăng ký khai tử",
            "field": "Hộ tịch",
            "agency": str(Agency.objects.get(code="H15.100").pk),
            "level": "commune",
            "processing_time_value": "1",
            "processing_time_unit": "working_days",
            "online_level": "full",
            "fee_vnd": "0",
            "result_is_document": "on",
            "applicant_types": ["individual"],
            "legal_basis": "Luật Hộ tịch số 60/2014/QH13",
            "required_documents-TOTAL_FORMS": "1",
            "required_documents-0-position": "0",
            "required_documents-0-code": "TK",
            "required_documents-0-name": "Tờ khai đăng ký khai tử",
            "required_documents-0-form": "original",
            "required_documents-0-count": "1",
            "required_documents-0-required": "on",
            "_save": "1",
        }
    )
    created = manager.post("/admin/catalog/procedureversion/add/", data)
    assert created.status_code == 302, visible(created)
    version = ProcedureVersion.objects.get(procedure__code="1.000656")
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.search_text == "1.000656 dang ky khai tu ho tich"
    assert [a.code for a in version.implementing_agencies.all()] == ["H15.100"]
    assert api.get("/api/v1/procedures/1.000656").status_code == 404  # not public before it is published

    again = manager.post("/admin/catalog/procedureversion/add/", data)
    assert "Thủ tục có mã 1.000656 đã tồn tại." in visible(again)

    form = post_data(manager.get(f"/admin/catalog/procedureversion/{version.pk}/change/"))
    manager.post(f"/admin/catalog/procedureversion/{version.pk}/change/", {**form, "_publish": "1"})
    assert api.get("/api/v1/procedures/1.000656").json()["version"] == 1


def test_every_commune_settles_a_draft_in_one_action(manager: Client, catalog: Any) -> None:
    create_agency(code="H15.131", name="Ủy ban nhân dân xã Ea Súp", kind="commune", parent_code="H15")
    create_agency(code="H16.100", name="Xã của tỉnh khác", kind="commune")
    draft = catalog["draft"]
    response = manager.post(
        "/admin/catalog/procedureversion/",
        {"action": "assign_every_commune", "_selected_action": [str(draft.pk), str(catalog["published"].pk)]},
        follow=True,
    )
    assert "1.001193: 3 cơ quan thực hiện." in visible(response)
    draft = ProcedureVersion.objects.get(pk=draft.pk)
    assert sorted(a.code for a in draft.implementing_agencies.all()) == ["H15.100", "H15.105", "H15.131"]
    assert draft.fee_vnd == 5000  # the rest of the draft as it was
    assert sorted(a.code for a in catalog["published"].implementing_agencies.all()) == ["H15.100", "H15.105"]


def test_import_page_lists_errors_by_procedure_in_vietnamese(manager: Client, catalog: Any) -> None:
    items = [
        procedure(code="1.000656", name="Đăng ký khai tử", agency_code="H15.100"),
        procedure(code="1.004873", name="", agency_code="H15.999"),
        procedure(
            code="1.004837", processing_time={"value": 0, "unit": "working_days"}, steps=[{"name": "x"}]
        ),
    ]
    upload = io.BytesIO(json.dumps({"procedures": items}).encode())
    upload.name = "danh-muc.json"
    html = visible(manager.post("/admin/catalog/procedure/import/", {"file": upload}))
    assert "Chưa nhập danh mục: 2 thủ tục có lỗi." in html
    assert "Số 2 — 1.004873" in html and "Trường này không được bỏ trống." in html
    assert "Số 3 — 1.004837" in html and "Thời hạn giải quyết" in html
    assert "Giá trị phải lớn hơn hoặc bằng 1." in html
    assert "Bước xử lý 1: vai trò" in html and "Trường này là bắt buộc." in html
    assert not Procedure.objects.filter(code="1.000656").exists()

    items[1] = procedure(code="1.004873", name="Cấp giấy xác nhận tình trạng hôn nhân", agency_code="H15.999")
    items.pop()
    upload = io.BytesIO(json.dumps(items).encode())
    upload.name = "danh-muc.json"
    html = visible(manager.post("/admin/catalog/procedure/import/", {"file": upload}))
    assert "Số 2 — 1.004873" in html and "Không tồn tại cơ quan có mã H15.999." in html


def test_import_page_takes_the_exported_workbook(manager: Client, catalog: Any, api: Any) -> None:
    exported = api.get("/api/v1/procedures/export?format=xlsx").content
    workbook = load_workbook(io.BytesIO(exported))
    workbook["Thủ tục"]["B3"] = "Đăng ký kết hôn (sửa đổi)"
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "danh-muc.xlsx"
    html = visible(manager.post("/admin/catalog/procedure/import/", {"file": out}))
    assert (
        "Đã nhập danh mục: 0 thủ tục mới, 1 thủ tục có phiên bản mới có hiệu lực, 1 thủ tục không đổi."
        in html
    )

    broken = io.BytesIO(b"not a workbook")
    broken.name = "x.xlsx"
    html = visible(manager.post("/admin/catalog/procedure/import/", {"file": broken}))
    assert "Không đọc được tệp" in html


def test_published_procedures_and_versions_cannot_be_deleted(manager: Client, catalog: Any) -> None:
    published, draft = catalog["published"], catalog["draft"]
    assert manager.get(f"/admin/catalog/procedureversion/{published.pk}/delete/").status_code == 403
    assert manager.get(f"/admin/catalog/procedure/{published.procedure_id}/delete/").status_code == 403
    assert (
        manager.post(f"/admin/catalog/procedureversion/{draft.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()
