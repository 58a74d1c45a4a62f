"""The population adapter's own cost (issue target: adapter ≤ 1.5 × a raw POST of the same request).

    .venv/bin/python -m benchmarks.bench_population [--pairs 20] [--calls 50]

Starts ``motcua standins`` on a loopback port, then interleaves short runs A B A B …:

- A: a raw ``httpx`` POST of one prepared SOAP request (built and signed once) to the stand-in;
- B: the real adapter's ``lookup`` (``integrations/population/client.py``): builds the SOAP
  envelope, hashes the time-stamped password, sends through ``transport.send``, parses the reply
  with ``defusedxml``.

Both keep one connection open (one ``httpx.Client`` each) and look up the same seeded citizen, so
the stand-in does the same work for both. Interleaving spreads the machine's noise (2 shared
cores) over both sides; the figure that counts is the median of the per-pair ratios B/A.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from benchmarks.common import log


def _run(call: object, n: int) -> float:
    """The median latency of ``n`` calls, in milliseconds."""
    laps = []
    for _ in range(n):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        laps.append((time.perf_counter() - started) * 1000)
    return statistics.median(laps)


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_population", description=__doc__)
    parser.add_argument("--pairs", type=int, default=20, help="A B pairs of runs (default 20)")
    parser.add_argument("--calls", type=int, default=50, help="calls per run (default 50)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line a request would be measured too

    from motcua.integrations.config import SystemConfig
    from motcua.integrations.population import wire
    from motcua.integrations.population.client import PopulationClient
    from motcua.integrations.population.ports import CitizenQuery
    from motcua.standins import accounts
    from motcua.standins.citizens import all_citizens
    from motcua.standins.process import running

    person = all_citizens()[1]
    query = CitizenQuery(person.id_number, person.full_name, birth_date=person.birth_date)
    fields = {"service_code": "VPCP", "integration_code": "037", "officer_code": "bench"}
    options = accounts.DEFAULTS["population"]
    with running() as base:
        url = f"{base}{accounts.PREFIXES['population']}"
        log(f"population: stand-ins at {base}, {args.pairs} pairs × {args.calls} calls")
        body = wire.request_xml(query, request_id="BENCH-A", **fields).encode()
        headers = {
            **wire.auth_headers(url, options["username"], options["secret"], int(time.time())),
            "Content-Type": wire.CONTENT_TYPE,
        }
        raw = httpx.Client(timeout=5.0)
        adapter = PopulationClient(SystemConfig("population", url, True, dict(options)))

        def side_a() -> None:
            response = raw.post(url, content=body, headers=headers)
            assert response.status_code == 200 and b"CongDan>" in response.content

        def side_b() -> None:
            assert adapter.lookup(query, request_id="BENCH-B", officer_code="bench") is not None

        _run(side_a, args.calls)  # warm-up: connections, caches, the stand-in's index
        _run(side_b, args.calls)
        a_runs, b_runs, ratios = [], [], []
        for _ in range(args.pairs):
            a = _run(side_a, args.calls)
            b = _run(side_b, args.calls)
            a_runs.append(a)
            b_runs.append(b)
            ratios.append(b / a)
        raw.close()
    a_med, b_med, ratio = statistics.median(a_runs), statistics.median(b_runs), statistics.median(ratios)
    lines = [
        f"population A raw POST: median {a_med:.2f} ms (runs {min(a_runs):.2f}–{max(a_runs):.2f})",
        f"population B adapter lookup: median {b_med:.2f} ms (runs {min(b_runs):.2f}–{max(b_runs):.2f})",
        f"population B/A: median of per-pair ratios {ratio:.2f} "
        f"(pairs {min(ratios):.2f}–{max(ratios):.2f}; target ≤ 1.50: {'met' if ratio <= 1.5 else 'NOT met'})",
    ]
    for line in lines:
        print(line, flush=True)
    return lines


if __name__ == "__main__":
    main()
