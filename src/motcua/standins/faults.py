"""Knobs for latency and faults, per stand-in, set over HTTP (``POST /_faults``) or at start-up.

A fault applies to the next ``count`` requests of one system (or all of them when count is 0):
``timeout`` holds the request for ``hold_seconds`` before answering (longer than any client waits),
``error`` answers 500, ``malformed`` answers 200 with a body that is not the system's wire format.
Latency is added to every request of the system.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

MODES = ("timeout", "error", "malformed")


@dataclass(frozen=True)
class Knob:
    latency_ms: int = 0
    mode: str = ""
    count: int = 0  # 0: every request while set
    hold_seconds: float = 30.0


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._knobs: dict[str, Knob] = {}

    def set(self, system: str, knob: Knob) -> None:
        if knob.mode and knob.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        with self._lock:
            self._knobs[system] = knob

    def reset(self) -> None:
        with self._lock:
            self._knobs.clear()

    def snapshot(self) -> dict[str, Knob]:
        with self._lock:
            return dict(self._knobs)

    def take(self, system: str) -> str:
        """Wait the latency; return the fault this request suffers ("" for none), counting it down."""
        with self._lock:
            knob = self._knobs.get(system, Knob())
            mode = knob.mode
            if mode and knob.count:
                left = knob.count - 1
                self._knobs[system] = replace(knob, count=left) if left else replace(knob, mode="", count=0)
        if knob.latency_ms:
            time.sleep(knob.latency_ms / 1000)
        if mode == "timeout":
            time.sleep(knob.hold_seconds)
        return mode
