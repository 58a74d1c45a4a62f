"""Playwright driving Debian's Chromium, shared by the browser tests of both sides.

Playwright cannot download its own browser here, so the tests use /usr/bin/chromium and fail
(not skip) when it is missing: a silent skip would hide a broken CI image.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the fixtures still use the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module", name="browser")
def chromium() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) "
            "to run the browser tests.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Session:
    """One person's browser: their own cookies, and every CSP violation or page error recorded."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def login(self, username: str, password: str, *, staff: bool = False) -> None:
        self.page.goto("/can-bo/dang-nhap/" if staff else "/dang-nhap/")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập", exact=True).click()
        self.page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def fits(self) -> bool:
        """Nothing sticks out sideways (the 360 px check)."""
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems
