"""What a population-registry look-up asks and answers, in our own words (no wire names, no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from motcua.accounts import identity


def check_id_number(value: str) -> str:
    """A 12-digit personal ID, or the 9-digit ID card (CMND) of before 2016; raises
    ``identity.InvalidIdentifier`` for anything else."""
    value = value.strip()
    if len(value) == 9 and value.isascii() and value.isdigit():
        return value
    return identity.check_personal_id(value)


@dataclass(frozen=True)
class CitizenQuery:
    """Who to look up: a personal ID (12 digits) or an old ID card number (9 digits), the full name
    as the citizen gives it, and the birth date or, when only that is known, the birth year."""

    id_number: str
    full_name: str
    birth_date: date | None = None
    birth_year: int | None = None

    def __post_init__(self) -> None:
        if self.birth_date is None and self.birth_year is None:
            raise ValueError("a birth date or a birth year is needed")

    @property
    def is_old_id(self) -> bool:
        """A 9-digit number is the old ID card (CMND), sent in its own field."""
        return len(self.id_number) == 9


@dataclass(frozen=True)
class Address:
    """A post-2025 two-level address: province and commune codes, and the rest as written."""

    province_code: str = ""
    district_code: str = ""  # empty since 01/07/2025; kept when the registry still sends one
    commune_code: str = ""
    detail: str = ""
    country: str = ""

    @property
    def text(self) -> str:
        return self.detail

    def as_dict(self) -> dict[str, str]:
        return {
            "province_code": self.province_code,
            "district_code": self.district_code,
            "commune_code": self.commune_code,
            "detail": self.detail,
            "country": self.country,
        }


@dataclass(frozen=True)
class CitizenRecord:
    """What the registry holds about one citizen (the fields MotCua uses)."""

    id_number: str
    old_id_number: str
    full_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str  # the registry's code, as sent
    ethnicity: str
    nationality: str
    permanent_address: Address
    current_address: Address

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, to keep with the audit row and fill a dossier later."""
        return {
            "id_number": self.id_number,
            "old_id_number": self.old_id_number,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "birth_year": self.birth_year,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "nationality": self.nationality,
            "permanent_address": self.permanent_address.as_dict(),
            "current_address": self.current_address.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CitizenRecord:
        born = data.get("birth_date")
        return cls(
            id_number=data.get("id_number", ""),
            old_id_number=data.get("old_id_number", ""),
            full_name=data.get("full_name", ""),
            birth_date=date.fromisoformat(born) if born else None,
            birth_year=data.get("birth_year"),
            sex=data.get("sex", ""),
            ethnicity=data.get("ethnicity", ""),
            nationality=data.get("nationality", ""),
            permanent_address=Address(**data.get("permanent_address", {})),
            current_address=Address(**data.get("current_address", {})),
        )


class PopulationRegistry(Protocol):
    """The population database, as MotCua sees it. ``None``: no citizen matches the query.

    Raises ``transport.Unavailable`` (down, slow, a broken answer: try later) or ``transport.Rejected``
    (credentials, quota: retrying will not help)."""

    def lookup(
        self, query: CitizenQuery, *, request_id: str, officer_code: str, service_code: str = ""
    ) -> CitizenRecord | None: ...
