"""MotCua's own time to sign a one-page result with the stand-in signer (target < 300 ms).

    .venv/bin/python -m benchmarks.bench_signing [--runs 30]

Starts ``motcua standins`` on a loopback port with the signing stand-in set to approve at once
(``auto_approve_seconds 0``), so the officer's confirmation costs nothing and what is measured is
MotCua's side of the flow: the officer's certificate (``get_certificate``), the PAdES preparation
and the hash signing request (``request_signature``), one ``poll`` that fetches the signature and
embeds the CMS, and the verification of the signed PDF against the test root (MotCua verifies
before it attaches a result). The loopback round trips and the stand-in's RSA signature are
included, so the figure is an upper bound of MotCua's own time. The PDF is the one-page result
WeasyPrint makes (made once, outside the timing). No database: the dossier's transaction is not
part of it (bench_intake measures the writes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from benchmarks.common import log

TARGET_MS = 300.0


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_signing", description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="signatures to time (default 30)")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.settings")
    import django

    django.setup()
    import logging

    import httpx
    import weasyprint

    logging.getLogger("httpx").setLevel(logging.WARNING)

    from motcua.integrations.config import SystemConfig
    from motcua.integrations.signing.client import RemoteSigningClient, verifier_for
    from motcua.integrations.signing.ports import Appearance, TxState
    from motcua.standins import accounts
    from motcua.standins.process import running

    pdf = weasyprint.HTML(
        string="<h1>Giấy chứng nhận</h1><p>Kết quả giải quyết thủ tục hành chính — một trang.</p>"
    ).write_pdf()
    appearance = Appearance("Kết quả giải quyết thủ tục hành chính", "UBND tỉnh", "H15.TTPV-260312-0001")
    with running() as base:
        url = f"{base}{accounts.PREFIXES['signing']}"
        httpx.post(f"{url}/_settings", json={"auto_approve_seconds": 0}, timeout=5).raise_for_status()
        config = SystemConfig("signing", url, True, dict(accounts.DEFAULTS["signing"]))
        signer = RemoteSigningClient(config)
        verifier = verifier_for(config)
        log(f"signing: stand-ins at {base}, {args.runs} signatures of a {len(pdf)}-byte one-page PDF")

        laps: dict[str, list[float]] = {
            "certificate": [],
            "request": [],
            "poll": [],
            "verify": [],
            "total": [],
        }

        def once(record: bool) -> None:
            t0 = time.perf_counter()
            cert = signer.certificates("lanhdao.bench", full_name="Lãnh Đạo Đo Thử")[0]
            t1 = time.perf_counter()
            tx = signer.request_signature(pdf, cert, appearance=appearance)
            t2 = time.perf_counter()
            done = signer.poll(tx)
            t3 = time.perf_counter()
            assert done.state is TxState.SIGNED and done.signed_pdf is not None
            assert verifier.verify(done.signed_pdf)[0].valid
            t4 = time.perf_counter()
            if record:
                for name, (a, b) in {
                    "certificate": (t0, t1),
                    "request": (t1, t2),
                    "poll": (t2, t3),
                    "verify": (t3, t4),
                    "total": (t0, t4),
                }.items():
                    laps[name].append((b - a) * 1000)

        for _ in range(3):  # warm-up: connections, imports, the officer's certificate
            once(False)
        for _ in range(args.runs):
            once(True)
    med = {name: statistics.median(values) for name, values in laps.items()}
    total = laps["total"]
    lines = [
        "signing parts (median ms): "
        + ", ".join(f"{name} {med[name]:.1f}" for name in ("certificate", "request", "poll", "verify")),
        f"signing one-page result, MotCua's own time: median {med['total']:.1f} ms "
        f"(runs {min(total):.1f}–{max(total):.1f}; target < {TARGET_MS:.0f} ms: "
        f"{'PASS' if med['total'] < TARGET_MS else 'FAIL'})",
    ]
    for line in lines:
        print(line, flush=True)
    return lines


if __name__ == "__main__":
    main()
