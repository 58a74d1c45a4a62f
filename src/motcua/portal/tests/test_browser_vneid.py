"""Logging in with VNeID in a real browser, through the stand-in provider, then submitting online."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.portal.tests.browser import PHONE, Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_citizen_logs_in_with_vneid_and_submits(
    browser: Any, live_server: Any, world: Any, standins: Any, tmp_path: Path, clean_throttle: None
) -> None:
    pdf = tmp_path / "giay.pdf"
    pdf.write_bytes(PDF)
    citizen = Session(browser, live_server.url)
    page = citizen.page
    page.goto("/thu-tuc/1.000956/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(lambda url: "/dang-nhap/?next=" in url)
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    # The stand-in's own page, labelled as one; the citizen picks herself.
    page.wait_for_url(lambda url: url.startswith(standins.url))
    expect(page.get_by_text("Máy chủ giả lập (stand-in)")).to_be_visible()
    citizen.shot("vneid-01-standin-desktop")
    page.get_by_role("button", name=re.compile("H'Hen Niê — 066195012345")).click()

    # Back on the submission form, logged in as the account createuser made, the name already there.
    page.wait_for_url("**/nop-truc-tuyen/")
    assert page.get_by_label(re.compile("^Họ và tên")).input_value() == "H'Hen Niê"
    assert page.get_by_label(re.compile("^Số định danh")).input_value() == "066195012345"
    citizen.shot("vneid-02-form-desktop")
    page.get_by_label(re.compile("^Số điện thoại")).fill("0905123456")
    page.get_by_label(re.compile("^Giấy đề nghị")).set_input_files(str(pdf))
    page.get_by_label(re.compile("^Điều lệ công ty")).set_input_files(str(pdf))
    page.get_by_role("button", name="Tiếp tục để xem lại").click()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Hồ sơ của bạn đã được nộp")).to_be_visible()

    dossier = Dossier.objects.get()
    assert dossier.applicant_user == world.citizen
    assert dossier.vneid_verified is True
    assert citizen.problems == []


def test_the_vneid_pages_fit_a_phone(browser: Any, live_server: Any, db: Any, standins: Any) -> None:
    phone = Session(browser, live_server.url, viewport=PHONE)
    phone.page.goto("/dang-nhap/")
    expect(phone.page.get_by_role("link", name="Đăng nhập bằng VNeID")).to_be_visible()
    assert phone.fits()
    phone.shot("vneid-03-login-phone")
    phone.page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    phone.page.wait_for_url(lambda url: url.startswith(standins.url))
    assert phone.fits()
    phone.shot("vneid-04-standin-phone")
    phone.page.get_by_role("button", name="Hủy đăng nhập").click()
    phone.page.wait_for_url(lambda url: "/dang-nhap/" in url and url.startswith(live_server.url))
    expect(phone.page.get_by_text("Bạn đã hủy đăng nhập VNeID.")).to_be_visible()
    expect(phone.page.get_by_label("Tên đăng nhập")).to_be_visible()  # still logged out
    assert phone.page.get_by_role("button", name="Đăng xuất").count() == 0
