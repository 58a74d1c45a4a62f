"""What the notification stand-ins received (SMS, Zalo ZNS, e-mail), for people and scripts to read:
``GET /inbox?phone=84…`` or ``GET /inbox?email=…`` on the stand-ins' root, newest first.

Each gateway dedups on the sender's idempotency key (SMS ``REQID``, ZNS ``tracking_id``, e-mail
``Message-ID``), as the real ones are asked to: a message sent twice is in the inbox once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Received:
    channel: str  # sms | zalo | email
    to: str  # 84… or an e-mail address
    key: str  # REQID, tracking_id or Message-ID
    text: str
    subject: str = ""
    template: str = ""
    sender: str = ""  # brandname, OA, From
    received_at: float = field(default_factory=time.time)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["received_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.received_at))
        return found


class Inbox:
    """Thread-safe: the HTTP server's threads and the SMTP sink's loop all write here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Received] = []
        self._seen: dict[tuple[str, str], Received] = {}

    def add(self, item: Received) -> Received | None:
        """Keep a message; the one kept earlier (and nothing new) when its key was seen before."""
        with self._lock:
            earlier = self._seen.get((item.channel, item.key))
            if earlier is not None:
                return earlier
            self._seen[(item.channel, item.key)] = item
            self._items.append(item)
            return None

    def find(self, *, phone: str = "", email: str = "", limit: int = 200) -> list[Received]:
        """Newest first; everything when neither a phone nor an address is given."""
        with self._lock:
            items = list(self._items)
        if phone:
            items = [i for i in items if i.channel != "email" and i.to == phone]
        if email:
            items = [i for i in items if i.channel == "email" and i.to.lower() == email.lower()]
        return items[::-1][:limit]

    def count(self, channel: str = "") -> int:
        with self._lock:
            return sum(1 for i in self._items if not channel or i.channel == channel)
