"""Where a notification goes: a mobile number as the gateways want it (``84…``), an e-mail address;
and the same, masked, for the lists that show them (``84*****678``, ``n***@example.com``)."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def mobile(raw: str) -> str | None:
    """``0912 345 678``, ``+84912345678``, ``84-912-345-678`` → ``84912345678``; None when it is not
    a Vietnamese mobile number (a landline cannot take SMS or Zalo)."""
    raw = raw.strip()
    if not raw:
        return None
    if raw.startswith("84") and not raw.startswith("+"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _MOBILE:
        return None
    return f"84{number.national_number}"


def email(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        validate_email(raw)
    except ValidationError:
        return None
    return raw


def mask(to: str) -> str:
    """Enough to recognise one's own number or address, not enough to learn someone else's."""
    if "@" in to:
        name, _sep, domain = to.rpartition("@")
        return f"{name[:1]}***@{domain}"
    to = "".join(c for c in to if c.isdigit())  # a number as typed: "024 3333 4444"
    if len(to) <= 5:
        return "*" * len(to)
    return f"{to[:2]}{'*' * (len(to) - 5)}{to[-3:]}"
