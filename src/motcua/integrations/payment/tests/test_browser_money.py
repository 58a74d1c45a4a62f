"""Issue 12's "done when", in a real browser against the stand-ins: a citizen pays one fee through the
national payment platform's stand-in and another by VietQR (the desk confirms the transfer), gets the
e-receipts, and reads in the stand-ins' inbox the SMS and e-mail for the receipt of the dossier, the
supplement asked, the payment asked and the result."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.agencies.models import Agency, CollectingAccount
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier, Payment
from motcua.dossiers.tests.conftest import CITIZEN_ID, PASSWORD, World
from motcua.dossiers.tests.test_lifecycle import act
from motcua.outbox import delivery
from motcua.portal.tests.browser import PHONE, Session, chromium  # noqa: F401 — the "browser" fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE, NUMBER, MAIL = "0912345678", "84912345678", "hhen@example.vn"


def ask_to_pay(world: World, dossier_id: int, amount: int) -> int:
    asked = act(world.client(world.specialist), dossier_id, "request_payment", amount_vnd=amount)
    return int(asked["payments"][-1]["id"])


def test_a_citizen_pays_online_and_by_vietqr_and_is_told_at_every_step(
    browser: Any, live_server: Any, world: World, standins: Any, settings: Any, clean_throttle: None
) -> None:
    settings.MOTCUA_PUBLIC_URL = live_server.url  # where the platform's stand-in sends its CONFIRM
    CollectingAccount.objects.create(
        agency=Agency.objects.get(code="H15"),
        bank_bin="970415",
        bank_name="VietinBank",
        account_number="113000006100",
        account_name="Kho bạc Nhà nước tỉnh Đắk Lắk",
        tax_code="6000123456",
    )
    dossier, _new = services.create_dossier(
        actor=world.citizen,
        procedure_code="1.000956",
        channel="online",
        applicant=commands.Applicant(
            kind="individual", full_name="H'Hen Niê", id_number=CITIZEN_ID, phone=MOBILE, email=MAIL
        ),
        documents=[commands.DocumentIn("GDN", "Giấy đề nghị"), commands.DocumentIn("DL", "Điều lệ")],
    )
    desk, specialist = world.client(world.receiver), world.client(world.specialist)
    act(desk, dossier.pk, "receive")
    act(desk, dossier.pk, "forward")
    act(specialist, dossier.pk, "request_supplement", items=["Bản sao"], reason="Thiếu bản sao")
    act(desk, dossier.pk, "supplement", documents=[{"code": "BS", "name": "Bản sao"}])
    first = ask_to_pay(world, dossier.pk, 50_000)

    citizen = Session(browser, live_server.url, viewport=PHONE)
    citizen.login("cd", PASSWORD)
    page = citizen.page

    # 1. Online, through the national payment platform's stand-in and back.
    page.goto(f"/ho-so/{dossier.pk}/")
    page.get_by_role("button", name="Thanh toán trực tuyến").first.click()
    page.wait_for_url(lambda url: url.startswith(standins.url))
    expect(page.get_by_text("Máy chủ giả lập (stand-in)")).to_be_visible()
    citizen.shot("pay-01-platform-checkout-phone")
    page.get_by_role("button", name="Thành công").click()
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    for _ in range(20):  # the CONFIRM may land a moment after the browser is back
        if Payment.objects.get(pk=first).status == "paid":
            break
        page.wait_for_timeout(250)
    page.reload()
    expect(page.get_by_role("heading", name="Đã nhận thanh toán")).to_be_visible()
    citizen.shot("pay-02-paid-phone")
    receipt = page.request.get(f"/api/v1/dossiers/{dossier.pk}/payments/{first}/receipt")
    assert receipt.ok and receipt.body().startswith(b"%PDF")
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"

    # 2. By bank transfer with VietQR: the QR, then the desk sees the transfer and confirms it.
    second = ask_to_pay(world, dossier.pk, 20_000)
    page.goto(f"/ho-so/{dossier.pk}/")
    page.get_by_role("button", name=re.compile("VietQR")).click()
    qr = page.get_by_role("img", name="Mã VietQR")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img[src*=\"qr.svg\"]').naturalWidth") > 0
    reference = Payment.objects.get(pk=second).reference
    expect(page.get_by_text(reference).first).to_be_visible()
    citizen.shot("pay-03-vietqr-phone")
    officer = Session(browser, live_server.url)
    officer.login("cv", PASSWORD, staff=True)
    officer.page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    officer.page.get_by_label("Số giao dịch ngân hàng (không bắt buộc)").fill("FT26335")
    officer.page.get_by_role("button", name="Xác nhận đã nhận chuyển khoản").click()
    expect(officer.page.get_by_text("Đã xác nhận chuyển khoản")).to_be_visible()
    officer.shot("pay-04-desk-confirmed")
    assert Payment.objects.get(pk=second).status == "paid"
    page.goto(f"/ho-so/{dossier.pk}/")
    expect(page.get_by_role("link", name="Tải biên lai điện tử (PDF)")).to_have_count(2)

    # 3. The result, then everything the worker delivers reaches the inbox.
    act(specialist, dossier.pk, "forward", step="Phê duyệt")
    act(world.client(world.leader), dossier.pk, "resolve", outcome="approved", note="Đồng ý")
    delivery.drain()
    page.goto(f"{standins.url}/inbox?phone={NUMBER}")
    expect(page.get_by_text("Máy chủ giả lập (stand-in)")).to_be_visible()
    text = page.inner_text("body")
    citizen.shot("pay-05-inbox-phone")
    code = Dossier.objects.get(pk=dossier.pk).code
    sms = [line for line in text.splitlines() if code in line]
    assert sms, text[:2000]
    for what in ("da duoc tiep nhan", "bo sung", "phi, le phi", "co ket qua"):
        assert any(what in line.lower() for line in sms), (what, sms)
    page.goto(f"{standins.url}/inbox?email={MAIL}")
    mail = page.inner_text("body")
    for subject in ("tiếp nhận", "bổ sung", "nộp phí", "kết quả"):
        assert subject in mail.lower(), (subject, mail[:2000])
    officer.close()
    citizen.close()
