"""The cluster test's load, a process of its own: ``python -m tests.cluster_load < config.json``.

Through nginx, for ``duration`` seconds, closed loop, one keep-alive connection per client thread:

- ``desks`` one-stop desk officers, each POSTing counter dossiers with an Idempotency-Key of its own.
  A connection error, a 502/503/504 (a server killed under it) or a 409 ``idempotency_key_reused``
  (the first attempt still running elsewhere) is retried with the SAME key and body until the
  dossier is acknowledged: 201, or 200 when an earlier attempt had made it. Nothing is given up
  while there is time left in ``settle`` seconds after the end. A 503 is the app's "the database
  is away for a moment" (the primary restarting): it must be the clean one — the error envelope's
  ``service_unavailable`` with a Retry-After — and is counted, with when the first and last came.
- ``citizens`` citizens looking their dossiers up (POST /api/v1/lookup), each with a think time,
  each from an address of its own: the load generator plays an outer balancer and sends it in
  X-Forwarded-For, nginx appends 127.0.0.1 (so the app runs with MOTCUA_NUM_PROXIES=2).
- one greedy citizen, ``greedy.at`` seconds in, sends ``greedy.requests`` look-ups back to back
  from one address: the shared limit must stop it after the configured number, whichever of
  the servers nginx hands each request to (their X-Upstream header).

Prints one JSON object with everything the test checks.
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
from collections import Counter
from typing import Any

HOST = "127.0.0.1"
RETRY_STATUSES = {502, 503, 504}


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def send(
        self, method: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, bytes, Any]:
        """Status, body and headers; raises OSError/HTTPException (after reconnecting) on a transport error."""
        try:
            self.conn.request(method, path, body=json.dumps(body).encode(), headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read(), response.headers
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            raise


def run(config: dict[str, Any]) -> dict[str, Any]:
    port, duration, settle = config["port"], config["duration"], config.get("settle", 90)
    lock = threading.Lock()
    statuses: dict[str, Counter[int]] = {"desk": Counter(), "citizen": Counter(), "greedy": Counter()}
    retries = Counter[str]()
    errors = Counter[str]()
    acked: list[dict[str, Any]] = []
    unresolved: list[dict[str, Any]] = []
    server_errors: list[dict[str, Any]] = []
    greedy: list[dict[str, Any]] = []
    unavailable: dict[str, Any] = {"count": 0, "first": None, "last": None, "unclean": []}
    began = time.monotonic()
    deadline = began + duration

    def note(kind: str, status: int, body: bytes, path: str, headers: Any) -> None:
        with lock:
            statuses[kind][status] += 1
            if status == 503:
                at = round(time.monotonic() - began, 2)
                unavailable["count"] += 1
                unavailable["first"] = unavailable["first"] if unavailable["first"] is not None else at
                unavailable["last"] = at
                if not (headers.get("Retry-After") and b'"service_unavailable"' in body):
                    unavailable["unclean"].append({"kind": kind, "path": path, "at": at,
                                                   "body": body[:300].decode(errors="replace")})  # fmt: skip
            if status >= 500 and status not in RETRY_STATUSES:
                server_errors.append(
                    {
                        "kind": kind,
                        "status": status,
                        "path": path,
                        "body": body[:500].decode(errors="replace"),
                    }
                )

    def desk(d: int) -> None:
        token = config["tokens"][d % len(config["tokens"])]
        client = Client(port)
        rng = random.Random(d)  # noqa: S311 — test data
        n = 0
        while time.monotonic() < deadline:
            key = f"{config['run']}-{d}-{n}"
            phone = f"09{d:02d}{n:06d}"
            body = {
                "procedure_code": config["procedure"],
                "channel": "counter",
                "applicant": {
                    "kind": "individual",
                    "full_name": f"Lê Thị {d}-{n}",
                    "id_number": f"066185{(d * 10_000 + n) % 1_000_000:06d}",
                    "phone": phone,
                    "email": "",
                    "address": "Buôn Ma Thuột, Đắk Lắk",
                },
                "documents": [
                    {"code": "GDN", "name": "Giấy đề nghị đăng ký doanh nghiệp"},
                    {"code": "DL", "name": "Điều lệ công ty"},
                ],
            }
            headers = {
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
            attempts = 0
            outcome: dict[str, Any] | None = None
            while time.monotonic() < deadline + settle:
                attempts += 1
                try:
                    status, data, got = client.send("POST", "/api/v1/dossiers", body, headers)
                except (OSError, http.client.HTTPException):
                    with lock:
                        errors["desk"] += 1
                        retries["desk"] += 1
                    time.sleep(0.2)
                    continue
                note("desk", status, data, "/api/v1/dossiers", got)
                if status in (200, 201):
                    shown = json.loads(data)
                    outcome = {"key": key, "id": shown["id"], "code": shown["code"], "phone": phone,
                               "status": status, "attempts": attempts}  # fmt: skip
                    break
                reused = status == 409 and b"idempotency_key_reused" in data
                if status in RETRY_STATUSES or reused:
                    with lock:
                        retries["desk"] += 1
                    time.sleep(0.5 if status == 503 else 0.2)  # the same key, a moment later
                    continue
                outcome = {"key": key, "status": status, "body": data[:300].decode(errors="replace")}
                break
            with lock:
                if outcome is not None and outcome["status"] in (200, 201):
                    acked.append(outcome)
                else:
                    unresolved.append(outcome or {"key": key, "status": None})
            n += 1
            time.sleep(rng.uniform(0.5, 1.0) * config.get("desk_think", 0.3))

    def citizen(c: int) -> None:
        pairs = config["dossiers"]
        rng = random.Random(1000 + c)  # noqa: S311 — test data
        headers = {"Content-Type": "application/json", "X-Forwarded-For": f"10.0.{c // 250}.{c % 250 + 1}"}
        client = Client(port)
        low, high = config.get("citizen_think", (2.5, 4.5))
        time.sleep(rng.uniform(0, high))  # not all at once
        while time.monotonic() < deadline:
            pair = rng.choice(pairs)
            wrong = rng.random() < 0.05
            body = {"code": pair["code"], "id_number": "066185999999" if wrong else pair["id_number"]}
            while time.monotonic() < deadline + 30:
                try:
                    status, data, got = client.send("POST", "/api/v1/lookup", body, headers)
                except (OSError, http.client.HTTPException):
                    with lock:
                        errors["citizen"] += 1
                        retries["citizen"] += 1
                    time.sleep(0.2)
                    continue
                note("citizen", status, data, "/api/v1/lookup", got)
                if status in RETRY_STATUSES:
                    with lock:
                        retries["citizen"] += 1
                    time.sleep(0.2)
                    continue
                break
            time.sleep(rng.uniform(low, high))

    def greedy_citizen() -> None:
        spec = config["greedy"]
        time.sleep(max(0.0, began + spec["at"] - time.monotonic()))
        pair = config["dossiers"][0]
        headers = {"Content-Type": "application/json", "X-Forwarded-For": spec["ip"]}
        client = Client(port)
        for _ in range(spec["requests"]):
            try:
                status, data, got = client.send("POST", "/api/v1/lookup", pair, headers)
            except (OSError, http.client.HTTPException):
                with lock:
                    errors["greedy"] += 1
                continue
            note("greedy", status, data, "/api/v1/lookup", got)
            greedy.append(
                {"status": status, "upstream": got.get("X-Upstream", ""), "at": time.monotonic() - began}
            )

    threads = [threading.Thread(target=desk, args=(d,), daemon=True) for d in range(config["desks"])]
    threads += [threading.Thread(target=citizen, args=(c,), daemon=True) for c in range(config["citizens"])]
    threads.append(threading.Thread(target=greedy_citizen, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline + settle + 30 - time.monotonic()))
    alive = sum(t.is_alive() for t in threads)
    return {
        "seconds": time.monotonic() - began,
        "statuses": {k: {str(s): n for s, n in sorted(v.items())} for k, v in statuses.items()},
        "retries": dict(retries),
        "transport_errors": dict(errors),
        "acked": acked,
        "unresolved": unresolved,
        "server_errors": server_errors,
        "greedy": greedy,
        "unavailable": unavailable,
        "threads_still_running": alive,
    }


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
