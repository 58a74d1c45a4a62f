"""Every page works from this host alone: a province's network may reach no CDN, and the CSP allows
none (defect 7: the API docs were blank, Swagger UI being loaded from a CDN the CSP blocked)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from motcua.conftest import _fast_and_tidy, clean_throttle, world  # noqa: F401 — the page tests' fixtures
from motcua.dossiers.tests.conftest import PASSWORD, applicant  # noqa: F401
from motcua.portal.tests.browser import Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("world", "clean_throttle"),  # the small province of the dossier tests
]


class Recorder:
    """Every request a browser context makes, page loads, scripts, styles, images, fetches."""

    def __init__(self, session: Session) -> None:
        self.urls: list[str] = []
        session.context.on("request", lambda request: self.urls.append(request.url))

    def elsewhere(self, base_url: str) -> list[str]:
        ours = urlsplit(base_url).netloc
        return [
            u for u in self.urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != ours
        ]


def test_api_docs_render_the_operations_under_the_csp(browser: Any, live_server: Any) -> None:
    visitor = Session(browser, live_server.url)
    requests = Recorder(visitor)
    visitor.page.goto("/api/v1/docs")
    expect(visitor.page.get_by_text("/api/v1/dossiers", exact=True).first).to_be_visible()
    expect(visitor.page.get_by_text("/api/v1/procedures/{code}", exact=True).first).to_be_visible()
    visitor.page.get_by_text("/api/v1/procedures/{code}", exact=True).first.click()  # open one operation
    expect(visitor.page.get_by_text("implementing_agency_codes").first).to_be_visible()
    visitor.shot("30-api-docs-desktop")
    assert requests.elsewhere(live_server.url) == []
    visitor.close()  # asserts that the page raised no CSP violation and no script error


def test_no_page_loads_anything_from_another_host(browser: Any, live_server: Any) -> None:
    pages: dict[str, list[str]] = {
        "": ["/", "/thu-tuc/1.000956/", "/tra-cuu/", "/dang-nhap/", "/can-bo/dang-nhap/", "/api/v1/docs"],
        "tiepnhan": ["/can-bo/"],
        "gs": ["/dieu-hanh/"],
        "qt": [
            "/admin/",
            "/admin/catalog/procedure/",
            "/admin/catalog/procedureversion/add/",
            "/admin/catalog/procedure/import/",
            "/admin/agencies/agency/",
        ],
    }
    for username, urls in pages.items():
        session = Session(browser, live_server.url)
        requests = Recorder(session)
        if username:
            session.login(username, PASSWORD, staff=True)
        for url in urls:
            response = session.page.goto(url)
            assert response is not None and response.status == 200, url
            session.page.wait_for_load_state("networkidle")
        assert requests.elsewhere(live_server.url) == [], username or "anonymous"
        assert len(requests.urls) > len(urls)  # the pages' own scripts and styles were recorded too
        session.close()
