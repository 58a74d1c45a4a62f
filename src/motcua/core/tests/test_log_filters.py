"""Log lines keep no personal ID, no phone number and no one-time link."""

from __future__ import annotations

from motcua.core.log_filters import mask


def test_ids_and_phone_numbers_are_masked_to_their_last_three_digits() -> None:
    line = mask("lookup 066090001234 by 0912345678, SMS to 84912345678, old card 123456789")
    assert "066090001234" not in line and line.count("234") == 1
    assert "0912345678" not in line and "84912345678" not in line and "123456789" not in line


def test_a_survey_links_token_is_masked() -> None:
    line = mask('"GET /khao-sat/Xy3_k-9aQwErTy12/ HTTP/1.1" 410')
    assert "Xy3_k" not in line and "/khao-sat/***/" in line
