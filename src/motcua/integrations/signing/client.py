"""The real adapter: SmartCA-shaped hash signing over HTTP, PAdES by pyHanko (``pades``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.signing import pades, wire
from motcua.integrations.signing.ports import (
    Appearance,
    SignatureReport,
    SignerCert,
    SigningTx,
    TxState,
)

SYSTEM = "signing"
DOC_ID = "ket-qua"


class RemoteSigningClient:
    """``RemoteSigner`` over HTTP. The state of a request lives in the ``SigningTx`` the caller keeps."""

    def __init__(self, config: SystemConfig, http: httpx.Client | None = None) -> None:
        self.url = config.url
        self.standin = config.standin
        self.creds = wire.credentials(str(config.option("sp_id")), str(config.option("sp_password")))
        self.http = http or transport.client()

    def _post(self, path: str, body: dict[str, object]) -> object:
        response = transport.send(SYSTEM, self.http, "POST", f"{self.url}{path}", json=body)
        try:
            return response.json()
        except ValueError as exc:
            raise transport.Malformed(SYSTEM, "not JSON") from exc

    def _read[T](self, parse: Callable[..., T], *args: object) -> T:
        try:
            return parse(*args)
        except wire.RemoteError as exc:
            raise transport.Rejected(SYSTEM, f"refused ({exc.code[:40]})") from exc
        except wire.WireError as exc:
            raise transport.Malformed(SYSTEM, str(exc)) from exc

    def certificates(self, user_id: str, *, full_name: str = "") -> list[SignerCert]:
        body = wire.certificates_request(self.creds, user_id, secrets.token_hex(8))
        if self.standin and full_name:
            body["user_name"] = full_name  # the stand-in's test CA names the certificate after the officer
        return self._read(wire.parse_certificates, self._post(wire.GET_CERTIFICATE, body), user_id)

    def request_signature(self, pdf: bytes, cert: SignerCert, *, appearance: Appearance) -> SigningTx:
        prepared = pades.prepare(pdf, cert, appearance)
        body = wire.sign_request(
            self.creds,
            user_id=cert.user_id,
            serial_number=cert.serial_number,
            transaction_id=secrets.token_hex(8),
            description=pades.reason_text(appearance)[:200],
            digest=pades.to_be_signed(prepared),
            doc_id=DOC_ID,
            at=datetime.now(UTC),
        )
        tran_code = self._read(wire.parse_sign, self._post(wire.SIGN, body))
        return SigningTx(id=tran_code, state=TxState.PENDING, cert=cert, prepared=prepared)

    def poll(self, tx: SigningTx) -> SigningTx:
        if tx.state is not TxState.PENDING:
            return tx
        answer = self._post(wire.STATUS.format(tran_code=tx.id), dict(self.creds))
        state, value, message = self._read(wire.parse_status, answer, DOC_ID)
        if state is not TxState.SIGNED or value is None:
            return tx.moved(state, message=message)
        return tx.moved(state, message=message, signed_pdf=pades.finish(tx.prepared, tx.cert, value))


class Verifier:
    """``SignatureVerifier`` with explicit trust roots (DER certificates)."""

    def __init__(self, roots: list[bytes]) -> None:
        self.roots = roots

    def verify(self, pdf: bytes) -> list[SignatureReport]:
        return pades.verify(pdf, self.roots)


def roots_from_pem(data: bytes) -> list[bytes]:
    """Every certificate of a PEM bundle, DER."""
    roots = []
    for kind, _headers, der in pem.unarmor(data, multiple=True):
        if kind == "CERTIFICATE":
            asn1_x509.Certificate.load(der)
            roots.append(der)
    return roots


def verifier_for(config: SystemConfig, http: httpx.Client | None = None) -> Verifier:
    """The stand-in's test root when the signing system is the stand-in; the configured trust bundle
    otherwise (no bundle: nothing is trusted, every signature is reported invalid)."""
    if config.standin:
        client = http or transport.client()
        response = transport.send(SYSTEM, client, "GET", f"{config.url}/_root.pem")
        return Verifier(roots_from_pem(response.content))
    bundle = str(config.option("trust_bundle"))
    return Verifier(roots_from_pem(Path(bundle).read_bytes()) if bundle else [])
