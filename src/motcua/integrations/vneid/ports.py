"""What MotCua needs from a citizen identity provider, in its own words. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

AccountType = Literal["individual", "business", "organisation"]


@dataclass(frozen=True)
class CitizenClaims:
    """Who logged in, as the provider vouches for it."""

    subject: str
    account_type: AccountType
    id_number: str
    full_name: str
    birth_date: date | None = None
    tech_id: str = ""
    phone: str = ""
    email: str = ""
    permanent_address: str = ""
    current_address: str = ""
    assurance_level: int | None = None
    idp: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class LoginRequest:
    """One login in flight: what the browser carries to the provider and what we keep to check the return."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class LoginRefused(Exception):
    """The provider's answer does not prove who logged in (bad state, code, token or claims)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # a short machine code, safe to log: no personal data


class CitizenIdP(Protocol):
    def begin(self, *, redirect_uri: str) -> LoginRequest: ...

    def complete(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> CitizenClaims: ...
