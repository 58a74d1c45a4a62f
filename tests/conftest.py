"""Fixtures for the cross-cutting tests under tests/: concurrency, crash safety.

Threads need a test database that every thread's own connection sees. Django's default SQLite test
database is a shared-cache in-memory one, where concurrent writers fail at once with "database table
is locked" (SQLITE_LOCKED is not retried by busy_timeout). So, when this directory is part of the
run and the database is SQLite, the test database is a file in a private temporary directory,
with the same WAL / IMMEDIATE / busy_timeout options as production.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

_tmp_dirs: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    # The markers are registered in pyproject.toml, so ``-m "not cluster" src/…`` works without tests/.
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and not db.get("TEST", {}).get("NAME"):
        tmp = Path(tempfile.mkdtemp(prefix="motcua-pytest-"))
        _tmp_dirs.append(tmp)
        db.setdefault("TEST", {})["NAME"] = str(tmp / "test.sqlite3")


def pytest_unconfigure(config: pytest.Config) -> None:
    for tmp in _tmp_dirs:
        shutil.rmtree(tmp, ignore_errors=True)


PASSWORD = "matkhau-rat-dai"
CENTRE = "H15.TTPV"
PROCEDURE = "1.000956"


def personal_id(n: int) -> str:
    """A valid 12-digit personal ID: 066 (Đắk Lắk), 1 (a man born in the 1900s), 85, then a serial."""
    return f"066185{n:06d}"


def phone(n: int) -> str:
    return f"09{n:08d}"


def procedure_spec() -> dict[str, Any]:
    return {
        "code": PROCEDURE,
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
        "steps": [],
    }


@dataclass
class Desk:
    """A province with a one-stop centre, a department whose procedure the centre receives,
    ``n`` receivers at the centre and a citizen."""

    receivers: list[Any]
    citizen: Any
    ids: dict[str, int] = field(default_factory=dict)


def make_desk(receivers: int) -> Desk:
    from motcua.accounts.models import User
    from motcua.accounts.services import create_user
    from motcua.agencies.services import create_agency
    from motcua.catalog.services import create_procedure

    create_agency(code="H15", name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="province")
    centre = create_agency(
        code=CENTRE, name="Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk", kind="centre", parent_code="H15"
    )
    create_agency(code="H15.STC", name="Sở Tài chính tỉnh Đắk Lắk", kind="department", parent_code="H15")
    create_procedure(spec=procedure_spec())
    first = create_user(username="tiepnhan0", password=PASSWORD, role="receiver", agency_code=CENTRE)
    # The others share the first one's password hash: argon2 fifty times would only slow the test.
    others = User.objects.bulk_create(
        User(username=f"tiepnhan{i}", password=first.password, role="receiver", agency=centre)
        for i in range(1, receivers)
    )
    citizen = create_user(
        username="congdan", password=PASSWORD, role="citizen", id_number=personal_id(999_999)
    )
    # Re-read so that each user carries its agency, as the Bearer authentication loads it.
    users = list(User.objects.select_related("agency").filter(pk__in=[first.pk, *(u.pk for u in others)]))
    users.sort(key=lambda u: u.pk)
    return Desk(receivers=users, citizen=citizen)
