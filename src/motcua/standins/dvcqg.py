"""The stand-in for the national portal's dossier sync (Cổng DVCQG, integrations.md §3).

``POST /dvcqg/auth`` ``{"username", "password"}`` with a ``dstcode`` header → ``{"session",
"error_code": 0}``; a session lapses after ``session_ttl`` seconds (``POST /dvcqg/_settings``).
``POST /dvcqg/integration`` dispatches on ``service``: ``DongBoHoSoMC`` (add or update records:
required fields, ``yyyyMMddHHmmss`` times, status codes 1–10, channels 1–3, and ``MaHoSo`` starting
with ``madonvi``; an add of a record it holds is ``error_code "3"`` "Hồ sơ đã tồn tại"),
``CapNhatTienDoHoSoMC`` (at most 10 entries, for records it holds; an entry it already has is taken
once), ``TraCuuHoSo`` and ``LayThuTuc``. It keeps what it accepted: ``GET /dvcqg/_records/{MaHoSo}``,
and recomputes the sync indicator from it, as the portal's coordination system does:
``GET /dvcqg/_indicators?from=YYYY-MM-DD&to=YYYY-MM-DD[&unit=CODE]`` counts the records whose
``NgayTiepNhan`` falls in the period (under ``unit`` when given). Written from the brief, apart from
MotCua's adapter, so each checks the other.
"""

from __future__ import annotations

import hmac
import html
import secrets
import threading
import time
from datetime import datetime
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page

REQUIRED = ("MaHoSo", "MaTTHC", "KenhThucHien", "ChuHoSo", "NgayNopHoSo", "TrangThaiHoSo")
TIMES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")
PROGRESS_REQUIRED = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")
CODES = {str(n) for n in range(1, 11)}


def _time_ok(value: Any) -> bool:
    if value in ("", None):
        return True
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        return False
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")  # noqa: DTZ007 — a wire format check, not a time
    except ValueError:
        return False
    return True


def _error(code: str, message: str) -> Response:
    return json_response({"error_code": code, "message": message, "result": []})


class NationalPortal(StandIn):
    name = "dvcqg"
    title = "Cổng Dịch vụ công quốc gia — đồng bộ hồ sơ (DongBoHoSoMC, CapNhatTienDoHoSoMC)"
    malformed_body = '{"error_code": '
    malformed_type = "application/json"

    def __init__(self, *, clock: Any = time.time) -> None:
        defaults = accounts.DEFAULTS["dvcqg"]
        self.username, self.password, self.dstcode = (
            defaults["username"],
            defaults["password"],
            defaults["dstcode"],
        )
        self.clock = clock
        self.session_ttl = 1800.0
        self._lock = threading.Lock()
        self._sessions: dict[str, float] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.progress: dict[str, list[dict[str, Any]]] = {}
        self.calls = 0

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/auth", endpoint="auth", methods=["POST"]),
            Rule("/integration", endpoint="integration", methods=["POST"]),
            Rule("/_records/<path:code>", endpoint="record", methods=["GET"]),
            Rule("/_indicators", endpoint="indicators", methods=["GET"]),
            Rule("/_settings", endpoint="settings", methods=["POST"]),
        ]

    # --- pages and test knobs --------------------------------------------------------------------------
    def on_index(self, request: Request) -> Response:
        with self._lock:
            recent = list(self.records.values())[-10:]
        rows = "".join(
            f"<tr><td><code>{html.escape(r['MaHoSo'])}</code></td><td>{html.escape(r['TrangThaiHoSo'])}</td>"
            f"<td>{len(self.progress.get(r['MaHoSo'], []))}</td></tr>"
            for r in reversed(recent)
        )
        return page(
            "Cổng DVCQG — đồng bộ hồ sơ (giả lập)",
            "<p><code>POST /dvcqg/auth</code> lấy phiên; <code>POST /dvcqg/integration</code> với "
            "<code>service</code> = DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo, LayThuTuc.</p>"
            f"<p>Đã nhận {len(self.records)} hồ sơ. Gần nhất:</p>"
            f"<table><tr><th>Mã hồ sơ</th><th>Trạng thái</th><th>Tiến độ</th></tr>{rows}</table>",
        )

    def on_record(self, request: Request, code: str) -> Response:
        with self._lock:
            found = self.records.get(code)
            steps = list(self.progress.get(code, []))
        if found is None:
            return json_response({"error": "no such record"}, 404)
        return json_response({"record": found, "progress": steps})

    def on_indicators(self, request: Request) -> Response:
        start = request.args.get("from", "").replace("-", "") + "000000"
        end = request.args.get("to", "").replace("-", "") + "235959"
        unit = request.args.get("unit", "")
        with self._lock:
            synced = sum(
                1
                for r in self.records.values()
                if r.get("NgayTiepNhan")
                and start <= r["NgayTiepNhan"] <= end
                and (not unit or r["_madonvi"] == unit or r["_madonvi"].startswith(unit + "."))
            )
        return json_response({"synced": synced, "records": len(self.records)})

    def on_settings(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        with self._lock:
            if "session_ttl" in body:
                self.session_ttl = float(body["session_ttl"])
            if body.get("expire_sessions"):
                self._sessions.clear()
            if body.get("reset"):
                self.records.clear()
                self.progress.clear()
                self._sessions.clear()
                self.calls = 0
        return json_response(
            {"session_ttl": self.session_ttl, "records": len(self.records), "calls": self.calls}
        )

    # --- the wire ------------------------------------------------------------------------------------------
    def on_auth(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        good = (
            hmac.compare_digest(str(body.get("username", "")), self.username)
            and hmac.compare_digest(str(body.get("password", "")), self.password)
            and request.headers.get("dstcode", "") == self.dstcode
        )
        if not good:
            return json_response({"error_code": "1", "message": "Sai tài khoản, mật khẩu hoặc dstcode"}, 401)
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = self.clock() + self.session_ttl
        return json_response({"session": session, "error_code": 0})

    def _session_ok(self, session: str) -> bool:
        with self._lock:
            until = self._sessions.get(session)
            if until is not None and until < self.clock():
                del self._sessions[session]
                until = None
        return until is not None

    def on_integration(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error("1", "Dữ liệu không phải JSON")
        if request.headers.get("dstcode", "") != self.dstcode:
            return _error("1", "Sai dstcode")
        if not self._session_ok(str(body.get("session", ""))):
            return _error("-1", "Phiên làm việc đã hết hạn hoặc không hợp lệ (session)")
        unit = str(body.get("madonvi", ""))
        service = body.get("service")
        with self._lock:
            self.calls += 1
        if service == "DongBoHoSoMC":
            return self._upsert(unit, str(body.get("isUpdating", "")), body.get("data"))
        if service == "CapNhatTienDoHoSoMC":
            return self._progress(body.get("data"))
        if service == "TraCuuHoSo":
            with self._lock:
                found = self.records.get(str(body.get("mahoso", "")))
            return json_response(
                {"error_code": "0", "message": "Thành công", "result": [found] if found else []}
            )
        if service == "LayThuTuc":
            code = str(body.get("maTTHC", ""))
            return json_response(
                {
                    "error_code": "0",
                    "message": "Thành công",
                    "result": [{"MATTHC": code, "TENTTHC": f"Thủ tục {code}"}],
                }
            )
        return _error("1", f"Không có dịch vụ {service!r}")

    def _problems(self, unit: str, record: Any) -> list[str]:
        if not isinstance(record, dict):
            return ["bản ghi không phải đối tượng JSON"]
        wrong = [f"thiếu {f}" for f in REQUIRED if not record.get(f)]
        wrong += [f"{f} sai định dạng yyyyMMddHHmmss" for f in TIMES if not _time_ok(record.get(f))]
        wrong += [f"{f} phải là chuỗi" for f, v in record.items() if isinstance(v, int | float)]
        if record.get("TrangThaiHoSo") and record["TrangThaiHoSo"] not in CODES:
            wrong.append("TrangThaiHoSo phải từ 1 đến 10")
        if record.get("KenhThucHien") not in ("1", "2", "3"):
            wrong.append("KenhThucHien phải là 1, 2 hoặc 3")
        if not str(record.get("MaHoSo", "")).startswith(unit + "-") or not unit:
            wrong.append("MaHoSo phải bắt đầu bằng mã đơn vị (madonvi)")
        if record.get("TrangThaiHoSo") not in ("1", None, "") and not record.get("NgayTiepNhan"):
            wrong.append("thiếu NgayTiepNhan")
        return wrong

    def _upsert(self, unit: str, updating: str, data: Any) -> Response:
        if updating not in ("True", "False") or not isinstance(data, list) or not data:
            return _error("1", "isUpdating phải là True/False và data là danh sách")
        for record in data:
            wrong = self._problems(unit, record)
            if wrong:
                return _error("1", "Dữ liệu không hợp lệ: " + "; ".join(wrong))
        with self._lock:
            for record in data:
                code = record["MaHoSo"]
                if updating == "False" and code in self.records:
                    return _error("3", f"Hồ sơ đã tồn tại: {code}")
                if updating == "True" and code not in self.records:
                    return _error("2", f"Không tìm thấy hồ sơ {code} để cập nhật")
            for record in data:
                self.records[record["MaHoSo"]] = {**record, "_madonvi": unit}
        return json_response({"error_code": "0", "message": "Đồng bộ thành công", "result": []})

    def _progress(self, data: Any) -> Response:
        if not isinstance(data, list) or not data:
            return _error("1", "data phải là danh sách")
        if len(data) > 10:
            return _error("1", "Tối đa 10 bản ghi tiến độ mỗi lần")
        for entry in data:
            if not isinstance(entry, dict):
                return _error("1", "bản ghi tiến độ không phải đối tượng JSON")
            missing = [f for f in PROGRESS_REQUIRED if not entry.get(f)]
            if missing:
                return _error("1", "Thiếu " + ", ".join(missing))
            if entry["TrangThai"] not in CODES or not _time_ok(entry["ThoiDiemXuLy"]):
                return _error("1", "TrangThai phải từ 1 đến 10 và ThoiDiemXuLy dạng yyyyMMddHHmmss")
        with self._lock:
            unknown = [e["MaHoSo"] for e in data if e["MaHoSo"] not in self.records]
            if unknown:
                return _error("2", f"Chưa có hồ sơ {unknown[0]}")
            for entry in data:
                kept = self.progress.setdefault(entry["MaHoSo"], [])
                if entry not in kept:  # a resent entry is taken once
                    kept.append(entry)
        return json_response({"error_code": "0", "message": "Cập nhật tiến độ thành công", "result": []})
