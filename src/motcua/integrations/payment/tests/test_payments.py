"""Payment orders end to end: the real adapter against the stand-ins process (its checkout, its signed
CONFIRM, QUERY and GET_BILL), the confirmation endpoint with every fault, reconciliation, VietQR,
receipts and who may do what."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from motcua.agencies.models import CollectingAccount
from motcua.calendar.selectors import get_calendar
from motcua.conftest import error_of
from motcua.dossiers.models import Dossier, DossierEvent, Payment
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, online_dossier
from motcua.integrations import registry
from motcua.integrations.payment import services, statements, vietqr, wire
from motcua.outbox.models import OutboxMessage

SECRET = "standin-payment-secret"


def act(client: Any, dossier_id: int, action: str, expect: int = 200, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/dossiers/{dossier_id}/actions", {"action": action, **body}, format="json"
    )
    assert response.status_code == expect, response.json()
    return response.json()


def awaiting(world: World, amount: int = 50000) -> tuple[int, int]:
    """An online dossier of the citizen, received, at the department, asked to pay; (dossier, order)."""
    dossier = online_dossier(world)
    desk = world.client(world.receiver)
    act(desk, dossier.pk, "receive")
    act(desk, dossier.pk, "forward")
    asked = act(
        world.client(world.specialist),
        dossier.pk,
        "request_payment",
        amount_vnd=amount,
        items=[
            {"name": "Phí thẩm định", "amount_vnd": amount - 20000, "kind": "fee"},
            {"name": "Lệ phí cấp giấy", "amount_vnd": 20000, "kind": "charge"},
        ],
    )
    assert asked["status"] == "awaiting_payment"
    return dossier.pk, asked["payments"][-1]["id"]


def checkout(
    world: World, dossier_id: int, payment_id: int, channel: str = "national_portal", **kw: Any
) -> Any:
    user = kw.pop("user", world.citizen)
    return world.client(user).post(
        f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/checkout", {"channel": channel}, format="json"
    )


def pay_on_standin(standins_url: str, reference: str, result: str = "success") -> dict[str, Any]:
    answer = httpx.post(f"{standins_url}/payment/_pay/{reference}", json={"result": result}, timeout=15)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def confirm_fault(standins_url: str, mode: str, **knobs: Any) -> None:
    httpx.post(
        f"{standins_url}/payment/_faults", json={"confirm": mode, **knobs}, timeout=5
    ).raise_for_status()


def post_confirm(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/integrations/payment/confirm", body, content_type="application/json")


def started(world: World, standins: Any) -> tuple[int, Payment]:
    dossier_id, payment_id = awaiting(world)
    response = checkout(world, dossier_id, payment_id)
    assert response.status_code == 200, response.json()
    assert response.json()["redirect_url"].startswith(f"{standins.url}/payment/checkout/DVC")
    return dossier_id, Payment.objects.get(pk=payment_id)


# --- the order ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_payment_makes_an_order_in_the_contract_shape(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    shown = world.client(world.citizen).get(f"/api/v1/dossiers/{dossier_id}").json()["payments"]
    assert [
        {
            k: p[k]
            for k in ("id", "amount_vnd", "status", "channel", "reference", "paid_at", "receipt_available")
        }
        for p in shown
    ] == [
        {
            "id": payment_id,
            "amount_vnd": 50000,
            "status": "pending",
            "channel": None,
            "reference": None,
            "paid_at": None,
            "receipt_available": False,
        }
    ]
    assert shown[0]["items"][1] == {"name": "Lệ phí cấp giấy", "amount_vnd": 20000, "kind": "charge"}


@pytest.mark.django_db
def test_items_that_do_not_add_up_are_refused(world: World) -> None:
    dossier = online_dossier(world)
    desk = world.client(world.receiver)
    act(desk, dossier.pk, "receive")
    act(desk, dossier.pk, "forward")
    refused = act(
        world.client(world.specialist),
        dossier.pk,
        "request_payment",
        expect=400,
        amount_vnd=50000,
        items=[{"name": "Phí", "amount_vnd": 40000}],
    )
    assert "items" in refused["error"]["fields"]
    assert not Payment.objects.filter(dossier=dossier).exists()


# --- the national platform: checkout and CONFIRM ---------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_confirm_pays_the_order_and_restarts_the_clock(
    world: World, bank: CollectingAccount, standins: Any, client: Any
) -> None:
    dossier_id, payment = started(world, standins)
    before = Dossier.objects.get(pk=dossier_id)
    assert before.paused_at is not None
    done = pay_on_standin(standins.url, payment.reference)
    assert done["delivered"] and done["delivered"][0] != 200  # nothing listens at the app's public address
    confirm = done["confirm"]
    answer = post_confirm(client, confirm)
    assert answer.status_code == 200, answer.content
    reply = answer.json()
    assert reply["MaLoi"] == "00" and reply["MaDoiTac"] == "MOTCUA"
    assert reply["MaXacThuc"] == wire.signed(reply, wire.REPLY_ORDER, SECRET)
    after = Dossier.objects.get(pk=dossier_id)
    assert after.status == "processing" and after.paused_at is None
    assert after.payment_channel == "national_portal"
    event = DossierEvent.objects.filter(dossier_id=dossier_id).latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "pay",
        None,
        "awaiting_payment",
        "processing",
    )
    # The dossier's hooks fire as for any action: the national portal's sync is queued for the payment.
    assert OutboxMessage.objects.filter(target="dvcqg", key=f"dvcqg:{dossier_id}:{event.pk}").exists()
    # The working time left when payment was asked for is walked forward again from the payment.
    assert before.remaining_seconds is not None
    assert after.due_at == get_calendar().resume(timedelta(seconds=before.remaining_seconds), event.at)
    shown = world.client(world.citizen).get(f"/api/v1/dossiers/{dossier_id}").json()["payments"][0]
    assert shown["status"] == "paid" and shown["channel"] == "national_portal"
    assert shown["reference"] == payment.reference and shown["receipt_available"] is True
    assert shown["paid_at"] is not None


@pytest.mark.django_db
def test_a_replayed_confirm_changes_nothing(
    world: World, bank: CollectingAccount, standins: Any, client: Any
) -> None:
    dossier_id, payment = started(world, standins)
    confirm_fault(standins.url, "duplicate")
    done = pay_on_standin(standins.url, payment.reference)
    assert len(done["delivered"]) == 2  # the platform sent it twice
    assert post_confirm(client, done["confirm"]).status_code == 200
    events = DossierEvent.objects.filter(dossier_id=dossier_id).count()
    fee = Dossier.objects.get(pk=dossier_id).fee_vnd
    again = post_confirm(client, done["confirm"])
    assert again.status_code == 400 and error_of(again)["code"] == "already_confirmed"
    assert DossierEvent.objects.filter(dossier_id=dossier_id).count() == events
    assert Dossier.objects.get(pk=dossier_id).fee_vnd == fee


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fault", "code"), [("bad_signature", "bad_signature"), ("wrong_amount", "wrong_amount")]
)
def test_a_faulty_confirm_pays_nothing(
    world: World, bank: CollectingAccount, standins: Any, client: Any, fault: str, code: str, caplog: Any
) -> None:
    dossier_id, payment = started(world, standins)
    confirm_fault(standins.url, fault)
    done = pay_on_standin(standins.url, payment.reference)
    assert done["fault"] == fault
    answer = post_confirm(client, done["confirm"])
    assert answer.status_code == 400 and error_of(answer)["code"] == code
    payment.refresh_from_db()
    assert payment.status == "pending" and Dossier.objects.get(pk=dossier_id).status == "awaiting_payment"
    assert any("refused" in r.getMessage() for r in caplog.records)
    assert not any(CITIZEN_ID in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_confirm_for_an_unknown_reference_pays_nothing(
    world: World, bank: CollectingAccount, standins: Any, client: Any
) -> None:
    fields = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": "00",
        "MaDoiTac": "MOTCUA",
        "MaThamChieu": "DVC99999999ABCDE",
        "SoTien": "50000",
        "MaTienTe": "VND",
        "MaGiaoDich": "GD1",
        "MaNganHang": "NCB",
        "ThoiGianGD": "20261202143501",
        "ThongTinGiaoDich": "X",
    }
    answer = post_confirm(client, {**fields, "MaXacThuc": wire.signed(fields, wire.CONFIRM_ORDER, SECRET)})
    assert answer.status_code == 400 and error_of(answer)["code"] == "unknown_reference"


@pytest.mark.django_db
def test_a_failed_payment_marks_the_order_failed_and_it_can_be_tried_again(
    world: World, bank: CollectingAccount, standins: Any, client: Any
) -> None:
    dossier_id, payment = started(world, standins)
    done = pay_on_standin(standins.url, payment.reference, "fail")
    assert post_confirm(client, done["confirm"]).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "failed" and Dossier.objects.get(pk=dossier_id).status == "awaiting_payment"
    assert checkout(world, dossier_id, payment.pk).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "pending"


@pytest.mark.django_db
def test_the_platform_down_is_a_503_envelope(
    world: World, bank: CollectingAccount, standins: Any, settings: Any
) -> None:
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    dossier_id, payment_id = awaiting(world)
    standins.fault("payment", "error")
    response = checkout(world, dossier_id, payment_id)
    assert response.status_code == 503 and error_of(response)["code"] == "payment_unavailable"
    assert Payment.objects.get(pk=payment_id).checkout_at is None


@pytest.mark.django_db
def test_no_platform_configured_is_said_plainly(world: World, bank: CollectingAccount, settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    dossier_id, payment_id = awaiting(world)
    response = checkout(world, dossier_id, payment_id)
    assert response.status_code == 503 and error_of(response)["code"] == "payment_not_connected"


# --- reconciliation ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("result", "status"), [("success", "paid"), ("fail", "failed"), ("pending", "pending")]
)
def test_reconcile_settles_a_missing_confirm_by_query(
    world: World, bank: CollectingAccount, standins: Any, result: str, status: str
) -> None:
    dossier_id, payment = started(world, standins)
    confirm_fault(standins.url, "missing")
    done = pay_on_standin(standins.url, payment.reference, result)
    assert done["delivered"] == []
    payment.refresh_from_db()
    assert payment.checkout_at is not None
    too_soon = services.reconcile(now=payment.checkout_at + timedelta(minutes=10))
    assert too_soon.asked == 0
    reconciled = services.reconcile(now=payment.checkout_at + timedelta(minutes=31))
    assert reconciled.asked == 1
    payment.refresh_from_db()
    assert payment.status == status
    expected = "processing" if status == "paid" else "awaiting_payment"
    assert Dossier.objects.get(pk=dossier_id).status == expected
    if status == "paid":
        assert DossierEvent.objects.filter(dossier_id=dossier_id, action="pay", actor=None).count() == 1
    assert services.reconcile(now=payment.checkout_at + timedelta(days=4)).asked == 0


@pytest.mark.django_db
def test_the_platforms_receipt_comes_from_get_bill(
    world: World, bank: CollectingAccount, standins: Any
) -> None:
    _dossier_id, payment = started(world, standins)
    pay_on_standin(standins.url, payment.reference)
    payment.refresh_from_db()
    gateway = registry.payment_gateway()
    assert gateway is not None and payment.checkout_at is not None
    pdf = gateway.receipt_pdf(payment.reference, payment.checkout_at)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert payment.reference in text and "50000 VND" in text


# --- VietQR and the counter ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_vietqr_checkout_gives_the_agencys_account_the_amount_and_the_references(
    world: World, bank: CollectingAccount
) -> None:
    dossier_id, payment_id = awaiting(world)
    response = checkout(world, dossier_id, payment_id, "vietqr")
    assert response.status_code == 200, response.json()
    body = response.json()
    items = vietqr.parse(body["qr_payload"])
    assert items["54"] == "50000" and items["53"] == "704"
    assert "970415" in items["38"] and "113000006100" in items["38"]
    payment = Payment.objects.get(pk=payment_id)
    code = Dossier.objects.get(pk=dossier_id).code
    assert payment.reference in items["62"] and vietqr.clean(code, 60) in items["62"]
    image = world.client(world.citizen).get(body["qr_image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert payment.channel == "vietqr" and payment.status == "pending"


@pytest.mark.django_db
def test_the_desk_confirms_a_transfer(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    checkout(world, dossier_id, payment_id, "vietqr")
    with pytest.raises(services.Forbidden):
        services.confirm_transfer(actor=world.citizen, dossier_id=dossier_id, payment_id=payment_id)
    services.confirm_transfer(
        actor=world.specialist, dossier_id=dossier_id, payment_id=payment_id, transaction_id="FT2633"
    )
    payment = Payment.objects.get(pk=payment_id)
    dossier = Dossier.objects.get(pk=dossier_id)
    assert (payment.status, payment.channel, payment.transaction_id) == ("paid", "vietqr", "FT2633")
    assert dossier.status == "processing" and dossier.payment_channel == "counter"


@pytest.mark.django_db
def test_a_bank_statement_settles_the_transfers_it_names(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    checkout(world, dossier_id, payment_id, "vietqr")
    reference = Payment.objects.get(pk=payment_id).reference
    csv = (
        "amount,description,transaction_id\n"
        f"40000,{reference} thieu tien,FT1\n"
        f"50000,CK {reference} H15TTPV,FT2\n"
        "50000,chuyen tien an trua,FT3\n"
    ).encode()
    matched = services.apply_statement(statements.read(csv, "saoke.csv"))
    assert matched.paid == [reference] and matched.unmatched == [1, 3]
    payment = Payment.objects.get(pk=payment_id)
    assert (payment.status, payment.channel, payment.transaction_id) == ("paid", "vietqr", "FT2")


@pytest.mark.django_db
def test_a_counter_payment_is_the_pay_action(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    paid = act(
        world.client(world.specialist), dossier_id, "pay", amount_vnd=50000, method="counter", reference="BL1"
    )
    assert paid["payments"][0]["status"] == "paid" and paid["payments"][0]["channel"] == "counter"
    assert paid["payment_channel"] == "counter"


# --- receipts and permissions ---------------------------------------------------------------------------


def pay_at_counter(world: World) -> tuple[int, int]:
    dossier_id, payment_id = awaiting(world)
    act(
        world.client(world.specialist), dossier_id, "pay", amount_vnd=50000, method="counter", reference="BL1"
    )
    return dossier_id, payment_id


@pytest.mark.django_db
def test_the_e_receipt_carries_the_legal_fields(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = pay_at_counter(world)
    response = world.client(world.citizen).get(f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/receipt")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    code = Dossier.objects.get(pk=dossier_id).code
    for field in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Mẫu số: 01BLP0-001",
        "Ký hiệu: MC-26E",
        f"Số: {payment_id:07d}",
        "Kho bạc Nhà nước tỉnh Đắk Lắk",
        "Mã số thuế: 6000123456",
        "H'Hen Niê",
        CITIZEN_ID,
        "Phí thẩm định",
        "Lệ phí cấp giấy",
        "50.000",
        "Năm mươi nghìn đồng",
        "Nộp tại quầy",
        code,
    ):
        assert field in text, field
    staff = world.client(world.specialist).get(f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/receipt")
    assert staff.status_code == 200


@pytest.mark.django_db
def test_no_receipt_before_payment_and_none_for_others(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = awaiting(world)
    url = f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/receipt"
    unpaid = world.client(world.citizen).get(url)
    assert unpaid.status_code == 409 and error_of(unpaid)["code"] == "not_paid"
    other = world.client(world.other_citizen)
    assert other.get(url).status_code == 404
    assert (
        other.post(
            f"/api/v1/dossiers/{dossier_id}/payments/{payment_id}/checkout",
            {"channel": "vietqr"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        world.client(world.citizen)
        .get(f"/api/v1/dossiers/{dossier_id}/payments/{payment_id + 99}/receipt")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_the_public_lookup_gives_the_receipt_for_code_and_personal_id(
    world: World, bank: CollectingAccount, client: Any, clean_throttle: Any
) -> None:
    dossier_id, payment_id = pay_at_counter(world)
    code = Dossier.objects.get(pk=dossier_id).code
    body = {"code": code, "id_number": CITIZEN_ID, "payment_id": payment_id}
    found = client.post("/api/v1/lookup/receipt", body, content_type="application/json")
    assert found.status_code == 200 and found.content.startswith(b"%PDF-")
    wrong = client.post(
        "/api/v1/lookup/receipt", {**body, "id_number": "079200000001"}, content_type="application/json"
    )
    assert wrong.status_code == 404


@pytest.mark.django_db
def test_a_paid_order_cannot_be_checked_out_again(world: World, bank: CollectingAccount) -> None:
    dossier_id, payment_id = pay_at_counter(world)
    response = checkout(world, dossier_id, payment_id, "vietqr")
    assert response.status_code == 409 and error_of(response)["code"] == "already_paid"


def paid_online(dossier_id: int) -> bool:
    from motcua.monitoring import rollup

    row = rollup.facts_queryset(Dossier.objects.filter(pk=dossier_id)).get()
    return bool(row[rollup.FACT_FIELDS.index("paid_online")])


@pytest.mark.django_db
def test_the_index_counts_orders_paid_on_an_online_platform_only(
    world: World, bank: CollectingAccount, standins: Any, client: Any
) -> None:
    platform_id, payment = started(world, standins)
    assert not paid_online(platform_id)
    assert post_confirm(client, pay_on_standin(standins.url, payment.reference)["confirm"]).status_code == 200
    assert paid_online(platform_id)
    transfer_id, order_id = awaiting(world)
    checkout(world, transfer_id, order_id, "vietqr")
    services.confirm_transfer(actor=world.specialist, dossier_id=transfer_id, payment_id=order_id)
    assert not paid_online(transfer_id)
    counter_id, _order = pay_at_counter(world)
    assert not paid_online(counter_id)


@pytest.mark.django_db(transaction=True)
def test_the_standin_delivers_its_confirm_to_the_running_app(
    world: World, bank: CollectingAccount, standins: Any, live_server: Any, settings: Any
) -> None:
    """No hand-carrying: the stand-in posts the CONFIRM to the confirm URL MotCua gave in its INIT."""
    settings.MOTCUA_PUBLIC_URL = live_server.url
    dossier_id, payment = started(world, standins)
    done = pay_on_standin(standins.url, payment.reference)
    assert done["delivered"] == [200]
    payment.refresh_from_db()
    assert payment.status == "paid" and Dossier.objects.get(pk=dossier_id).status == "processing"


@pytest.mark.django_db(transaction=True)
def test_a_late_confirm_still_pays_the_order_once(
    world: World, bank: CollectingAccount, standins: Any, live_server: Any, settings: Any
) -> None:
    settings.MOTCUA_PUBLIC_URL = live_server.url
    dossier_id, payment = started(world, standins)
    confirm_fault(standins.url, "late", delay_seconds=1)
    done = pay_on_standin(standins.url, payment.reference)
    assert done["fault"] == "late" and done["delivered"] == []
    payment.refresh_from_db()
    assert payment.status == "pending"  # the browser came back before the confirmation
    deadline = time.monotonic() + 10
    while payment.status == "pending" and time.monotonic() < deadline:
        time.sleep(0.2)
        payment.refresh_from_db()
    assert payment.status == "paid"
    assert DossierEvent.objects.filter(dossier_id=dossier_id, action="pay").count() == 1


@pytest.mark.django_db
def test_reconcile_asks_about_an_order_started_on_the_platform_then_switched_to_a_transfer(
    world: World, bank: CollectingAccount, standins: Any
) -> None:
    dossier_id, payment = started(world, standins)
    confirm_fault(standins.url, "missing")
    pay_on_standin(standins.url, payment.reference)  # paid on the platform, the CONFIRM lost
    assert checkout(world, dossier_id, payment.pk, "vietqr").status_code == 200  # then asked for a QR
    payment.refresh_from_db()
    assert payment.channel == "vietqr" and payment.checkout_at is not None
    assert services.reconcile(now=payment.checkout_at + timedelta(hours=1)).paid == 1
    payment.refresh_from_db()
    assert (payment.status, payment.channel) == ("paid", "national_portal")


@pytest.mark.django_db
def test_the_commands_reconcile_and_import_a_statement(
    world: World, bank: CollectingAccount, tmp_path: Any, settings: Any
) -> None:
    from django.core.management import call_command
    from openpyxl import Workbook

    out = io.StringIO()
    settings.MOTCUA_STANDINS_URL = ""
    call_command("reconcile-payments", stdout=out)
    assert "not connected" in out.getvalue()
    dossier_id, payment_id = awaiting(world)
    checkout(world, dossier_id, payment_id, "vietqr")
    reference = Payment.objects.get(pk=payment_id).reference
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số tiền", "Nội dung", "Mã giao dịch"])
    sheet.append([50000, f"NGUYEN VAN A CK {reference}", "FT77"])
    sheet.append([50000.0, "khong ro", "FT78"])
    path = tmp_path / "saoke.xlsx"
    book.save(path)
    out = io.StringIO()
    call_command("import-bank-statement", str(path), stdout=out)
    assert "1 orders paid" in out.getvalue() and "[2]" in out.getvalue()
    assert Payment.objects.get(pk=payment_id).transaction_id == "FT77"


def test_reconciliation_runs_every_33_minutes_in_the_worker() -> None:
    from motcua.core.periodic import SCHEDULE
    from motcua.integrations import tasks

    assert any(
        job.task is tasks.reconcile_payments and job.every == timedelta(minutes=33) for job in SCHEDULE
    )


@pytest.mark.django_db
def test_the_confirm_endpoint_needs_no_csrf_token_or_login(
    world: World, bank: CollectingAccount, standins: Any
) -> None:
    from django.test import Client

    dossier_id, payment = started(world, standins)
    platform = Client(enforce_csrf_checks=True)  # as the platform calls: no session, no CSRF token
    answer = post_confirm(platform, pay_on_standin(standins.url, payment.reference)["confirm"])
    assert answer.status_code == 200 and answer.json()["MaLoi"] == "00"
    assert Dossier.objects.get(pk=dossier_id).status == "processing"
