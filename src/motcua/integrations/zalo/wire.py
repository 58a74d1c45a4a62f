"""ZNS ``POST /message/template`` (integrations.md §6.2): body and reply.

The reply's ``error`` is 0 on success. Zalo's full list is not public ([U]); the codes we read as
"try later" are in ``RETRYABLE`` (the day's quota); every other non-zero code is a refusal.
"""

from __future__ import annotations

import json
from typing import Any

from motcua.integrations.zalo.ports import Zns

PATH = "/message/template"
QUOTA_EXCEEDED = -1141
RETRYABLE = frozenset({QUOTA_EXCEEDED})


class WireError(ValueError):
    """Not a ZNS reply."""


def request(message: Zns) -> dict[str, Any]:
    return {
        "phone": message.to,
        "template_id": message.template_id,
        "template_data": dict(message.data),
        "tracking_id": message.key,
    }


def parse_reply(body: bytes) -> tuple[int, str, str]:
    """(error, message, msg_id)."""
    try:
        reply = json.loads(body)
        data = reply.get("data") or {}
        return int(reply["error"]), str(reply.get("message", "")), str(data.get("msg_id", ""))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WireError("not a ZNS reply") from exc
