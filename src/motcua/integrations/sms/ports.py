"""An SMS from a registered brandname template, in our own words (no wire names, no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sms:
    """One text to one mobile number (``84…``): a template the gateway knows and its parameters in
    order. ``key`` is the idempotency key: the gateway sends a key it has seen once only."""

    to: str
    template_id: str
    params: tuple[str, ...]
    key: str


class SmsGateway(Protocol):
    """Raises ``transport.Unavailable`` (down, busy: try later) or ``transport.Rejected`` (the
    gateway refuses this message: credentials, template, parameters, number)."""

    def send(self, message: Sms) -> None: ...
