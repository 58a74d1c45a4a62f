"""Petition fixtures on the small province of the dossier tests."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.accounts.services import create_user
from motcua.dossiers.tests.conftest import PASSWORD, World
from motcua.petitions import commands, services
from motcua.petitions.models import Petition

PHONE = "0905123456"
ID_NUMBER = "066195012345"


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Thủ tục đăng ký doanh nghiệp yêu cầu giấy tờ không có trong danh mục",
        "content": "Cán bộ yêu cầu nộp thêm bản sao công chứng Điều lệ dù quy định không yêu cầu.",
        "about": "procedure",
        "agency_code": "H15.STC",
        "submitter": {
            "kind": "individual",
            "full_name": "Trần Thị Bình",
            "phone": PHONE,
            "email": "binh@example.vn",
            "id_number": ID_NUMBER,
        },
        "publish_consent": True,
    }
    data.update(changes)
    return data


def sent(world: World, **changes: Any) -> Petition:
    """A petition sent online to the Department of Finance (H15.STC)."""
    data = body(**changes)
    return services.submit(
        actor=None,
        title=data["title"],
        content=data["content"],
        about=data["about"],
        agency_code=data["agency_code"],
        submitter=commands.SubmitterIn(**data["submitter"]),
        publish_consent=data["publish_consent"],
    )


def other_leader(world: World) -> User:
    return create_user(username="ld.sxd", password=PASSWORD, role="leader", agency_code="H15.16")
