"""The national payment platform, in our words (integrations.md §4.1, §10.2 item 4). Plain Python.

``PaymentGateway`` is what the payment services use: start a payment and get the page to send the
payer to, read a confirmation (verified, or ``BadSignature``), ask where a payment stands, fetch the
platform's receipt. The wire names live in ``wire``; the HTTP in ``client``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class BadSignature(Exception):
    """A message that does not carry the platform's signature (MaXacThuc), or is not its wire format."""


class PaymentState(enum.Enum):
    PAID = "paid"  # TrangThaiGD 1
    PENDING = "pending"  # 3: the platform does not know yet
    FAILED = "failed"  # 4


@dataclass(frozen=True)
class Account:
    """Where the money goes: the agency's collecting account."""

    bank_bin: str
    number: str
    name: str


@dataclass(frozen=True)
class Line:
    name: str
    amount_vnd: int
    kind: str = "fee"  # fee (phí) or charge (lệ phí)


@dataclass(frozen=True)
class PaymentRequest:
    """One payment to start. ``initiated_at`` is signed and must be given again to query the payment."""

    reference: str  # MaThamChieu
    amount_vnd: int
    description: str  # ThongTinGiaoDich, without diacritics
    initiated_at: datetime
    client_ip: str
    confirm_url: str  # where the platform posts its confirmation
    return_url: str  # where it sends the payer's browser back
    dossier_code: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    account: Account
    payer_name: str
    payer_id_number: str
    payer_address: str
    lines: Sequence[Line] = field(default_factory=tuple)


@dataclass(frozen=True)
class PaymentInit:
    reference: str
    redirect_url: str


@dataclass(frozen=True)
class PaymentEvent:
    """A confirmation (or a query's answer), verified. ``succeeded`` is MaLoi "00"."""

    reference: str
    amount_vnd: int
    currency: str
    transaction_id: str  # MaGiaoDich
    bank_code: str
    time: str  # ThoiGianGD as sent
    error_code: str
    merchant: str

    @property
    def succeeded(self) -> bool:
        return self.error_code == "00"


@dataclass(frozen=True)
class PaymentStatus:
    state: PaymentState
    event: PaymentEvent | None  # the confirmation fields, when the platform gave them


class PaymentGateway(Protocol):
    def init(self, req: PaymentRequest) -> PaymentInit: ...

    def parse_confirm(self, body: Mapping[str, object]) -> PaymentEvent: ...

    def confirm_reply(self, *, error_code: str, message: str) -> dict[str, str]: ...

    def query(self, reference: str, initiated_at: datetime) -> PaymentStatus: ...

    def receipt_pdf(self, reference: str, initiated_at: datetime) -> bytes: ...
