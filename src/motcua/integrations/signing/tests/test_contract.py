"""The real signing adapter against the stand-in process: certificates, hash signing with the
officer's confirmation, PAdES embedding, and verification against the test root only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations import config, registry, transport
from motcua.integrations.signing import pades
from motcua.integrations.signing.client import RemoteSigningClient, Verifier, verifier_for
from motcua.integrations.signing.ports import Appearance, TxState
from motcua.integrations.signing.tests.helpers import confirm, knobs, result_pdf

APPEARANCE = Appearance("Kết quả giải quyết thủ tục hành chính", "UBND xã Thử", "000.00.00.H15-260101-0001")


@pytest.fixture
def signer(standins: Any) -> Iterator[RemoteSigningClient]:
    found = config.system("signing")
    assert found is not None and found.standin
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)
    yield RemoteSigningClient(found)
    knobs(standins.url, auto_approve_seconds=None, ttl_seconds=300)


def test_the_officer_gets_a_certificate_named_after_them(signer: RemoteSigningClient) -> None:
    certs = signer.certificates("lanhdao.thu", full_name="Trần Thị Lãnh Đạo")
    assert len(certs) == 1 and certs[0].serial_number and certs[0].chain_der
    again = signer.certificates("lanhdao.thu")
    assert again[0].cert_der == certs[0].cert_der  # the same officer, the same certificate


def test_sign_after_approval_then_verify_valid_with_signer_time_and_code(
    signer: RemoteSigningClient, standins: Any
) -> None:
    cert = signer.certificates("lanhdao.ky", full_name="Nguyễn Văn Ký")[0]
    tx = signer.request_signature(result_pdf(), cert, appearance=APPEARANCE)
    assert tx.state is TxState.PENDING and tx.signed_pdf is None
    assert signer.poll(tx).state is TxState.PENDING  # the officer has not confirmed yet
    page = confirm(standins.url, tx.id, "approve")
    assert "stand-in" in page and "Đã ký" in page
    done = signer.poll(tx)
    assert done.state is TxState.SIGNED and done.signed_pdf is not None
    assert done.signed_pdf.startswith(result_pdf()[:8])
    [report] = verifier_for(config.system("signing")).verify(done.signed_pdf)  # type: ignore[arg-type]
    assert report.valid, report.problem
    assert report.signer == "Nguyễn Văn Ký"
    assert report.signed_at is not None
    assert report.dossier_code == APPEARANCE.dossier_code


def test_one_changed_byte_or_no_signature_or_another_root_is_not_valid(
    signer: RemoteSigningClient, standins: Any
) -> None:
    knobs(standins.url, auto_approve_seconds=0)
    cert = signer.certificates("lanhdao.sua")[0]
    signed = signer.poll(signer.request_signature(result_pdf(), cert, appearance=APPEARANCE)).signed_pdf
    assert signed is not None
    verifier = verifier_for(config.system("signing"))  # type: ignore[arg-type]
    assert verifier.verify(signed)[0].valid
    for at in (len(signed) // 4, len(signed) // 2, len(signed) - 40):
        altered = bytearray(signed)
        altered[at] = (altered[at] + 1) % 256
        assert not any(r.valid for r in verifier.verify(bytes(altered))), at
    assert verifier.verify(result_pdf()) == []
    assert verifier.verify(b"not a pdf at all") == []
    assert not Verifier([]).verify(signed)[0].valid  # the test root is trusted only when asked for


def test_a_rejected_or_expired_request(signer: RemoteSigningClient, standins: Any) -> None:
    cert = signer.certificates("lanhdao.tuchoi")[0]
    tx = signer.request_signature(result_pdf(), cert, appearance=APPEARANCE)
    confirm(standins.url, tx.id, "reject")
    assert signer.poll(tx).state is TxState.REJECTED
    knobs(standins.url, ttl_seconds=0)
    late = signer.request_signature(result_pdf(), cert, appearance=APPEARANCE)
    assert signer.poll(late).state is TxState.EXPIRED
    assert "hết hạn" in confirm(standins.url, late.id, "approve")  # too late to approve


def test_wrong_credentials_are_rejected(standins: Any, settings: Any) -> None:
    settings.MOTCUA_INTEGRATIONS = {**settings.MOTCUA_INTEGRATIONS, "signing": {"sp_password": "wrong"}}
    found = config.system("signing")
    assert found is not None
    with pytest.raises(transport.Rejected):
        RemoteSigningClient(found).certificates("lanhdao")


def test_the_registry_switches_signing_on_with_the_standins_only(settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    settings.MOTCUA_INTEGRATIONS = {**settings.MOTCUA_INTEGRATIONS, "signing": {"url": ""}}
    assert registry.remote_signer() is None and registry.signature_verifier() is None


def test_the_reason_carries_the_dossier_code() -> None:
    assert pades.reason_text(APPEARANCE).endswith("Mã hồ sơ: 000.00.00.H15-260101-0001")
    assert pades.reason_text(Appearance("Kết quả")) == "Kết quả"
