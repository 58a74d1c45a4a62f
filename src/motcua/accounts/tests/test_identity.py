from datetime import date

import pytest

from motcua.accounts.identity import InvalidIdentifier, birth_year, check_personal_id, check_tax_code


@pytest.mark.parametrize(
    ("number", "year"),
    [("087084000999", 1984), ("066195012345", 1995), ("001305000001", 2005), ("079200000001", 2000)],
)
def test_valid_personal_ids(number: str, year: int) -> None:
    assert check_personal_id(number, today=date(2026, 11, 23)) == number
    assert birth_year(number) == year


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("08708400099", "12 digits"),
        ("0870840009999", "12 digits"),
        ("08708400099a", "12 digits"),
        ("０８７０８４０００９９９", "12 digits"),  # full-width digits are not ASCII digits
        ("003084000999", "province"),  # 003 is not a province code
        ("097084000999", "province"),
        ("087484000999", "future"),  # century digit 4 = born 2184
        ("087230000999", "future"),  # 2030
    ],
)
def test_invalid_personal_ids(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        check_personal_id(number, today=date(2026, 11, 23))


def test_tax_codes() -> None:
    assert check_tax_code("6000123456") == "6000123456"
    assert check_tax_code("6000123456-001") == "6000123456-001"
    assert check_tax_code("066195012345") == "066195012345"
    for bad in ("600012345", "6000123456-01", "ABCDEFGHIJ", "003195012345"):
        with pytest.raises(InvalidIdentifier):
            check_tax_code(bad)
