"""A small province for dossier tests: a centre, a department, a commune with its centre, users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.accounts.services import create_user
from motcua.agencies.services import create_agency
from motcua.catalog import services as catalog

PASSWORD = "matkhau-rat-dai"
CITIZEN_ID = "066195012345"


def spec(**changes: Any) -> dict[str, Any]:
    base = {
        "code": "1.000956",
        "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "agency_code": "H15.STC",
        "field": "Thành lập và hoạt động doanh nghiệp",
        "level": "province",
        "processing_time": {"value": 3, "unit": "working_days"},
        "online_level": "full",
        "fee_vnd": 50000,
        "result_is_document": True,
        "applicant_types": ["individual", "organization"],
        "required_documents": [
            {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp", "required": True},
            {"code": "DL", "name": "Điều lệ công ty", "required": True},
        ],
        "steps": [
            {"name": "Thẩm định hồ sơ", "agency_code": "H15.STC", "role": "specialist", "working_hours": 12},
            {"name": "Phê duyệt", "agency_code": "H15.STC", "role": "leader", "working_hours": 4},
        ],
    }
    base.update(changes)
    return base


@dataclass
class World:
    receiver: User
    commune_receiver: User
    specialist: User
    leader: User
    other_specialist: User
    supervisor: User
    citizen: User
    other_citizen: User
    admin: User

    def client(self, user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client


@pytest.fixture
def world(db: Any) -> World:
    create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
    create_agency(
        code="H15.TTPV",
        name="Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk",
        kind="centre",
        parent_code="H15",
    )
    create_agency(code="H15.STC", name="Sở Tài chính tỉnh Đắk Lắk", kind="department", parent_code="H15")
    create_agency(code="H15.16", name="Sở Xây dựng tỉnh Đắk Lắk", kind="department", parent_code="H15")
    create_agency(
        code="H15.100", name="Ủy ban nhân dân phường Buôn Ma Thuột", kind="commune", parent_code="H15"
    )
    create_agency(
        code="H15.100.TTPV",
        name="Trung tâm Phục vụ hành chính công phường Buôn Ma Thuột",
        kind="centre",
        parent_code="H15.100",
    )
    create_agency(code="H15.105", name="Ủy ban nhân dân xã Hòa Phú", kind="commune", parent_code="H15")
    catalog.create_procedure(spec=spec())
    catalog.create_procedure(
        spec=spec(
            code="1.001193",
            name="Đăng ký khai sinh",
            agency_code="H15.105",
            implementing_agency_codes=["H15.100", "H15.105"],  # settled by every commune
            field="Hộ tịch",
            level="commune",
            processing_time={"value": 8, "unit": "working_hours"},
            fee_vnd=0,
            steps=[],
            required_documents=[{"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True}],
        )
    )
    return World(
        receiver=create_user(username="tiepnhan", password=PASSWORD, role="receiver", agency_code="H15.TTPV"),
        commune_receiver=create_user(
            username="tn.bmt", password=PASSWORD, role="receiver", agency_code="H15.100.TTPV"
        ),
        specialist=create_user(username="cv", password=PASSWORD, role="specialist", agency_code="H15.STC"),
        leader=create_user(username="ld", password=PASSWORD, role="leader", agency_code="H15.STC"),
        other_specialist=create_user(
            username="cv.sxd", password=PASSWORD, role="specialist", agency_code="H15.16"
        ),
        supervisor=create_user(username="gs", password=PASSWORD, role="supervisor", agency_code="H15"),
        citizen=create_user(
            username="cd", password=PASSWORD, role="citizen", id_number=CITIZEN_ID, full_name="H'Hen Niê"
        ),
        other_citizen=create_user(
            username="cd2", password=PASSWORD, role="citizen", id_number="079200000001"
        ),
        admin=create_user(username="qt", password=PASSWORD, role="admin"),
    )


def applicant(**changes: Any) -> dict[str, Any]:
    body = {
        "kind": "individual",
        "full_name": "H'Hen Niê",
        "id_number": CITIZEN_ID,
        "phone": "0905123456",
        "email": "hhen@example.vn",
        "address": "Phường Buôn Ma Thuột, tỉnh Đắk Lắk",
    }
    body.update(changes)
    return body


# --- helpers of the page tests of both sides ----------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def logged_in(user: User) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def counter_dossier(world: World, name: str = "Nguyễn Văn An", id_number: str = CITIZEN_ID) -> Any:
    """Received at the provincial desk, the application form handed in on paper."""
    from motcua.dossiers import commands, services

    dossier, _new = services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name=name, id_number=id_number),
        documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp")],
    )
    return dossier


def online_dossier(world: World) -> Any:
    """Submitted online by the citizen, both documents attached, not received yet."""
    from motcua.dossiers import commands, services

    dossier, _new = services.create_dossier(
        actor=world.citizen,
        procedure_code="1.000956",
        channel="online",
        applicant=commands.Applicant(kind="individual", full_name="H'Hen Niê", id_number=CITIZEN_ID),
        documents=[
            commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp"),
            commands.DocumentIn(code="DL", name="Điều lệ công ty"),
        ],
    )
    return dossier
