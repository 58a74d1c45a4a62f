from __future__ import annotations

import pytest

from motcua.notifications import addresses


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "0912 345 678", "+84912345678", "84912345678", "+84 91 234 5678", "(091) 234-5678"],
)
def test_mobile_numbers_become_84(raw: str) -> None:
    assert addresses.mobile(raw) == "84912345678"


def test_new_prefixes_are_mobiles_too() -> None:
    assert addresses.mobile("0321234567") == "84321234567"
    assert addresses.mobile("0862345678") == "84862345678"


@pytest.mark.parametrize("raw", ["", "  ", "12345", "0123456789", "02433334444", "+14155552671", "abc"])
def test_unusable_numbers_are_none(raw: str) -> None:
    assert addresses.mobile(raw) is None


def test_email() -> None:
    assert addresses.email(" an@example.vn ") == "an@example.vn"
    assert addresses.email("an@") is None
    assert addresses.email("") is None


def test_mask() -> None:
    assert addresses.mask("84912345678") == "84******678"
    assert addresses.mask("nguyen.an@example.com") == "n***@example.com"
    assert addresses.mask("123") == "***"
    assert addresses.mask("024 3333 4444") == "02******444"
