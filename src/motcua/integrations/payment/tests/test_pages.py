"""The payment pages: the citizen's checkout and return page, the desk's panel, the look-up's receipt."""

from __future__ import annotations

import re
from typing import Any

import pytest

from motcua.agencies.models import CollectingAccount
from motcua.dossiers.models import Dossier, Payment
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, logged_in
from motcua.dossiers.tests.test_lifecycle import act
from motcua.integrations.payment.tests.test_payments import (
    awaiting,
    pay_at_counter,
    pay_on_standin,
    post_confirm,
)


@pytest.mark.django_db
def test_the_citizen_sees_both_channels_and_pays_by_vietqr(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    citizen = logged_in(world.citizen)
    page = citizen.get(f"/ho-so/{dossier_id}/").content.decode()
    assert f"/ho-so/{dossier_id}/thanh-toan/{payment_id}/" in page
    assert 'value="national_portal"' in page and 'value="vietqr"' in page
    qr = citizen.post(f"/ho-so/{dossier_id}/thanh-toan/{payment_id}/", {"channel": "vietqr"})
    assert qr.status_code == 200
    text = qr.content.decode()
    reference = Payment.objects.get(pk=payment_id).reference
    assert reference in text and "113000006100" in text and f"/payments/{payment_id}/qr.svg" in text
    assert citizen.get(f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/qr.svg").status_code == 200


@pytest.mark.django_db
def test_the_citizen_is_sent_to_the_platform_and_back(
    world: World,
    bank: CollectingAccount,
    standins: Any,
    client: Any,
) -> None:
    dossier_id, payment_id = awaiting(world)
    citizen = logged_in(world.citizen)
    sent = citizen.post(f"/ho-so/{dossier_id}/thanh-toan/{payment_id}/", {"channel": "national_portal"})
    # A page that links (and refreshes) to the platform: a 302 after the form's POST would break its CSP.
    assert sent.status_code == 200
    link = re.search(r'href="([^"]+)">Đi tới trang thanh toán', sent.content.decode())
    assert link is not None and link.group(1).startswith(f"{standins.url}/payment/checkout/")
    reference = Payment.objects.get(pk=payment_id).reference
    done = pay_on_standin(standins.url, reference)
    assert done["redirect_url"].startswith("http://127.0.0.1:9/thanh-toan/ket-qua?data=")
    back = "/thanh-toan/ket-qua?" + done["redirect_url"].split("?", 1)[1]
    waiting = citizen.get(back).content.decode()
    assert "Đang xác nhận thanh toán" in waiting
    assert post_confirm(client, done["confirm"]).status_code == 200
    paid = citizen.get(back).content.decode()
    assert f"/payments/{payment_id}/receipt" in paid
    assert logged_in(world.other_citizen).get(back).status_code == 404


@pytest.mark.django_db
def test_the_platform_page_is_down_the_citizen_is_told(
    world: World,
    bank: CollectingAccount,
    standins: Any,
    settings: Any,
) -> None:
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    dossier_id, payment_id = awaiting(world)
    standins.fault("payment", "error")
    citizen = logged_in(world.citizen)
    sent = citizen.post(
        f"/ho-so/{dossier_id}/thanh-toan/{payment_id}/", {"channel": "national_portal"}, follow=True
    )
    assert sent.status_code == 200 and Payment.objects.get(pk=payment_id).status == "pending"
    assert Dossier.objects.get(pk=dossier_id).status == "awaiting_payment"


@pytest.mark.django_db
def test_the_desk_sees_the_order_copies_the_link_and_confirms_a_transfer(
    world: World,
    bank: CollectingAccount,
) -> None:
    dossier_id, payment_id = awaiting(world)
    desk = logged_in(world.specialist)
    page = desk.get(f"/can-bo/ho-so/{dossier_id}/").content.decode()
    assert f"/ho-so/{dossier_id}/#thanh-toan" in page
    assert f"/can-bo/ho-so/{dossier_id}/thanh-toan/{payment_id}/chuyen-khoan/" in page
    done = desk.post(
        f"/can-bo/ho-so/{dossier_id}/thanh-toan/{payment_id}/chuyen-khoan/", {"transaction_id": "FT9"}
    )
    assert done.status_code == 302
    payment = Payment.objects.get(pk=payment_id)
    assert (payment.status, payment.channel, payment.transaction_id) == ("paid", "vietqr", "FT9")
    citizen_try = logged_in(world.citizen).post(
        f"/can-bo/ho-so/{dossier_id}/thanh-toan/{payment_id}/chuyen-khoan/"
    )
    assert citizen_try.status_code in (302, 403, 404)
    assert Payment.objects.filter(pk=payment_id, transaction_id="FT9").exists()


@pytest.mark.django_db
def test_the_public_lookup_offers_the_receipt(
    world: World, bank: CollectingAccount, clean_throttle: Any, client: Any
) -> None:
    dossier_id, payment_id = pay_at_counter(world)
    code = Dossier.objects.get(pk=dossier_id).code
    found = client.post("/tra-cuu/", {"code": code, "id_number": CITIZEN_ID}).content.decode()
    assert 'name="payment_id"' in found and "/tra-cuu/bien-lai/" in found
    pdf = client.post("/tra-cuu/bien-lai/", {"code": code, "id_number": CITIZEN_ID, "payment_id": payment_id})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    wrong = client.post(
        "/tra-cuu/bien-lai/", {"code": code, "id_number": "079200000001", "payment_id": payment_id}
    )
    assert wrong.status_code == 404


@pytest.mark.django_db
def test_the_desk_uploads_a_bank_statement(world: World, bank: CollectingAccount) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier_id, payment_id = awaiting(world)
    logged_in(world.citizen).post(f"/ho-so/{dossier_id}/thanh-toan/{payment_id}/", {"channel": "vietqr"})
    reference = Payment.objects.get(pk=payment_id).reference
    csv = f"amount,description,transaction_id\n50000,CK {reference},FT5\n1,rac,FT6\n".encode()
    # Another agency's desk cannot see the dossier: its upload settles nothing.
    other = logged_in(world.commune_receiver).post(
        "/can-bo/thanh-toan/sao-ke/", {"file": SimpleUploadedFile("s.csv", csv, "text/csv")}
    )
    assert other.status_code == 200 and Payment.objects.get(pk=payment_id).status == "pending"
    assert logged_in(world.specialist).get("/can-bo/thanh-toan/sao-ke/").status_code == 403
    broken = logged_in(world.leader).post(
        "/can-bo/thanh-toan/sao-ke/", {"file": SimpleUploadedFile("s.xlsx", b"not a workbook")}
    )
    assert broken.status_code == 400
    done = logged_in(world.leader).post(
        "/can-bo/thanh-toan/sao-ke/", {"file": SimpleUploadedFile("s.csv", csv, "text/csv")}
    )
    assert done.status_code == 200 and reference in done.content.decode()
    payment = Payment.objects.get(pk=payment_id)
    assert (payment.status, payment.channel, payment.transaction_id) == ("paid", "vietqr", "FT5")


@pytest.mark.django_db
def test_the_desk_sends_the_payment_request_again_through_the_outbox(
    world: World, bank: CollectingAccount, standins: Any
) -> None:
    from motcua.outbox.models import OutboxMessage

    dossier_id, _payment_id = awaiting(world)  # its applicant gave no phone or e-mail: nothing was sent
    asked = OutboxMessage.objects.filter(dossier_id=dossier_id, event="payment_requested")
    assert not asked.exists()
    desk = logged_in(world.specialist)
    nothing = desk.post(f"/can-bo/ho-so/{dossier_id}/thanh-toan/gui-lai/", follow=True).content.decode()
    assert "Không có nơi để gửi" in nothing
    Dossier.objects.filter(pk=dossier_id).update(
        applicant_phone="0912345678", applicant_email="an@example.vn"
    )
    first: set[str] = set()
    assert "Gửi lại yêu cầu thanh toán" in desk.get(f"/can-bo/ho-so/{dossier_id}/").content.decode()
    done = desk.post(f"/can-bo/ho-so/{dossier_id}/thanh-toan/gui-lai/", follow=True)
    assert "Đã gửi lại yêu cầu thanh toán (3 tin)" in done.content.decode()
    again = set(asked.values_list("key", flat=True)) - first
    assert len(again) == 3 and all(":again:" in k for k in again)  # new keys: the gateways take them
    # A stranger's desk may not; after payment there is nothing to resend.
    assert (
        logged_in(world.other_specialist).post(f"/can-bo/ho-so/{dossier_id}/thanh-toan/gui-lai/").status_code
        == 404
    )
    act(
        world.client(world.specialist), dossier_id, "pay", amount_vnd=50000, method="counter", reference="BL1"
    )
    refused = desk.post(f"/can-bo/ho-so/{dossier_id}/thanh-toan/gui-lai/", follow=True).content.decode()
    assert "Hồ sơ không có khoản nào đang chờ thanh toán." in refused
