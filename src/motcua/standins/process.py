"""Start ``motcua standins`` as a subprocess on a free port and wait until it answers: for the tests
and the benchmarks (``make demo`` starts it from scripts/demo.sh)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def free_pair() -> int:
    """A free port whose next one is free too: the stand-ins' SMTP sink listens on port + 1."""
    for _attempt in range(50):
        port = free_port()
        if port >= 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind((HOST, port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports in a row")


@contextlib.contextmanager
def running(*, latency_ms: int = 0, wait: float = 30.0, nice: int = 0) -> Iterator[str]:
    """The base URL of a stand-ins process that lives for the ``with`` block (at niceness ``nice``:
    a benchmark may keep the systems it stands for, remote in life, off the app's CPU)."""
    port = free_pair()
    args = [sys.executable, "-m", "motcua.cli", "standins", "--host", HOST, "--port", str(port)]
    if nice:
        args = ["nice", "-n", str(nice), *args]
    if latency_ms:
        args += ["--latency-ms", str(latency_ms)]
    env = {k: v for k, v in os.environ.items() if k != "MOTCUA_STANDINS_URL"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603 — our own interpreter
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"motcua standins exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
                )
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1) as r:  # noqa: S310 — our own loopback URL
                    if json.load(r).get("ok"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def control(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to the stand-ins' fault knobs (``/_faults``)."""
    request = urllib.request.Request(  # noqa: S310 — our own loopback URL
        f"{url}/_faults", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310 — our own loopback URL
        return dict(json.load(r))
