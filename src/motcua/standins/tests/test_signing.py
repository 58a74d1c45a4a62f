"""The signing stand-in's own pages and refusals (the signing itself: integrations/signing/tests)."""

from __future__ import annotations

from cryptography import x509
from werkzeug.test import Client

from motcua.standins import accounts
from motcua.standins.app import build

CREDS = {
    "sp_id": accounts.DEFAULTS["signing"]["sp_id"],
    "sp_password": accounts.DEFAULTS["signing"]["sp_password"],
}


def test_the_root_is_published_and_pages_say_stand_in() -> None:
    client = Client(build())
    root = x509.load_pem_x509_certificate(client.get("/signing/_root.pem").data)
    assert "Test Root" in root.subject.rfc4514_string()
    assert "Máy chủ giả lập (stand-in)" in client.get("/signing/").text
    assert client.get("/signing/confirm/nope").status_code == 404


def test_refusals_in_the_services_words() -> None:
    client = Client(build())
    bad = client.post("/signing/v1/credentials/get_certificate", json={"sp_id": "x", "sp_password": "y"})
    assert bad.status_code == 401 and bad.json["message"] == "SP_CREDENTIAL_INVALID"
    unknown = client.post(
        "/signing/v1/signatures/sign",
        json={**CREDS, "user_id": "nobody", "serial_number": "1", "sign_files": []},
    )
    assert unknown.status_code == 403 and unknown.json["message"] == "CREDENTIAL_STATUS_INVALID"
    cert = client.post("/signing/v1/credentials/get_certificate", json={**CREDS, "user_id": "ld"}).json
    serial = cert["data"]["user_certificates"][0]["serial_number"]
    not_hash = client.post(
        "/signing/v1/signatures/sign",
        json={**CREDS, "user_id": "ld", "serial_number": serial, "sign_files": [{"sign_type": "file"}]},
    )
    assert not_hash.status_code == 400


def test_the_approval_page_is_phone_friendly_with_approve_and_reject() -> None:
    client = Client(build())
    cert = client.post("/signing/v1/credentials/get_certificate", json={**CREDS, "user_id": "ld"}).json
    serial = cert["data"]["user_certificates"][0]["serial_number"]
    sent = client.post(
        "/signing/v1/signatures/sign",
        json={
            **CREDS,
            "user_id": "ld",
            "serial_number": serial,
            "transaction_desc": "Ký kết quả",
            "sign_files": [{"doc_id": "a", "sign_type": "hash", "data_to_be_signed": "00" * 32}],
        },
    ).json
    assert sent["message"] == "sig_wait_for_user_confirm"
    page = client.get(f"/signing/confirm/{sent['data']['tran_code']}").text
    assert 'name="viewport"' in page and "approve" in page and "reject" in page and "Ký kết quả" in page
