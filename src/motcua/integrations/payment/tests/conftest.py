"""The demo province's collecting account, for the payment tests."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.agencies.models import Agency, CollectingAccount
from motcua.dossiers.tests.conftest import World


@pytest.fixture
def bank(world: World, settings: Any) -> CollectingAccount:
    # The stand-in posts its CONFIRM to the app's public address; nothing listens on port 9, so the tests
    # hand the CONFIRM the stand-in made to the app themselves (and one test uses a live server).
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:9"
    return CollectingAccount.objects.create(
        agency=Agency.objects.get(code="H15"),
        bank_bin="970415",
        bank_name="VietinBank",
        account_number="113000006100",
        account_name="Kho bạc Nhà nước tỉnh Đắk Lắk",
        tax_code="6000123456",
    )
