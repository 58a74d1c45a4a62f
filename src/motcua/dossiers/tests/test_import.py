"""motcua import-dossiers (contract §1 and §6): checks line by line, all or nothing, --skip-invalid."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from motcua.catalog import services as catalog
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.import_lines import InvalidLine, check_line
from motcua.dossiers.importer import LIMITS
from motcua.dossiers.models import (
    DailySerial,
    Dossier,
    DossierDocument,
    DossierEvent,
    Payment,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, applicant, spec

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def row(serial: int = 1, **changes: Any) -> dict[str, Any]:
    """A returned dossier of 1.000956, received at the provincial centre on Mon 10/03/2025."""
    body: dict[str, Any] = {
        "code": f"H15.TTPV-250310-{serial:04d}",
        "procedure_code": "1.000956",
        "receiving_agency_code": "H15.TTPV",
        "resolving_agency_code": "H15.STC",
        "channel": "online",
        "status": "returned",
        "applicant": applicant(),
        "submitted_at": "2025-03-09T21:15:00+07:00",
        "received_at": "2025-03-10T08:30:00+07:00",
        "due_at": "2025-03-13T08:30:00+07:00",
        "resolved_at": "2025-03-13T08:30:00+07:00",
        "returned_at": "2025-03-14T10:00:00+07:00",
        "outcome": "approved",
        "supplements": [],
        "fee_vnd": 50000,
        "payment_channel": "national_portal",
        "documents": [
            {"code": "GDN", "digitized": True, "reused": False, "from_warehouse": False},
            {
                "code": "DL",
                "name": "Điều lệ (bản sao)",
                "digitized": True,
                "reused": True,
                "from_warehouse": True,
            },
        ],
        "e_result": True,
        "vneid_verified": True,
        "population_data_used": False,
        "synced_to_national_portal": True,
        "rating": {"satisfied": True},
    }
    body.update(changes)
    return body


def write(tmp_path: Path, *lines: dict[str, Any] | str, name: str = "hoso.jsonl") -> Path:
    path = tmp_path / name
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import-dossiers", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path, *args: str) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import-dossiers", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(raised.value)


def dossier_json(world: World, code: str) -> dict[str, Any]:
    pk = Dossier.objects.get(code=code).pk
    response = world.client(world.admin).get(f"/api/v1/dossiers/{pk}")
    assert response.status_code == 200, response.json()
    return response.json()


# --- a valid file ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_valid_file_imports_every_line_with_times_statuses_and_details(world: World, tmp_path: Path) -> None:
    lines = [
        row(1),
        row(
            2,
            status="processing",
            channel="counter",
            submitted_at="2025-03-10T09:00:00",  # naive: Asia/Ho_Chi_Minh
            received_at="2025-03-10T09:00:00.123456+07:00",
            due_at="2025-03-13T09:00:00+07:00",
            resolved_at=None,
            returned_at=None,
            outcome=None,
            rating=None,
            fee_vnd=0,
            payment_channel=None,
            supplements=[
                {"requested_at": "2025-03-11T10:00:00+07:00", "completed_at": "2025-03-12T08:00:00Z"}
            ],
        ),
        row(
            3,
            status="awaiting_supplement",
            resolved_at=None,
            returned_at=None,
            outcome=None,
            rating=None,
            payment_channel="counter",
            # Tue 11/03 10:00 → Thu 13/03 08:30: 6 h 30 + 8 h = 14 h 30 working time left.
            supplements=[{"requested_at": "2025-03-11T10:00:00+07:00", "completed_at": None}],
        ),
        row(
            0,
            code=None,
            status="submitted",
            received_at=None,
            due_at=None,
            resolved_at=None,
            returned_at=None,
            outcome=None,
            rating=None,
            fee_vnd=0,
            payment_channel=None,
            applicant=applicant(
                kind="organization", id_number="6000123456", full_name="Công ty TNHH Hòa Phú"
            ),
        ),
        row(
            4,
            status="withdrawn",
            resolved_at=None,
            returned_at=None,
            outcome=None,
            rating=None,
            supplements=[{"requested_at": "2025-03-11T10:00:00+07:00", "completed_at": None}],
        ),
        row(
            1,
            code="H15.100.TTPV-250312-0002",
            procedure_code="1.001193",
            receiving_agency_code="H15.100.TTPV",
            resolving_agency_code="H15.100",
            channel="counter",
            status="resolved",
            submitted_at="2025-03-12T08:00:00+07:00",
            received_at="2025-03-12T08:00:00+07:00",
            due_at="2025-03-12T16:00:00+07:00",
            resolved_at="2025-03-12T11:00:00+07:00",
            returned_at=None,
            outcome="rejected",
            rating={"satisfied": False, "comment": "Chờ lâu"},
            fee_vnd=0,
            payment_channel=None,
            documents=[{"code": "TK", "digitized": False, "reused": False, "from_warehouse": False}],
            result_pushed_to_warehouse=True,
        ),
    ]
    out, err = run(write(tmp_path, *lines, ""))  # a trailing blank line is not a dossier
    assert "Đã nhập 6 hồ sơ, 0 dòng lỗi, 6 dòng" in out
    assert "imported 6, invalid 0, lines 6" in out
    assert err == ""
    assert Dossier.objects.filter(imported=True).count() == 6

    returned = dossier_json(world, "H15.TTPV-250310-0001")
    assert returned["status"] == "returned"
    assert returned["procedure_code"] == "1.000956" and returned["resolving_agency_code"] == "H15.STC"
    assert returned["current_agency_code"] == "H15.TTPV"  # results come back to the desk
    assert returned["submitted_at"] == "2025-03-09T21:15:00+07:00"
    assert returned["received_at"] == "2025-03-10T08:30:00+07:00"
    assert returned["due_at"] == returned["original_due_at"] == "2025-03-13T08:30:00+07:00"
    assert returned["returned_at"] == "2025-03-14T10:00:00+07:00"
    assert returned["outcome"] == "approved"
    assert returned["applicant"]["id_number"] == CITIZEN_ID
    assert [
        (d["code"], d["name"], d["digitized"], d["reused"], d["from_warehouse"])
        for d in returned["documents"]
    ] == [
        ("GDN", "Giấy đề nghị đăng ký doanh nghiệp", True, False, False),  # named from the version
        ("DL", "Điều lệ (bản sao)", True, True, True),
    ]
    assert returned["payments"] == [
        {
            "id": returned["payments"][0]["id"],
            "amount_vnd": 50000,
            "status": "paid",
            "channel": "national_portal",
            "reference": None,
            "paid_at": "2025-03-10T08:30:00+07:00",
            "receipt_available": True,
            "requested_at": "2025-03-10T08:30:00+07:00",
            "method": "online",
            "items": [],
        }
    ]
    first = Dossier.objects.get(code="H15.TTPV-250310-0001")
    assert (first.e_result, first.vneid_verified, first.population_data_used) == (True, True, False)
    assert (first.synced_to_national_portal, first.result_pushed_to_warehouse) == (True, False)
    assert first.fee_vnd == 50000 and first.payment_channel == "national_portal"
    assert first.applicant_user_id == world.citizen.pk  # the citizen's account sees it
    assert first.procedure_version == ProcedureVersion.objects.get(procedure__code="1.000956")
    assert Rating.objects.get(dossier=first).satisfied is True
    event = DossierEvent.objects.get(dossier=first)
    assert (event.action, event.from_status, event.to_status) == ("import", "", "returned")
    assert event.data == {"source": "hoso.jsonl", "line": 1}
    assert world.client(world.citizen).get(f"/api/v1/dossiers/{first.pk}").status_code == 200

    processing = dossier_json(world, "H15.TTPV-250310-0002")
    assert processing["status"] == "processing" and processing["channel"] == "counter"
    assert processing["submitted_at"] == "2025-03-10T09:00:00+07:00"
    assert processing["received_at"] == "2025-03-10T09:00:00.123456+07:00"
    assert processing["current_agency_code"] == "H15.STC"
    assert processing["supplement_requests"][0]["completed_at"] == "2025-03-12T15:00:00+07:00"
    assert processing["payments"] == [] and processing["timeliness"] == "overdue"
    second = Dossier.objects.get(code="H15.TTPV-250310-0002")
    assert second.supplements_after_receipt == 1 and second.paused_at is None
    assert DossierEvent.objects.get(dossier=second).data["line"] == 2

    waiting = Dossier.objects.get(code="H15.TTPV-250310-0003")
    assert waiting.status == "awaiting_supplement" and waiting.left_status == "processing"
    assert waiting.paused_at == datetime(2025, 3, 11, 10, 0, tzinfo=VN)
    assert (
        waiting.remaining_seconds
        == waiting.original_remaining_seconds
        == int(timedelta(hours=14.5).total_seconds())
    )
    assert Payment.objects.get(dossier=waiting).method == "counter"
    waiting_json = dossier_json(world, "H15.TTPV-250310-0003")
    assert waiting_json["clock_paused"] is True and waiting_json["timeliness"] == "on_track"

    submitted = Dossier.objects.get(status="submitted")
    assert submitted.code is None and submitted.received_at is None and submitted.due_at is None
    assert submitted.applicant_kind == "organization" and submitted.applicant_user_id is None
    assert submitted.current_agency.code == "H15.TTPV"

    withdrawn = Dossier.objects.get(code="H15.TTPV-250310-0004")
    assert withdrawn.status == "withdrawn"
    assert withdrawn.closed_at == datetime(2025, 3, 11, 10, 0, tzinfo=VN)  # the last time given
    assert withdrawn.paused_at is None
    assert SupplementRequest.objects.get(dossier=withdrawn).completed_at is None

    commune = dossier_json(world, "H15.100.TTPV-250312-0002")
    assert commune["status"] == "resolved" and commune["outcome"] == "rejected"
    assert commune["documents"][0]["name"] == "Tờ khai đăng ký khai sinh"
    assert commune["timeliness"] == "on_time"  # the same day as its appointment
    resolved = Dossier.objects.get(code="H15.100.TTPV-250312-0002")
    assert resolved.result_pushed_to_warehouse is True and resolved.current_agency.code == "H15.100.TTPV"
    assert Rating.objects.get(dossier=resolved).comment == "Chờ lâu"
    assert DossierDocument.objects.count() == 2 * 5 + 1
    assert {
        (s.agency.code, s.day.isoformat(), s.last) for s in DailySerial.objects.select_related("agency")
    } == {
        ("H15.TTPV", "2025-03-10", 4),
        ("H15.100.TTPV", "2025-03-12", 2),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # resolved after the first appointment, though within the extended due date
        (
            {"original_due_at": "2025-03-12T08:30:00+07:00", "resolved_at": "2025-03-12T09:00:00+07:00"},
            "late",
        ),
        ({"resolved_at": "2025-03-13T08:31:00+07:00", "returned_at": "2025-03-13T09:00:00+07:00"}, "late"),
        # in time, but supplemented twice after receipt
        (
            {
                "resolved_at": "2025-03-11T16:00:00+07:00",
                "returned_at": "2025-03-12T09:00:00+07:00",
                "supplements": [
                    {
                        "requested_at": "2025-03-10T09:00:00+07:00",
                        "completed_at": "2025-03-10T10:00:00+07:00",
                    },
                    {
                        "requested_at": "2025-03-10T14:00:00+07:00",
                        "completed_at": "2025-03-10T15:00:00+07:00",
                    },
                ],
            },
            "late",
        ),
        # once after receipt and once before does not make it late
        (
            {
                "resolved_at": "2025-03-12T16:00:00+07:00",
                "supplements": [
                    {
                        "requested_at": "2025-03-09T22:00:00+07:00",
                        "completed_at": "2025-03-10T08:00:00+07:00",
                    },
                    {
                        "requested_at": "2025-03-10T14:00:00+07:00",
                        "completed_at": "2025-03-10T15:00:00+07:00",
                    },
                ],
            },
            "early",
        ),
        ({"resolved_at": "2025-03-12T17:00:00+07:00"}, "early"),
        ({"resolved_at": "2025-03-13T08:00:00+07:00"}, "on_time"),
        ({"resolved_at": "2025-03-13T08:30:00+07:00"}, "on_time"),
    ],
)
def test_timeliness_through_the_api(
    world: World, tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    run(write(tmp_path, row(1, **changes)))
    assert dossier_json(world, "H15.TTPV-250310-0001")["timeliness"] == expected


# --- invalid lines --------------------------------------------------------------------------------------


def bad_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        row(1),
        row(2, procedure_code="9.999999"),  # line 2
        '{"code": "H15.TTPV-250310-0003", "procedure_code": "1.000',  # line 3: truncated
        row(4, resolving_agency_code="H99"),  # line 4
        row(5),
        row(5),  # line 6: the same code again
        row(7, received_at="2025-03-09T20:00:00+07:00"),  # line 7: received before it was submitted
        row(8, status="resolved", returned_at="2025-03-14T10:00:00+07:00"),  # line 8
        row(9, applicant=applicant(id_number="999195012345")),  # line 9
        row(10, code="H15.STC-250310-0010"),  # line 10: not the receiving agency
    )


BAD_LINES = {
    2: "procedure_code: unknown procedure '9.999999'",
    3: "not valid JSON",
    4: "resolving_agency_code: unknown agency 'H99'",
    6: "code: H15.TTPV-250310-0005 is repeated (first on line 5)",
    7: "received_at: is before submitted_at",
    8: "returned_at: a resolved dossier has not been returned",
    9: "applicant.id_number: The first three digits are not a province code.",
    10: "code: the agency part 'H15.STC' is not the receiving agency 'H15.TTPV'",
}


@pytest.mark.django_db
def test_an_invalid_line_imports_nothing_and_every_bad_line_is_named(world: World, tmp_path: Path) -> None:
    out, err, message = run_failing(bad_file(tmp_path))
    assert Dossier.objects.count() == 0 and DailySerial.objects.count() == 0
    for line, reason in BAD_LINES.items():
        assert f"dòng/line {line}: " in err and reason in err, (line, err)
    assert "dòng/line 1:" not in err and "dòng/line 5:" not in err
    assert "imported 0, invalid 8, lines 10" in out
    assert "nothing imported: 8 invalid lines" in message


@pytest.mark.django_db
def test_a_bad_line_after_written_batches_still_imports_nothing(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, *(row(i) for i in range(1, 6)), row(6, channel="fax"), row(7))
    out, err, _message = run_failing(path, "--batch-size", "2")
    assert "dòng/line 6: channel: 'fax' is not one of counter, online, post" in err
    assert "imported 0, invalid 1, lines 7" in out
    assert Dossier.objects.count() == DossierEvent.objects.count() == DossierDocument.objects.count() == 0
    assert DailySerial.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_the_valid_lines_and_lists_the_bad_ones(world: World, tmp_path: Path) -> None:
    out, err = run(bad_file(tmp_path), "--skip-invalid")
    assert "Đã nhập 2 hồ sơ, 8 dòng lỗi, 10 dòng" in out and "imported 2, invalid 8, lines 10" in out
    assert set(Dossier.objects.values_list("code", flat=True)) == {
        "H15.TTPV-250310-0001",
        "H15.TTPV-250310-0005",
    }
    for line, reason in BAD_LINES.items():
        assert f"dòng/line {line}: " in err and reason in err, (line, err)
    assert DailySerial.objects.get().last == 5


@pytest.mark.django_db
def test_a_code_already_in_the_database_is_a_duplicate(world: World, tmp_path: Path) -> None:
    run(write(tmp_path, row(1), name="first.jsonl"))
    _out, err, _message = run_failing(write(tmp_path, row(2), row(1), name="second.jsonl"))
    assert "dòng/line 2: code: H15.TTPV-250310-0001 is already in the database" in err
    assert Dossier.objects.count() == 1
    out, _err = run(tmp_path / "second.jsonl", "--skip-invalid")
    assert "imported 1, invalid 1, lines 2" in out
    assert Dossier.objects.count() == 2


SUBMITTED = {
    "code": None,
    "status": "submitted",
    "received_at": None,
    "due_at": None,
    "resolved_at": None,
    "returned_at": None,
    "outcome": None,
    "rating": None,
}


@pytest.mark.django_db
def test_a_dossier_without_a_code_is_not_imported_twice(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        row(1, **SUBMITTED),
        row(1, **SUBMITTED),
        row(1, **SUBMITTED, submitted_at="2025-03-09T21:16:00+07:00"),
    )
    out, err = run(path, "--skip-invalid")
    assert "dòng/line 2: the same dossier without a code is repeated (first on line 1)" in err
    assert "imported 2, invalid 1, lines 3" in out
    out, err = run(path, "--skip-invalid")  # the same file again
    assert (
        "dòng/line 1: the same dossier (procedure, receiving agency, applicant, submitted_at) is already in the database"
        in err
    )
    assert "imported 0, invalid 3, lines 3" in out
    assert Dossier.objects.count() == 2


@pytest.mark.django_db
def test_nul_bytes_bad_utf8_and_non_objects(world: World, tmp_path: Path) -> None:
    path = tmp_path / "raw.jsonl"
    good = json.dumps(row(1)).encode()
    path.write_bytes(good + b"\n" + good.replace(b'"online"', b'"onl\x00ine"') + b"\n\xff\xfe{}\n[1, 2]\n")
    _out, err, _message = run_failing(path)
    assert "dòng/line 2: the line contains a NUL byte" in err
    assert "dòng/line 3: not UTF-8" in err
    assert "dòng/line 4: a line must hold one JSON object" in err


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(world: World, tmp_path: Path) -> None:
    _out, _err, message = run_failing(tmp_path / "none.jsonl")
    assert "cannot read the file" in message


# --- the version in force and the daily serial ---------------------------------------------------------


@pytest.mark.django_db
def test_dossier_pins_the_version_in_force_when_it_was_received(world: World, tmp_path: Path) -> None:
    ProcedureVersion.objects.filter(procedure__code="1.000956").update(
        valid_from=datetime(2024, 1, 1, tzinfo=VN)
    )
    docs = [{"code": "GDN", "name": "Giấy đề nghị (mẫu mới)", "required": True}]
    catalog.draft_version(code="1.000956", spec=spec(required_documents=docs))
    with time_machine.travel(datetime(2025, 6, 1, tzinfo=VN), tick=False):
        catalog.publish_draft(code="1.000956")
    doc = [{"code": "GDN", "digitized": True, "reused": False, "from_warehouse": False}]
    run(
        write(
            tmp_path,
            row(1, documents=doc),  # received 10/03/2025: version 1
            row(
                2,
                code="H15.TTPV-250701-0002",
                submitted_at="2025-07-01T08:00:00+07:00",
                received_at="2025-07-01T08:00:00+07:00",
                due_at="2025-07-04T08:00:00+07:00",
                resolved_at="2025-07-03T08:00:00+07:00",
                returned_at="2025-07-03T09:00:00+07:00",
                documents=doc,
            ),
            row(
                3,
                code="H15.TTPV-231002-0003",  # before any version: the current one
                submitted_at="2023-10-02T08:00:00+07:00",
                received_at="2023-10-02T08:00:00+07:00",
                due_at="2023-10-05T08:00:00+07:00",
                resolved_at="2023-10-04T08:00:00+07:00",
                returned_at="2023-10-04T09:00:00+07:00",
                documents=doc,
            ),
        )
    )
    pinned = {
        d.code: (d.procedure_version.number, d.documents.get().name)
        for d in Dossier.objects.select_related("procedure_version")
    }
    assert pinned == {
        "H15.TTPV-250310-0001": (1, "Giấy đề nghị đăng ký doanh nghiệp"),
        "H15.TTPV-250701-0002": (2, "Giấy đề nghị (mẫu mới)"),
        "H15.TTPV-231002-0003": (2, "Giấy đề nghị (mẫu mới)"),
    }


@pytest.mark.django_db
def test_a_receipt_after_the_import_gets_a_serial_after_the_imported_ones(
    world: World, tmp_path: Path
) -> None:
    run(write(tmp_path, row(7), row(3)))
    with time_machine.travel(datetime(2025, 3, 10, 14, 0, tzinfo=VN), tick=False):
        response = world.client(world.receiver).post(
            "/api/v1/dossiers",
            {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant(), "documents": []},
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "H15.TTPV-250310-0008"


@pytest.mark.django_db
def test_imported_serials_never_lower_a_counter(world: World, tmp_path: Path) -> None:
    agency = world.receiver.agency
    DailySerial.objects.create(agency=agency, day=datetime(2025, 3, 10).date(), last=12)  # noqa: DTZ001
    run(write(tmp_path, row(7)))
    assert DailySerial.objects.get(agency=agency).last == 12


@pytest.mark.django_db
def test_progress_on_long_files(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("motcua.dossiers.importer.PROGRESS_EVERY", 2)
    out, err = run(write(tmp_path, *(row(i) for i in range(1, 6))), "--batch-size", "2")
    assert "imported 5, invalid 0, lines 5" in out
    assert "read 2 lines, wrote 0 dossiers" in err and "read 4 lines, wrote 2 dossiers" in err


# --- one line, no database ------------------------------------------------------------------------------


def reasons(body: dict[str, Any] | str | bytes) -> list[str]:
    raw = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
    with pytest.raises(InvalidLine) as raised:
        check_line(raw, 1, tz=VN, now=NOW, limits=LIMITS)
    return raised.value.reasons


def test_a_valid_line_is_parsed_with_its_offsets_kept() -> None:
    record = check_line(
        json.dumps(row(1, received_at="2025-03-10T01:30:00Z")).encode(), 1, tz=VN, now=NOW, limits=LIMITS
    )
    assert record.received_at == datetime(2025, 3, 10, 8, 30, tzinfo=VN)
    assert record.unit == "H15.TTPV" and record.seq == 1 and record.day.isoformat() == "2025-03-10"  # type: ignore[union-attr]
    assert record.original_due_at == record.due_at  # no extension: the first appointment is the due date
    naive = check_line(
        json.dumps(row(1, submitted_at="2025-03-09 21:15")).encode(), 1, tz=VN, now=NOW, limits=LIMITS
    )
    assert naive.submitted_at == datetime(2025, 3, 9, 21, 15, tzinfo=VN)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"code": "H15.TTPV-250310-12"}, "code: 'H15.TTPV-250310-12' is not"),
        ({"code": "H15.TTPV-251340-0001"}, "code: '251340' is not a date YYMMDD"),
        ({"code": "H" * 61}, "code: longer than 60 characters (61)"),
        ({"applicant": applicant(full_name="A" * 201)}, "applicant.full_name: longer than 200 characters"),
        ({"applicant": applicant(address="x\u0000y")}, "applicant.address: contains a NUL character"),
        (
            {"applicant": applicant(kind="company")},
            "applicant.kind: 'company' is not individual or organization",
        ),
        ({"applicant": applicant(kind="organization", id_number="12345")}, "applicant.id_number: A tax code"),
        ({"applicant": applicant(id_number="066" + "9" * 9)}, "applicant.id_number: The century digit"),
        ({"channel": "fax"}, "channel: 'fax' is not one of counter, online, post"),
        ({"status": "lost"}, "status: 'lost' is not one of"),
        ({"fee_vnd": -1}, "fee_vnd: must be a whole number of VND, 0 or more"),
        ({"fee_vnd": "50000"}, "fee_vnd: must be a whole number"),
        ({"payment_channel": "momo"}, "payment_channel: 'momo' is not one of"),
        ({"e_result": 1}, "e_result: must be true or false"),
        ({"vneid_verified": None}, "vneid_verified: required"),
        ({"result_pushed_to_warehouse": "yes"}, "result_pushed_to_warehouse: must be true or false"),
        ({"documents": [{"code": "GDN"}]}, "documents[0].digitized: required"),
        ({"documents": {"code": "GDN"}}, "documents: must be a list"),
        ({"submitted_at": "2025-03-09"}, "submitted_at: must be an ISO 8601 date and time"),
        ({"submitted_at": "2025-02-30T08:00:00+07:00"}, "submitted_at: '2025-02-30T08:00:00+07:00' is not"),
        ({"returned_at": "2027-01-01T08:00:00+07:00"}, "returned_at: is in the future"),
        ({"resolved_at": "2025-03-10T08:00:00+07:00"}, "resolved_at: is before received_at"),
        ({"returned_at": "2025-03-13T08:00:00+07:00"}, "returned_at: is before resolved_at"),
        ({"due_at": "2025-03-10T08:00:00+07:00"}, "due_at: is before received_at"),
        ({"resolved_at": None}, "resolved_at: required for a returned dossier"),
        ({"outcome": None}, "outcome: required for a returned dossier"),
        ({"outcome": "maybe"}, "outcome: 'maybe' is not one of approved, rejected"),
        ({"status": "processing"}, "resolved_at: a processing dossier has no result yet"),
        (
            {"status": "processing", "resolved_at": None, "returned_at": None, "outcome": None},
            "rating: a processing",
        ),
        ({"status": "submitted"}, "received_at: a submitted dossier has not been received yet"),
        ({"due_at": None}, "due_at: required once the dossier is received"),
        ({"code": None}, "code: required once the dossier is received"),
        (
            {"supplements": [{"requested_at": "2025-03-11T10:00:00+07:00", "completed_at": None}]},
            "supplements: a returned dossier cannot have an open supplement request",
        ),
        (
            {
                "supplements": [
                    {"requested_at": "2025-03-10T10:00:00+07:00", "completed_at": None},
                    {
                        "requested_at": "2025-03-11T10:00:00+07:00",
                        "completed_at": "2025-03-11T11:00:00+07:00",
                    },
                ]
            },
            "supplements: only the last supplement request may still be open",
        ),
        (
            {
                "supplements": [
                    {"requested_at": "2025-03-11T10:00:00+07:00", "completed_at": "2025-03-11T09:00:00+07:00"}
                ]
            },
            "supplements[0].completed_at: is before supplements[0].requested_at",
        ),
        ({"rating": {"satisfied": "yes"}}, "rating.satisfied: must be true or false"),
    ],
)
def test_invalid_lines_say_why(changes: dict[str, Any], expected: str) -> None:
    found = reasons(row(1, **changes))
    assert any(expected in reason for reason in found), found


def test_awaiting_supplement_needs_an_open_request() -> None:
    body = row(1, status="awaiting_supplement", resolved_at=None, returned_at=None, outcome=None, rating=None)
    assert (
        "supplements: an awaiting_supplement dossier needs an open last request (completed_at null)"
        in reasons(body)
    )


def test_every_reason_of_a_line_is_given() -> None:
    found = reasons(row(1, channel="fax", fee_vnd=-5, e_result="no"))
    assert len(found) == 3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"code": "H15', "not valid JSON: Unterminated string"),
        (b"{'code': 1}", "not valid JSON"),
        (b"null", "a line must hold one JSON object"),
        (b'{"a": 1}\x00', "the line contains a NUL byte"),
        (b"\xc3\x28", "not UTF-8 (byte 1)"),
    ],
)
def test_unreadable_lines(raw: bytes, expected: str) -> None:
    assert any(expected in reason for reason in reasons(raw))
