"""The stand-in for a remote-signing service (ký số từ xa), SmartCA-shaped (integrations.md §7).

Backed by a local **test CA** made at start-up: a root, and a certificate per officer asked for
(``user_id``, with ``user_name`` as the common name when given; a stand-in-only field). All bodies
are JSON and carry ``sp_id``/``sp_password``:

- ``POST /signing/v1/credentials/get_certificate {user_id, user_name?}`` → ``user_certificates``;
- ``POST /signing/v1/signatures/sign`` (``sign_type "hash"``, hex SHA-256 in ``data_to_be_signed``)
  → ``sig_wait_for_user_confirm`` with a ``tran_code``;
- ``POST /signing/v1/signatures/sign/{tran_code}/status`` → ``status`` pending, signed (with
  ``signature_value``), rejected or expired.

The officer "confirms in the app" on ``GET /signing/confirm/{tran_code}`` (Approve / Reject), or the
service approves by itself after ``auto_approve_seconds`` (``POST /signing/_settings``, for tests and
the demo). A request not confirmed within ``ttl_seconds`` expires. ``GET /signing/_root.pem`` is
the test root, which MotCua trusts only when the signing system is this stand-in.
"""

from __future__ import annotations

import base64
import hmac
import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from motcua.standins import accounts
from motcua.standins.app import StandIn, json_response, page


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MotCua stand-in test CA"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Officer:
    user_id: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate


@dataclass
class Transaction:
    tran_code: str
    transaction_id: str
    officer: Officer
    description: str
    docs: list[dict[str, str]]
    created: float
    status: str = "sig_wait_for_user_confirm"
    signatures: list[dict[str, str]] = field(default_factory=list)


class TestCA:
    """A root and per-officer certificates, made in memory; nothing is written to disk."""

    def __init__(self) -> None:
        now = datetime.now(UTC)
        self.key = _key()
        subject = _name("MotCua Stand-in Test Root CA")
        self.root = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, common_name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        now = datetime.now(UTC)
        key = _key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        return key, cert


def _der64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


class Signing(StandIn):
    name = "signing"
    title = "Ký số từ xa (SmartCA) — CA thử nghiệm"
    malformed_body = '{"status_code": '
    malformed_type = "application/json"

    def __init__(self, *, clock: Any = time.time) -> None:
        defaults = accounts.DEFAULTS["signing"]
        self.sp_id, self.sp_password = defaults["sp_id"], defaults["sp_password"]
        self.clock = clock
        self.ca = TestCA()
        self.auto_approve_seconds: float | None = None
        self.ttl_seconds = 300.0
        self._lock = threading.Lock()
        self.officers: dict[str, Officer] = {}
        self.transactions: dict[str, Transaction] = {}

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/_root.pem", endpoint="root", methods=["GET"]),
            Rule("/_settings", endpoint="settings", methods=["GET", "POST"]),
            Rule("/v1/credentials/get_certificate", endpoint="get_certificate", methods=["POST"]),
            Rule("/v1/signatures/sign", endpoint="sign", methods=["POST"]),
            Rule("/v1/signatures/sign/<tran_code>/status", endpoint="status", methods=["POST"]),
            Rule("/confirm/<tran_code>", endpoint="confirm", methods=["GET", "POST"]),
        ]

    # --- helpers -------------------------------------------------------------------------------

    def _body(self, request: Request) -> dict[str, Any] | Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return json_response({"status_code": 400, "message": "BAD_REQUEST", "data": None}, 400)
        if not (
            hmac.compare_digest(str(body.get("sp_id", "")), self.sp_id)
            and hmac.compare_digest(str(body.get("sp_password", "")), self.sp_password)
        ):
            return json_response({"status_code": 401, "message": "SP_CREDENTIAL_INVALID", "data": None}, 401)
        return body

    def officer(self, user_id: str, user_name: str = "") -> Officer:
        with self._lock:
            found = self.officers.get(user_id)
            if found is None:
                key, cert = self.ca.issue(user_name or user_id)
                found = self.officers[user_id] = Officer(user_id, key, cert)
            return found

    def _settle(self, tx: Transaction) -> None:
        """Expire a request left too long; approve it when the auto-approve knob says so."""
        if tx.status != "sig_wait_for_user_confirm":
            return
        age = self.clock() - tx.created
        if self.auto_approve_seconds is not None and age >= self.auto_approve_seconds:
            self._decide(tx, approve=True)
        elif age >= self.ttl_seconds:
            tx.status = "sig_expired"

    def _decide(self, tx: Transaction, *, approve: bool) -> None:
        if not approve:
            tx.status = "sig_rejected"
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        for doc in tx.docs:
            value = tx.officer.key.sign(
                bytes.fromhex(doc["data_to_be_signed"]),
                padding.PKCS1v15(),
                utils.Prehashed(hashes.SHA256()),
            )
            tx.signatures.append(
                {
                    "doc_id": doc["doc_id"],
                    "signature_value": base64.b64encode(value).decode(),
                    "timestamp_signature": stamp,
                }
            )
        tx.status = "sig_signed"

    # --- endpoints -----------------------------------------------------------------------------

    def on_index(self, request: Request) -> Response:
        with self._lock:
            for tx in self.transactions.values():
                self._settle(tx)
            rows = "".join(
                f"<tr><td><a href='/signing/confirm/{html.escape(t.tran_code)}'>{html.escape(t.tran_code)}</a>"
                f"</td><td>{html.escape(t.officer.user_id)}</td><td>{html.escape(t.description)}</td>"
                f"<td>{html.escape(t.status)}</td></tr>"
                for t in reversed(list(self.transactions.values()))
            )
        return page(
            self.title,
            "<p>Yêu cầu ký gần đây. Cán bộ xác nhận trên ứng dụng — ở đây là trang "
            "<em>Xác nhận ký</em>. <a href='/signing/_root.pem'>Chứng thư gốc thử nghiệm</a>.</p>"
            f"<table><tr><th>Mã</th><th>Cán bộ</th><th>Nội dung</th><th>Trạng thái</th></tr>{rows}</table>",
        )

    def on_root(self, request: Request) -> Response:
        pem = self.ca.root.public_bytes(serialization.Encoding.PEM)
        return Response(pem, content_type="application/x-pem-file")

    def on_settings(self, request: Request) -> Response:
        """POST ``{"auto_approve_seconds": N or null, "ttl_seconds": N}``."""
        if request.method == "POST":
            body = request.get_json(silent=True) or {}
            try:
                if "auto_approve_seconds" in body:
                    value = body["auto_approve_seconds"]
                    self.auto_approve_seconds = None if value is None else float(value)
                if "ttl_seconds" in body:
                    self.ttl_seconds = float(body["ttl_seconds"])
            except (TypeError, ValueError) as exc:
                return json_response({"error": str(exc)}, 400)
        return json_response(
            {"auto_approve_seconds": self.auto_approve_seconds, "ttl_seconds": self.ttl_seconds}
        )

    def on_get_certificate(self, request: Request) -> Response:
        body = self._body(request)
        if isinstance(body, Response):
            return body
        user_id = str(body.get("user_id", "")).strip()
        if not user_id:
            return json_response({"status_code": 400, "message": "BAD_REQUEST", "data": None}, 400)
        officer = self.officer(user_id, str(body.get("user_name", "")).strip())
        cert = {
            "cert_id": f"{user_id}-{officer.cert.serial_number:x}",
            "serial_number": f"{officer.cert.serial_number:x}",
            "cert_data": _der64(officer.cert),
            "chain_data": {"ca_cert": _der64(self.ca.root), "root_cert": ""},
        }
        return json_response(
            {
                "status_code": 200,
                "message": "success",
                "data": {"transaction_id": str(body.get("transaction_id", "")), "user_certificates": [cert]},
            }
        )

    def on_sign(self, request: Request) -> Response:
        body = self._body(request)
        if isinstance(body, Response):
            return body
        user_id = str(body.get("user_id", ""))
        files = body.get("sign_files")
        with self._lock:
            officer = self.officers.get(user_id)
        serial_ok = (
            officer is not None and str(body.get("serial_number", "")) == f"{officer.cert.serial_number:x}"
        )
        docs: list[dict[str, str]] = []
        for item in files if isinstance(files, list) else []:
            digest = str(item.get("data_to_be_signed", "")) if isinstance(item, dict) else ""
            if item.get("sign_type") != "hash" or len(digest) != 64:
                docs = []
                break
            try:
                bytes.fromhex(digest)
            except ValueError:
                docs = []
                break
            docs.append({"doc_id": str(item.get("doc_id", "")), "data_to_be_signed": digest})
        if officer is None or not serial_ok:
            return json_response(
                {"status_code": 403, "message": "CREDENTIAL_STATUS_INVALID", "data": None}, 403
            )
        if not docs:
            return json_response({"status_code": 400, "message": "BAD_REQUEST", "data": None}, 400)
        tx = Transaction(
            tran_code=secrets.token_hex(8),
            transaction_id=str(body.get("transaction_id", "")),
            officer=officer,
            description=str(body.get("transaction_desc", ""))[:200],
            docs=docs,
            created=self.clock(),
        )
        with self._lock:
            self.transactions[tx.tran_code] = tx
        return json_response(
            {
                "status_code": 200,
                "message": "sig_wait_for_user_confirm",
                "data": {"transaction_id": tx.transaction_id, "tran_code": tx.tran_code},
            }
        )

    def on_status(self, request: Request, tran_code: str) -> Response:
        body = self._body(request)
        if isinstance(body, Response):
            return body
        with self._lock:
            tx = self.transactions.get(tran_code)
            if tx is None:
                return json_response({"status_code": 400, "message": "BAD_REQUEST", "data": None}, 400)
            self._settle(tx)
            data = {
                "transaction_id": tx.transaction_id,
                "tran_code": tx.tran_code,
                "status": tx.status,
                "signatures": list(tx.signatures),
            }
        return json_response({"status_code": 200, "message": tx.status, "data": data})

    def on_confirm(self, request: Request, tran_code: str) -> Response:
        """The officer's approval page: what is to be signed, and Approve / Reject."""
        with self._lock:
            tx = self.transactions.get(tran_code)
            if tx is None:
                return page("Không tìm thấy yêu cầu ký", "<p>Không có yêu cầu ký này.</p>", 404)
            self._settle(tx)
            if request.method == "POST" and tx.status == "sig_wait_for_user_confirm":
                self._decide(tx, approve=request.form.get("decision") == "approve")
            status, officer, description = tx.status, tx.officer, tx.description
        name = officer.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        words = {
            "sig_wait_for_user_confirm": "Đang chờ xác nhận",
            "sig_signed": "Đã ký",
            "sig_rejected": "Đã từ chối",
            "sig_expired": "Đã hết hạn",
        }
        body = (
            f"<p>Cán bộ: <strong>{html.escape(str(name))}</strong> ({html.escape(officer.user_id)})</p>"
            f"<p>Nội dung: {html.escape(description)}</p>"
            f"<p>Trạng thái: <strong id='status'>{html.escape(words.get(status, status))}</strong></p>"
        )
        if status == "sig_wait_for_user_confirm":
            body += (
                "<form method='post'><button name='decision' value='approve'>Xác nhận ký (Approve)</button> "
                "<button name='decision' value='reject'>Từ chối (Reject)</button></form>"
            )
        return page("Xác nhận ký số", body)
