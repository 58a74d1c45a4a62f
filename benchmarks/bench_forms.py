"""Printed forms 01–06 over HTTP (issue target: every form under 1 s on this machine, 2 cores).

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_forms [--requests 20] [--runs 3]

An empty database of its own with three counter dossiers of 8 documents each, received at the one-stop
centre: one with a supplement request (answered) and an extension, which prints forms 01, 02, 04 and
06; one refused (03); one stopped (05). For each form, ``motcua serve`` is started afresh on a loopback
port and GET /api/v1/dossiers/{id}/forms/{form} is timed: the first request after the server is
ready (cold), then ``workers × threads`` requests that are not measured, then the measured warm
requests, one after the other. Each request opens a new connection, as a desk's browser printing now
and then does, so they spread over the server's workers. A form passes when the cold request and the
warm p95 are both under the target; each response must be a PDF.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from dataclasses import dataclass

from benchmarks.common import (
    CENTRE,
    HOST,
    PASSWORD,
    PROCEDURE,
    Database,
    Result,
    Server,
    combos,
    django_json,
    log,
    prepare,
    scratch_database,
)

TARGET_MS = 1000.0
FORMS = {
    "receipt": "01",
    "supplement": "02",
    "refusal": "03",
    "apology": "04",
    "stop": "05",
    "control-sheet": "06",
}
# The dossier each form is printed for (keys of SETUP's ``result``).
PRINTED_FROM = {
    "receipt": "main",
    "supplement": "main",
    "apology": "main",
    "control-sheet": "main",
    "refusal": "refused",
    "stop": "stopped",
}

# Run inside ``motcua shell`` after common.prepare: binds ``result`` to the three dossiers' ids.
SETUP = """
from datetime import timedelta
from motcua.accounts.models import User
from motcua.calendar.selectors import get_calendar
from motcua.dossiers import services

desk = User.objects.get(username="tiepnhan0")
desk.full_name = "Trần Văn Đức"
desk.save(update_fields=["full_name"])
names = [
    "Giấy đề nghị đăng ký doanh nghiệp công ty trách nhiệm hữu hạn một thành viên",
    "Điều lệ công ty có chữ ký của chủ sở hữu công ty và người đại diện theo pháp luật",
    "Bản sao căn cước của người đại diện theo pháp luật của công ty",
    "Bản sao giấy tờ pháp lý của tổ chức là chủ sở hữu công ty",
    "Văn bản cử người đại diện theo ủy quyền quản lý phần vốn góp của chủ sở hữu",
    "Văn bản ủy quyền cho người đi nộp hồ sơ và nhận kết quả",
    "Giấy chứng nhận đăng ký đầu tư (đối với nhà đầu tư nước ngoài)",
    "Bản sao hợp đồng thuê trụ sở chính của công ty",
]
documents = [services.DocumentIn(code, name) for code, name in zip(["GDN", "DL", "X1", "X2", "X3", "X4", "X5", "X6"], names)]

def counter(n):
    dossier, _ = services.create_dossier(
        actor=desk, procedure_code=PROCEDURE, channel="counter", documents=documents,
        applicant=services.Applicant(
            kind="individual", full_name="Nguyễn Thị Thu Hà", id_number=f"066185{n:06d}", phone=f"09{n:08d}",
            email="thuha@example.vn",
            address="Số 123/45 đường Nguyễn Tất Thành, tổ dân phố 7, khu phố Tân Lợi, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
        ),
    )
    return dossier

main = counter(1)
services.request_supplement(actor=desk, dossier_id=main.pk, reason="Điều lệ nộp kèm chưa có chữ ký.",
                            items=["Điều lệ công ty có chữ ký của các thành viên", "Bản sao giấy tờ pháp lý của chủ sở hữu"])
services.supplement(actor=desk, dossier_id=main.pk, documents=[services.DocumentIn("DL", "Điều lệ công ty (bổ sung)")])
main.refresh_from_db()
services.extend(actor=desk, dossier_id=main.pk, reason="Cần xác minh tại thực địa",
                new_due_at=get_calendar().add_working_time(main.due_at, timedelta(hours=40)))
refused = counter(2)
services.refuse(actor=desk, dossier_id=refused.pk, reason="Thủ tục không thuộc thẩm quyền giải quyết của tỉnh.")
stopped = counter(3)
services.stop(actor=desk, dossier_id=stopped.pk, reason="Có văn bản của cơ quan có thẩm quyền tạm dừng.")
result = {"main": main.pk, "refused": refused.pk, "stopped": stopped.pk}
"""


@dataclass
class FormRun:
    form: str
    cold_ms: float
    warm: Result
    ready_s: float

    def p(self, q: float) -> float:
        return self.warm.percentile(q)


def get(port: int, path: str, token: str) -> tuple[float, int, bool]:
    """One GET on a new connection: milliseconds, HTTP status, whether the body is a PDF."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}", "Connection": "close"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000, response.status, body.startswith(b"%PDF")


def run_form(
    db: Database, form: str, dossier_id: int, token: str, *, workers: int, threads: int, requests: int
) -> FormRun:
    path = f"/api/v1/dossiers/{dossier_id}/forms/{form}"
    started = time.monotonic()
    with Server(db.env, workers=workers, threads=threads, log_path=db.tmp / "server.log") as server:
        ready = time.monotonic() - started
        cold, status, is_pdf = get(server.port, path, token)
        statuses = {str(status): 1}
        errors = 0 if is_pdf else 1
        for _ in range(workers * threads):
            get(server.port, path, token)
        latencies = []
        began = time.perf_counter()
        for _ in range(requests):
            ms, status, is_pdf = get(server.port, path, token)
            latencies.append(ms)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            errors += 0 if is_pdf else 1
        seconds = time.perf_counter() - began
    warm = Result(
        name=f"form {form} ({FORMS[form]})",
        clients=1,
        requests=requests,
        seconds=seconds,
        latencies_ms=latencies,
        statuses=statuses,
        errors=errors,
        setup=f"{workers} workers × {threads} threads, {db.label}",
    )
    return FormRun(form, cold, warm, ready)


def verdict(cold_ms: float, p95_ms: float, errors: int) -> str:
    return "PASS" if cold_ms < TARGET_MS and p95_ms < TARGET_MS and errors == 0 else "FAIL"


def line(run: FormRun) -> str:
    """``form receipt (01): cold X ms, warm p50 Y ms, p95 Z ms (N requests; target < 1000 ms) PASS [setup]``."""
    return (
        f"{run.warm.name}: cold {run.cold_ms:.0f} ms, warm p50 {run.p(50):.0f} ms, p95 {run.p(95):.0f} ms "
        f"({run.warm.requests} requests; target < {TARGET_MS:.0f} ms) "
        f"{verdict(run.cold_ms, run.p(95), run.warm.errors)} [{run.warm.setup}; server ready in "
        f"{run.ready_s:.1f} s; HTTP {run.warm.statuses}"
        + (f"; {run.warm.errors} not a PDF" if run.warm.errors else "")
        + "]"
    )


def median_line(form: str, runs: list[FormRun]) -> str:
    cold = statistics.median(r.cold_ms for r in runs)
    p50 = statistics.median(r.p(50) for r in runs)
    p95 = statistics.median(r.p(95) for r in runs)
    errors = sum(r.warm.errors for r in runs)
    return (
        f"form {form} ({FORMS[form]}), median of {len(runs)} runs: cold {cold:.0f} ms, warm p50 {p50:.0f} ms, "
        f"p95 {p95:.0f} ms (target < {TARGET_MS:.0f} ms) {verdict(cold, p95, errors)} [{runs[0].warm.setup}]"
    )


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_forms", description=__doc__)
    parser.add_argument(
        "--requests", type=int, default=20, help="measured warm requests per form (default 20)"
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat and report the median of the runs")
    parser.add_argument("--forms", default=",".join(FORMS), help="which forms (default: all six)")
    parser.add_argument("--sweep", default=None, help="workers×threads to try, e.g. 3x4 (default: 3x4)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    forms = [f.strip() for f in args.forms.split(",") if f.strip() in FORMS]
    lines = []
    with scratch_database("forms") as db:
        log(f"forms: preparing {db.label} …")
        token = prepare(db, receivers=1)["tokens"][0]
        ids = django_json(
            db.env, f"CENTRE, PROCEDURE, PASSWORD = {CENTRE!r}, {PROCEDURE!r}, {PASSWORD!r}\n" + SETUP
        )
        for workers, threads in combos(args.sweep):
            by_form: dict[str, list[FormRun]] = {form: [] for form in forms}
            for n in range(args.runs):
                for form in forms:
                    log(f"forms: run {n + 1}, {form}: motcua serve --workers {workers} --threads {threads}")
                    run = run_form(
                        db,
                        form,
                        ids[PRINTED_FROM[form]],
                        token,
                        workers=workers,
                        threads=threads,
                        requests=args.requests,
                    )
                    by_form[form].append(run)
                    print(line(run), flush=True)
            for form, runs in by_form.items():
                lines.append(median_line(form, runs) if len(runs) > 1 else line(runs[0]))
                if len(runs) > 1:
                    print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":
    main()
