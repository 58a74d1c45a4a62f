"""Benchmark of `motcua import-dossiers` (target: at least 3,000 dossiers/s on PostgreSQL).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_import [--count 50000]

Migrates the database it runs against, creates a small province of its own (province H99, its
one-stop centre, two departments, a ward with its centre; two procedures), writes N synthetic valid
lines to a temporary file and imports them in-process through the function the command calls, in
the command's default all-or-nothing mode (a checking pass, then the import in one transaction).
Runs again on the same database continue the daily serials, so the codes never collide.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET = 3000

AGENCIES = [
    ("H99", "Ủy ban nhân dân tỉnh Thử Nghiệm", "province", None),
    ("H99.TTPV", "Trung tâm Phục vụ hành chính công tỉnh Thử Nghiệm", "centre", "H99"),
    ("H99.STC", "Sở Tài chính tỉnh Thử Nghiệm", "department", "H99"),
    ("H99.16", "Sở Xây dựng tỉnh Thử Nghiệm", "department", "H99"),
    ("H99.100", "Ủy ban nhân dân phường Trung Tâm", "commune", "H99"),
    ("H99.100.TTPV", "Trung tâm Phục vụ hành chính công phường Trung Tâm", "centre", "H99.100"),
]
PROCEDURES = [
    {
        "code": "9.900001",
        "name": "Đăng ký thành lập doanh nghiệp (thử nghiệm)",
        "agency_code": "H99.STC",
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
    },
    {
        "code": "9.900002",
        "name": "Đăng ký khai sinh (thử nghiệm)",
        "agency_code": "H99.100",
        "field": "Hộ tịch",
        "level": "commune",
        "processing_time": {"value": 8, "unit": "working_hours"},
        "online_level": "full",
        "fee_vnd": 0,
        "result_is_document": True,
        "applicant_types": ["individual"],
        "required_documents": [{"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True}],
        "steps": [],
    },
]
# (procedure, receiving, resolving, document codes)
ROUTES = [
    ("9.900001", "H99.TTPV", "H99.STC", ["GDN", "DL"]),
    ("9.900002", "H99.100.TTPV", "H99.100", ["TK"]),
]
STATUSES = [
    ("returned", 70),
    ("resolved", 10),
    ("processing", 6),
    ("received", 2),
    ("awaiting_supplement", 3),
    ("awaiting_payment", 1),
    ("submitted", 2),
    ("refused", 2),
    ("withdrawn", 2),
    ("stopped", 2),
]
PROVINCES = ["001", "066", "079", "048", "038"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()


def ensure_world() -> None:
    """The bench's own agencies and procedures, created once per database."""
    from motcua.agencies.models import Agency
    from motcua.agencies.services import create_agency
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import create_procedure

    for code, name, kind, parent in AGENCIES:
        if not Agency.objects.filter(code=code).exists():
            create_agency(code=code, name=name, kind=kind, parent_code=parent)
    for spec in PROCEDURES:
        if not Procedure.objects.filter(code=spec["code"]).exists():
            create_procedure(spec=spec)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def generate(path: Path, count: int, seed: int = 766) -> None:
    """``count`` valid lines over the year 2025, continuing the bench agencies' daily serials."""
    from motcua.dossiers.models import DailySerial

    rng = random.Random(seed)  # synthetic data
    serials: dict[tuple[str, str], int] = {
        (code, f"{day:%y%m%d}"): last
        for code, day, last in DailySerial.objects.filter(agency__code__startswith="H99").values_list(
            "agency__code", "day", "last"
        )
    }
    statuses = [s for s, _w in STATUSES]
    weights = [w for _s, w in STATUSES]
    start = datetime(2025, 1, 2, 7, 30, tzinfo=VN)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            procedure, receiving, resolving, doc_codes = ROUTES[i % 7 == 0]
            status = rng.choices(statuses, weights)[0]
            submitted = start + timedelta(days=rng.randrange(360), minutes=rng.randrange(600))
            received = (
                None if status == "submitted" else submitted + timedelta(minutes=rng.randrange(5, 2000))
            )
            if status == "refused" and rng.random() < 0.5:
                received = None
            line: dict[str, Any] = {
                "code": None,
                "procedure_code": procedure,
                "receiving_agency_code": receiving,
                "resolving_agency_code": resolving,
                "channel": rng.choice(("online", "online", "counter", "post")),
                "status": status,
                "applicant": {
                    "kind": "individual",
                    "full_name": f"Nguyễn Văn Thử {i}",
                    "id_number": f"{rng.choice(PROVINCES)}{rng.choice('01')}{rng.randrange(100):02d}{rng.randrange(10**6):06d}",
                    "phone": f"09{rng.randrange(10**8):08d}",
                    "email": f"nguoidan{i}@example.vn",
                    "address": "Phường Trung Tâm, tỉnh Thử Nghiệm",
                },
                "submitted_at": _iso(submitted),
                "received_at": None,
                "due_at": None,
                "resolved_at": None,
                "returned_at": None,
                "outcome": None,
                "supplements": [],
                "fee_vnd": 0,
                "payment_channel": None,
                "documents": [
                    {
                        "code": c,
                        "digitized": rng.random() < 0.8,
                        "reused": rng.random() < 0.3,
                        "from_warehouse": rng.random() < 0.2,
                    }
                    for c in doc_codes
                ],
                "e_result": rng.random() < 0.6,
                "vneid_verified": rng.random() < 0.5,
                "population_data_used": rng.random() < 0.4,
                "synced_to_national_portal": rng.random() < 0.9,
                "rating": None,
            }
            if received is not None:
                key = (receiving, f"{received:%y%m%d}")
                serials[key] = serials.get(key, 0) + 1
                line["code"] = f"{receiving}-{key[1]}-{serials[key]:04d}"
                due = received + timedelta(days=3)
                line["received_at"], line["due_at"] = _iso(received), _iso(due)
                if rng.random() < 0.2:
                    requested = received + timedelta(hours=rng.randrange(1, 30))
                    open_now = status == "awaiting_supplement"
                    done = None if open_now else _iso(requested + timedelta(hours=rng.randrange(1, 20)))
                    line["supplements"] = [{"requested_at": _iso(requested), "completed_at": done}]
                elif status == "awaiting_supplement":
                    line["supplements"] = [
                        {"requested_at": _iso(received + timedelta(hours=2)), "completed_at": None}
                    ]
                if status in ("resolved", "returned"):
                    last_supplement = received
                    if line["supplements"]:
                        last_supplement = datetime.fromisoformat(line["supplements"][-1]["completed_at"])
                    resolved = last_supplement + timedelta(hours=rng.randrange(2, 100))
                    line["resolved_at"], line["outcome"] = (
                        _iso(resolved),
                        rng.choice(("approved", "approved", "rejected")),
                    )
                    if status == "returned":
                        line["returned_at"] = _iso(resolved + timedelta(hours=rng.randrange(1, 48)))
                    if rng.random() < 0.3:
                        line["rating"] = {"satisfied": rng.random() < 0.9}
                if procedure == "9.900001" and status not in ("refused", "submitted"):
                    line["fee_vnd"] = 50000
                    line["payment_channel"] = rng.choice(("national_portal", "local_gateway", "counter"))
            elif status == "awaiting_supplement":
                line["supplements"] = [
                    {"requested_at": _iso(submitted + timedelta(hours=1)), "completed_at": None}
                ]
            out.write(json.dumps(line, ensure_ascii=False))
            out.write("\n")


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_import", description=__doc__)
    parser.add_argument("--count", type=int, default=50_000, help="dossiers to import (default 50000)")
    parser.add_argument("--batch-size", type=int, default=None, help="rows a write (default the importer's)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.importer import BATCH_SIZE, import_dossiers

    call_command("migrate", verbosity=0)
    ensure_world()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        path = Path(tmp) / "dossiers.jsonl"
        began = time.perf_counter()
        generate(path, args.count)
        generated = time.perf_counter() - began
        began, cpu = time.perf_counter(), time.process_time()
        report = import_dossiers(path, batch_size=args.batch_size or BATCH_SIZE)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    if report.errors:
        first = sorted(report.errors.items())[:5]
        raise SystemExit(f"the synthetic file had {report.invalid} invalid lines, e.g. {first}")
    rate = report.imported / seconds if seconds else float("inf")
    print(
        f"import-dossiers: {report.imported} dossiers in {seconds:.2f} s = {rate:.0f} dossiers/s "
        f"(target ≥ {TARGET}) [{connection.vendor}; importer CPU {cpu:.1f} s; file generated in {generated:.1f} s]"
    )
    return rate


if __name__ == "__main__":
    main()
