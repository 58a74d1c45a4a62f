"""The dashboard's fees paid by channel in a browser, at 1280 px and at 390 px: the table is there and
readable, and nothing sticks out sideways. Screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers.tests.conftest import PASSWORD, World
from motcua.monitoring import rollup
from motcua.monitoring.tests.test_payment_channels import paid  # noqa: F401 — the "paid" fixture
from motcua.portal.tests.browser import DESKTOP, Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


def test_payment_by_channel_at_both_widths(browser: Any, live_server: Any, paid: World) -> None:  # noqa: F811
    rollup.update()
    for viewport, name in ((DESKTOP, "desktop"), (PHONE_390, "phone-390")):
        leader = Session(browser, live_server.url, viewport=viewport)
        leader.login(paid.supervisor.username, PASSWORD, staff=True)
        leader.page.goto("/dieu-hanh/")
        section = leader.page.locator("section[aria-labelledby='payments-title']")
        expect(section.get_by_role("heading", name="Thanh toán phí, lệ phí theo kênh")).to_be_visible()
        row = section.get_by_role("row").filter(has_text="Chuyển khoản (VietQR)")
        expect(row).to_contain_text("16,7%")
        # The figures are on the screen, not behind a sideways scroll of the table.
        box = row.get_by_role("cell", name="16,7%").bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"], (name, box)
        expect(section.get_by_role("row").filter(has_text="Cổng thanh toán của tỉnh")).to_contain_text(
            "trực tuyến theo Bộ chỉ số 766"
        )
        section.scroll_into_view_if_needed()
        assert leader.fits()
        leader.shot(f"44-dashboard-payments-{name}")
        leader.close()
