"""Remote signing of results, in our own words (no wire names, no Django).

A ``RemoteSigner`` signs a PDF for an officer: ``certificates`` lists the officer's certificates,
``request_signature`` prepares the PDF and asks the service to sign (the officer then confirms in
the CA's app), ``poll`` tells how the request stands and, once signed, hands back the signed PDF.
A ``SignatureVerifier`` checks the signatures of a PDF against explicit trust roots.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class TxState(StrEnum):
    PENDING = "pending"
    SIGNED = "signed"
    REJECTED = "rejected"
    EXPIRED = "expired"


@dataclass(frozen=True)
class SignerCert:
    """One of an officer's signing certificates: DER, with its chain (issuer first, root last)."""

    user_id: str
    serial_number: str
    cert_der: bytes
    chain_der: tuple[bytes, ...] = ()
    subject: str = ""


@dataclass(frozen=True)
class Appearance:
    """What the signature says about itself: why, where, and the dossier it signs the result of."""

    reason: str
    location: str = ""
    dossier_code: str = ""


@dataclass(frozen=True)
class Prepared:
    """A PDF prepared for signing: the bytes with the signature placeholder, where the placeholder is,
    the document digest and the CMS signed attributes whose hash the service signs."""

    pdf: bytes
    document_digest: bytes
    region_start: int
    region_end: int
    signed_attrs_der: bytes


@dataclass(frozen=True)
class SigningTx:
    """A signing request at the service. ``signed_pdf`` only when ``state`` is signed."""

    id: str
    state: TxState
    cert: SignerCert
    prepared: Prepared
    message: str = ""
    signed_pdf: bytes | None = field(default=None, repr=False)

    def moved(self, state: TxState, *, message: str = "", signed_pdf: bytes | None = None) -> SigningTx:
        return replace(self, state=state, message=message, signed_pdf=signed_pdf)


@dataclass(frozen=True)
class SignatureReport:
    """One signature of a PDF, as checked: ``valid`` only when intact, trusted and covering the file."""

    valid: bool
    signer: str
    signed_at: datetime | None
    dossier_code: str
    problem: str = ""


class RemoteSigner(Protocol):
    def certificates(self, user_id: str, *, full_name: str = "") -> list[SignerCert]: ...

    def request_signature(self, pdf: bytes, cert: SignerCert, *, appearance: Appearance) -> SigningTx: ...

    def poll(self, tx: SigningTx) -> SigningTx: ...


class SignatureVerifier(Protocol):
    def verify(self, pdf: bytes) -> list[SignatureReport]: ...
