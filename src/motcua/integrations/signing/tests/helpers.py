"""A one-page result PDF and the stand-in's signing knobs, for the signing tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import httpx


@cache
def result_pdf(text: str = "Giấy chứng nhận — kết quả giải quyết") -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=f"<h1>{text}</h1><p>Một trang.</p>").write_pdf())


def knobs(standins_url: str, **values: Any) -> dict[str, Any]:
    """Set the signing stand-in's ``auto_approve_seconds`` / ``ttl_seconds``."""
    answer = httpx.post(f"{standins_url}/signing/_settings", json=values, timeout=5)
    answer.raise_for_status()
    return dict(answer.json())


def confirm(standins_url: str, tran_code: str, decision: str) -> str:
    """Click Approve or Reject on the stand-in's confirmation page."""
    answer = httpx.post(f"{standins_url}/signing/confirm/{tran_code}", data={"decision": decision}, timeout=5)
    answer.raise_for_status()
    return answer.text
