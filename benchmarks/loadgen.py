"""The load generator, a process of its own: ``python -m benchmarks.loadgen < config.json``.

N client threads, each with one persistent keep-alive HTTP/1.1 connection (stdlib http.client),
loop until the time or the request budget runs out — first a warm-up whose results are dropped,
then the measured run. Loopback only. Prints one JSON object: requests, seconds, latencies,
statuses, transport errors and, for intake, what each 201 said.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

HOST = "127.0.0.1"

Request = tuple[str, str, bytes, dict[str, str]]


def intake_requests(params: dict[str, Any], client: int) -> Callable[[int], Request]:
    """POST /api/v1/dossiers, channel counter, a fresh applicant and Idempotency-Key each time."""
    token = params["tokens"][client % len(params["tokens"])]
    run = params["run"]

    def make(n: int) -> Request:
        i = client * 100_000 + n
        body = {
            "procedure_code": params["procedure"],
            "channel": "counter",
            "applicant": {
                "kind": "individual",
                "full_name": f"Lê Thị {i}",
                "id_number": f"066185{i % 1_000_000:06d}",
                "phone": f"09{i:08d}",
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
            "Idempotency-Key": f"{run}-{client}-{n}",
            "Content-Type": "application/json",
        }
        return "POST", "/api/v1/dossiers", json.dumps(body).encode(), headers

    return make


def lookup_requests(params: dict[str, Any], client: int) -> Callable[[int], Request]:
    """POST /api/v1/lookup over the pre-created dossiers; a share of wrong pairs (404)."""
    pairs = params["dossiers"]
    miss = params.get("miss_ratio", 0.1)
    rng = random.Random(client)  # noqa: S311 — test data
    headers = {"Content-Type": "application/json"}
    if params.get("distinct_clients"):
        headers["X-Forwarded-For"] = f"10.0.0.{client + 1}"

    def make(n: int) -> Request:
        pair = rng.choice(pairs)
        id_number = pair["id_number"] if rng.random() >= miss else "066185999999"
        body = {"code": pair["code"], "id_number": id_number}
        return "POST", "/api/v1/lookup", json.dumps(body).encode(), headers

    return make


def floor_requests(params: dict[str, Any], client: int) -> Callable[[int], Request]:
    """GET /api/v1/dossiers without credentials: a 401 from DRF with no SQL at all — what the HTTP
    server, Django's middleware and DRF cost on their own, the ceiling for any API request."""

    def make(n: int) -> Request:
        return "GET", "/api/v1/dossiers", b"", {}

    return make


SCENARIOS = {"intake": intake_requests, "lookup": lookup_requests, "floor": floor_requests}


def phase(
    config: dict[str, Any], seconds: float, budget: int, keep_bodies: bool, offset: int
) -> dict[str, Any]:
    clients = config["clients"]
    counter = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[Counter[int]] = [Counter() for _ in range(clients)]
    bodies: list[list[Any]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_gate = threading.Barrier(clients + 1)
    deadline = 0.0

    def client(c: int) -> None:
        make = SCENARIOS[config["scenario"]](config["params"], c)
        conn = http.client.HTTPConnection(HOST, config["port"], timeout=30)
        start_gate.wait()
        n = offset
        try:
            while time.perf_counter() < deadline and next(counter) < budget:
                method, path, body, headers = make(n)
                n += 1
                t0 = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException):
                    errors[c] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, config["port"], timeout=30)
                    continue
                latencies[c].append((time.perf_counter() - t0) * 1000)
                statuses[c][response.status] += 1
                if keep_bodies and response.status == 201:
                    shown = json.loads(data)
                    bodies[c].append({"id": shown["id"], "code": shown["code"]})
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    deadline = time.perf_counter() + seconds + 3600  # set properly below, once every client is ready
    start_gate.wait()
    began = time.perf_counter()
    deadline = began + seconds
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.perf_counter() - began
    total: Counter[int] = Counter()
    for s in statuses:
        total.update(s)
    return {
        "requests": sum(total.values()),
        "seconds": elapsed,
        "latencies_ms": [x for per in latencies for x in per],
        "statuses": {str(k): v for k, v in sorted(total.items())},
        "errors": sum(errors),
        "bodies": [b for per in bodies for b in per],
    }


def main() -> None:
    config = json.load(sys.stdin)
    if config["warmup_seconds"] > 0:
        phase(config, config["warmup_seconds"], config["max_requests"], False, offset=50_000)
    result = phase(
        config, config["duration"], config["max_requests"], config["scenario"] == "intake", offset=0
    )
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
