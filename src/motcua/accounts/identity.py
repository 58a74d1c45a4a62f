"""Personal identification numbers and tax codes. Plain Python, no Django import.

The 12-digit personal ID (số định danh cá nhân, Law on Identity 2023 Art. 12) is
PPP G YY RRRRRR: PPP the province of birth registration (the 63 pre-2025 province codes;
numbers are lifelong, so the old codes stay valid after the 2025 merger), G century and sex
(0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, ...), YY the last two digits of the birth year.
"""

from __future__ import annotations

import re
from datetime import date

# The 63 province codes of Circular 07/2016/TT-BCA (001 Hà Nội … 096 Cà Mau).
PROVINCE_CODES = frozenset(
    f"{n:03d}"
    for n in (
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    )
)
_TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?")


class InvalidIdentifier(ValueError):
    """``reason`` is a stable key (length, province, century, tax_code) that callers translate."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def birth_year(personal_id: str) -> int:
    century = 1900 + 100 * (int(personal_id[3]) // 2)
    return century + int(personal_id[4:6])


def check_personal_id(personal_id: str, *, today: date | None = None) -> str:
    """Return the number if valid, else raise InvalidIdentifier saying what is wrong (in English)."""
    if not (len(personal_id) == 12 and personal_id.isascii() and personal_id.isdigit()):
        raise InvalidIdentifier("A personal identification number has exactly 12 digits.", "length")
    if personal_id[:3] not in PROVINCE_CODES:
        raise InvalidIdentifier("The first three digits are not a province code.", "province")
    year = birth_year(personal_id)
    if year > (today or date.today()).year:  # noqa: DTZ011 — a calendar year, the zone does not matter
        raise InvalidIdentifier("The century digit gives a birth year in the future.", "century")
    return personal_id


def check_tax_code(tax_code: str, *, today: date | None = None) -> str:
    """Organisations: a 10-digit tax code, or 10+3 for a branch. Since 07/2025 a 12-digit personal ID also serves."""
    if _TAX_CODE.fullmatch(tax_code):
        return tax_code
    if len(tax_code) == 12 and tax_code.isdigit():
        return check_personal_id(tax_code, today=today)
    raise InvalidIdentifier(
        "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch.", "tax_code"
    )


def check_applicant(kind: str, id_number: str, *, today: date | None = None) -> str:
    """An applicant's identifier: a tax code for an organisation, a personal ID for anyone else."""
    if kind == "organization":
        return check_tax_code(id_number, today=today)
    return check_personal_id(id_number, today=today)
