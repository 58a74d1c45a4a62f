"""Agency identifiers. Plain Python, no Django import.

Decision 20/2020/QĐ-TTg: the electronic identifier (mã định danh điện tử) is at most 35
characters of dot-separated groups of 0-9 and A-Z, read left to right from the level-1 group
(a letter and two digits, e.g. H15 for the Đắk Lắk People's Committee): H15, H15.04,
H15.50.05.13. The old QCVN 102:2016 code has 13 characters read right to left:
000.00.00.H15.
"""

import re

MAX_LENGTH = 35
_ELECTRONIC = re.compile(r"[A-Z]\d{2}(?:\.[0-9A-Z]+)*")
_LEGACY = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")


def is_electronic_id(code: str) -> bool:
    return len(code) <= MAX_LENGTH and _ELECTRONIC.fullmatch(code) is not None


def is_legacy_code(code: str) -> bool:
    return _LEGACY.fullmatch(code) is not None


def level_one(code: str) -> str:
    """The level-1 group: the ministry or province the agency belongs to ("H15.04" → "H15")."""
    return code.split(".", 1)[0]
