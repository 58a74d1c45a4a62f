"""A ZNS message in our own words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Zns:
    """One approved template to one phone (``84…``); ``key`` goes as ``tracking_id``, which Zalo
    echoes and we ask it to send once."""

    to: str
    template_id: str
    data: Mapping[str, str]
    key: str


class ZnsSender(Protocol):
    """Raises ``transport.Unavailable`` (down, or the day's quota used up: try later) or
    ``transport.Rejected`` (token, template, parameters, number)."""

    def send(self, message: Zns) -> str: ...  # Zalo's msg_id
