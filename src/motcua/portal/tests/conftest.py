"""The small province of the dossier tests, a throwaway media folder, fast password hashing, and a
clean throttle."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.tests.conftest import PASSWORD, World, applicant, world  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_and_tidy(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clean_throttle(db: Any) -> None:
    from django.core.cache import cache

    cache.clear()
