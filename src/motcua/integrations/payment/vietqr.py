"""VietQR (NAPAS's EMVCo merchant-presented QR, spec v1.5.2) for a bank transfer. Plain Python.

Each item is TLV: a two-digit id, a two-digit length, the value. Tag 63 is CRC16-CCITT (polynomial
0x1021, initial 0xFFFF) over the whole payload including the text ``6304`` (integrations.md §4.4).
"""

from __future__ import annotations

import re

GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"tag {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(data: str) -> str:
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def clean(text: str, limit: int) -> str:
    """Bank apps show tag 62 as typed: ASCII letters, digits and spaces only."""
    return re.sub(r"[^A-Za-z0-9 ]", "", text)[:limit].strip()


def payload(
    *,
    bank_bin: str,
    account: str,
    amount: int | None,
    purpose: str,
    bill_number: str = "",
    service: str = TO_ACCOUNT,
) -> str:
    """The QR's text: static without an amount, dynamic with one; ``purpose`` goes in 62/08."""
    if not (bank_bin.isdigit() and len(bank_bin) == 6):
        raise ValueError("the bank BIN is 6 digits")
    if not account or not account.isalnum():
        raise ValueError("the account number is letters and digits")
    if amount is not None and amount <= 0:
        raise ValueError("the amount must be positive")
    beneficiary = tlv("00", GUID) + tlv("01", tlv("00", bank_bin) + tlv("01", account)) + tlv("02", service)
    extra = (tlv("01", bill_number) if bill_number else "") + (tlv("08", purpose) if purpose else "")
    body = (
        tlv("00", "01")
        + tlv("01", "12" if amount is not None else "11")
        + tlv("38", beneficiary)
        + tlv("53", "704")
        + (tlv("54", str(amount)) if amount is not None else "")
        + tlv("58", "VN")
        + (tlv("62", extra) if extra else "")
        + "6304"
    )
    return body + crc16(body)


def parse(text: str) -> dict[str, str]:
    """The top-level items of a payload, after checking its CRC (ValueError otherwise)."""
    if len(text) < 8 or text[-8:-4] != "6304" or crc16(text[:-4]) != text[-4:].upper():
        raise ValueError("bad CRC")
    items: dict[str, str] = {}
    i = 0
    while i < len(text):
        tag, size = text[i : i + 2], int(text[i + 2 : i + 4])
        items[tag] = text[i + 4 : i + 4 + size]
        i += 4 + size
    return items
