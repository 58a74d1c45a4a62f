"""The dossier code (mã hồ sơ), ``{receiving agency code}-{YYMMDD}-{serial}`` (domain.md §4.1). Plain
Python: its format and how to read one back."""

from __future__ import annotations

import re
from datetime import date

# 4-digit serials from provincial systems, 6–7 digits on dossiers from ministries' systems.
CODE = re.compile(r"^(?P<unit>.+)-(?P<date>\d{6})-(?P<seq>\d{4,7})$")


def format_code(agency_code: str, day: date, serial: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{serial:04d}"
