"""The SmartCA-shaped wire format (VNPT SmartCA, integrations.md §7.1): JSON bodies, POST only.

``/v1/credentials/get_certificate`` → ``user_certificates[{cert_id, serial_number, cert_data,
chain_data{ca_cert, root_cert}}]``; ``/v1/signatures/sign`` with ``sign_type "hash"`` and the hex
SHA-256 to sign → ``{"message": "sig_wait_for_user_confirm", "data": {transaction_id, tran_code}}``;
``/v1/signatures/sign/{tran_code}/status`` → the state and, once the officer has confirmed,
``signatures[{doc_id, signature_value, timestamp_signature}]``. Plain Python: no Django.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.signing.ports import SignerCert, TxState

GET_CERTIFICATE = "/v1/credentials/get_certificate"
SIGN = "/v1/signatures/sign"
STATUS = "/v1/signatures/sign/{tran_code}/status"
WAIT = "sig_wait_for_user_confirm"
# The status messages of a request, as the service words them, in our vocabulary.
STATES = {
    WAIT: TxState.PENDING,
    "sig_signed": TxState.SIGNED,
    "sig_rejected": TxState.REJECTED,
    "sig_expired": TxState.EXPIRED,
}
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


class WireError(ValueError):
    """A body that is not the service's wire format."""


class RemoteError(WireError):
    """The service answered with an error of its own (``status_code`` other than 200)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def credentials(sp_id: str, sp_password: str) -> dict[str, str]:
    return {"sp_id": sp_id, "sp_password": sp_password}


def time_stamp(at: datetime) -> str:
    """``yyyyMMddHHmmssZ`` in Asia/Ho_Chi_Minh."""
    return at.astimezone(HCM).strftime("%Y%m%d%H%M%S") + "Z"


def _data(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise WireError("not a JSON object")
    code = str(body.get("status_code", ""))
    if code != "200":
        raise RemoteError(code or "?", str(body.get("message", ""))[:200])
    data = body.get("data")
    if not isinstance(data, dict):
        raise WireError("no data")
    return data


def _b64(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WireError("not base64") from exc


def certificates_request(creds: dict[str, str], user_id: str, transaction_id: str) -> dict[str, Any]:
    return {**creds, "user_id": user_id, "serial_number": "", "transaction_id": transaction_id}


def parse_certificates(body: Any, user_id: str) -> list[SignerCert]:
    found = _data(body).get("user_certificates")
    if not isinstance(found, list):
        raise WireError("no user_certificates")
    certs = []
    for item in found:
        if not isinstance(item, dict) or "cert_data" not in item:
            raise WireError("a certificate without cert_data")
        chain = item.get("chain_data") or {}
        chain_der = tuple(_b64(chain[k]) for k in ("ca_cert", "root_cert") if chain.get(k))
        certs.append(
            SignerCert(
                user_id=user_id,
                serial_number=str(item.get("serial_number", "")),
                cert_der=_b64(item["cert_data"]),
                chain_der=chain_der,
            )
        )
    return certs


def sign_request(
    creds: dict[str, str],
    *,
    user_id: str,
    serial_number: str,
    transaction_id: str,
    description: str,
    digest: bytes,
    doc_id: str,
    at: datetime,
) -> dict[str, Any]:
    return {
        **creds,
        "user_id": user_id,
        "transaction_id": transaction_id,
        "transaction_desc": description,
        "serial_number": serial_number,
        "time_stamp": time_stamp(at),
        "sign_files": [
            {"doc_id": doc_id, "file_type": "pdf", "sign_type": "hash", "data_to_be_signed": digest.hex()}
        ],
    }


def parse_sign(body: Any) -> str:
    """The ``tran_code`` the service gave the request."""
    data = _data(body)
    code = str(data.get("tran_code", ""))
    if not code:
        raise WireError("no tran_code")
    return code


def parse_status(body: Any, doc_id: str) -> tuple[TxState, bytes | None, str]:
    """The request's state, the raw signature value once signed, and the service's message."""
    data = _data(body)
    message = str(data.get("message") or body.get("message") or "")
    state = STATES.get(str(data.get("status", "")))
    if state is None:
        raise WireError("unknown status")
    if state is not TxState.SIGNED:
        return state, None, message
    for item in data.get("signatures") or []:
        if isinstance(item, dict) and str(item.get("doc_id")) == doc_id and item.get("signature_value"):
            return state, _b64(item["signature_value"]), message
    raise WireError("signed, but no signature_value for the document")
