import pytest

from motcua.agencies.codes import is_electronic_id, is_legacy_code, level_one


@pytest.mark.parametrize("code", ["H15", "H15.04", "H15.50.05.13", "G09", "H55.242", "K57", "H15.A1"])
def test_electronic_ids(code: str) -> None:
    assert is_electronic_id(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "h15",
        "H1",
        "H153",
        "15",
        "H15.",
        "H15..04",
        ".H15",
        "H15-04",
        "H15.04 ",
        "H15.ab",
        "000.00.00.H15",
        "H15." + "1" * 32,
    ],
)
def test_not_electronic_ids(code: str) -> None:
    assert not is_electronic_id(code)


def test_legacy_codes_and_levels() -> None:
    assert is_legacy_code("000.00.00.H15")
    assert not is_legacy_code("000.00.0.H15")
    assert level_one("H15.50.05.13") == "H15"
