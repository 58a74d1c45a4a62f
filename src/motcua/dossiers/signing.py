"""The leader's resolve with a result, when the agency has a signing service (contract §8.6).

The leader's approval is the signing step. ``resolve`` checks everything ``act`` would check, asks
the signing service for a signature (the leader confirms in the CA's app), and waits a little
(``MOTCUA_SIGNING_WAIT_SECONDS``). When the signature comes back it is embedded (PAdES), the signed
PDF is verified and stored as a new file, and only then is the dossier resolved, in one transaction.
Still waiting: the request is kept (``ResultSigning``, state pending) and the same resolve later picks
it up. Rejected or expired: the dossier stays in processing, with a clear message. Never half-changed.
See docs/decisions.md.
"""

from __future__ import annotations

import base64
import io
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.core.errors import Conflict, ServiceError
from motcua.dossiers import commands, services
from motcua.dossiers.models import Dossier, ResultSigning, SigningState
from motcua.files.models import StoredFile
from motcua.files.services import store_upload
from motcua.integrations import registry, transport
from motcua.integrations.signing.ports import (
    Appearance,
    Prepared,
    RemoteSigner,
    SignerCert,
    SigningTx,
    TxState,
)

REASON = "Kết quả giải quyết thủ tục hành chính"
POLL_EVERY = 0.25


class SigningUnavailable(ServiceError):
    status = 503
    code = "signing_unavailable"
    default_message = _("The signing service cannot be reached right now. Please try again later.")


@dataclass(frozen=True)
class Outcome:
    """How the resolve stands: resolved (``dossier``), or still waiting for the leader (``signing``)."""

    signing: ResultSigning
    dossier: Dossier | None = None


def is_on() -> bool:
    return registry.remote_signer() is not None


def _b(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _u(value: str) -> bytes:
    return base64.b64decode(value)


def _tx_json(tx: SigningTx) -> dict[str, Any]:
    p, c = tx.prepared, tx.cert
    return {
        "id": tx.id,
        "cert": {
            "user_id": c.user_id,
            "serial_number": c.serial_number,
            "der": _b(c.cert_der),
            "chain": [_b(d) for d in c.chain_der],
        },
        "prepared": {
            "pdf": _b(p.pdf),
            "digest": _b(p.document_digest),
            "start": p.region_start,
            "end": p.region_end,
            "attrs": _b(p.signed_attrs_der),
        },
    }


def _tx_of(row: ResultSigning) -> SigningTx:
    data, c, p = row.tx, row.tx["cert"], row.tx["prepared"]
    cert = SignerCert(c["user_id"], c["serial_number"], _u(c["der"]), tuple(_u(d) for d in c["chain"]))
    prepared = Prepared(_u(p["pdf"]), _u(p["digest"]), p["start"], p["end"], _u(p["attrs"]))
    return SigningTx(id=data["id"], state=TxState(row.state), cert=cert, prepared=prepared)


def _unavailable(exc: transport.IntegrationError) -> ServiceError:
    if isinstance(exc, transport.Rejected):
        return SigningUnavailable(
            _("The signing service refused the request (%(detail)s).") % {"detail": exc.detail},
            code="signing_refused",
        )
    return SigningUnavailable()


def _start(
    signer: RemoteSigner, actor: User, dossier: Dossier, source: StoredFile, command: commands.Resolve
) -> ResultSigning:
    with source.blob.open("rb") as f:
        pdf = f.read()
    try:
        certs = signer.certificates(actor.username, full_name=actor.full_name)
        if not certs:
            raise Conflict(_("The signing service has no certificate for you."), code="no_certificate")
        where = dossier.current_agency.name if dossier.current_agency_id else ""
        tx = signer.request_signature(
            pdf, certs[0], appearance=Appearance(REASON, where, dossier_code=dossier.code or "")
        )
    except transport.IntegrationError as exc:
        raise _unavailable(exc) from exc
    except ValueError as exc:  # not a PDF pyHanko can read
        raise Conflict(_("The result file is not a PDF that can be signed."), code="not_signable") from exc
    with transaction.atomic():
        # Two leaders (or two clicks) at once: the dossier's row lock lets only one request stand.
        Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).first()
        if pending(dossier.pk) is not None:
            raise Conflict(
                _(
                    "Another result of this dossier is waiting to be signed; confirm or reject it in the signing app first."
                ),
                code="signing_pending",
            )
        return _record(actor, dossier, source, command, tx)


def _record(
    actor: User, dossier: Dossier, source: StoredFile, command: commands.Resolve, tx: SigningTx
) -> ResultSigning:
    return ResultSigning.objects.create(
        dossier=dossier,
        requested_by=actor,
        requested_at=timezone.now(),
        outcome=command.outcome,
        note=command.note,
        source_file=source,
        tran_code=tx.id,
        tx=_tx_json(tx),
    )


def _finish(row: ResultSigning, tx: SigningTx, actor: User) -> Dossier:
    """Verify the signed PDF, store it, resolve the dossier: all or nothing."""
    verifier = registry.signature_verifier()
    if tx.signed_pdf is None or verifier is None:
        raise SigningUnavailable()
    try:
        reports = verifier.verify(tx.signed_pdf)
    except transport.IntegrationError as exc:
        raise _unavailable(exc) from exc
    good = [r for r in reports if r.valid]
    if not good:
        _close(row, SigningState.FAILED, "; ".join(r.problem for r in reports) or "no signature")
        raise Conflict(
            _("The signed result did not verify; the dossier stays in processing. Please sign again."),
            code="signature_invalid",
        )
    with transaction.atomic():
        locked = ResultSigning.objects.select_for_update().get(pk=row.pk)
        if locked.state != SigningState.PENDING:
            raise Conflict(_("This signing request has already been handled."), code="signing_handled")
        name = f"ket-qua-{row.dossier.code or row.dossier_id}-da-ky.pdf"
        signed = store_upload(
            actor=actor, name=name, stream=io.BytesIO(tx.signed_pdf), size=len(tx.signed_pdf)
        )
        locked.state, locked.signed_file, locked.finished_at = SigningState.SIGNED, signed, timezone.now()
        locked.signer, locked.tx = good[0].signer[:200], {}  # the prepared copy is no longer needed
        locked.save()
        command = commands.Resolve(outcome=locked.outcome, note=locked.note, result_file_id=str(signed.id))
        return services.act(actor=actor, dossier_id=row.dossier_id, command=command)


def _close(row: ResultSigning, state: SigningState, message: str) -> None:
    row.state, row.message, row.finished_at, row.tx = state, message[:300], timezone.now(), {}
    row.save(update_fields=["state", "message", "finished_at", "tx"])


def pending(dossier_id: int) -> ResultSigning | None:
    return ResultSigning.objects.filter(dossier_id=dossier_id, state=SigningState.PENDING).first()


def latest(dossier_id: int) -> ResultSigning | None:
    return ResultSigning.objects.filter(dossier_id=dossier_id).first()


def resolve(*, actor: User, dossier_id: int, command: commands.Resolve, wait: float | None = None) -> Outcome:
    """Resolve with a signed result. ``wait`` seconds for the leader's confirmation (default from
    the settings); answers the dossier once resolved, or the pending request."""
    signer = registry.remote_signer()
    if signer is None:
        raise Conflict(_("No signing service is configured."), code="signing_off")
    dossier, source = services.check_resolve(actor=actor, dossier_id=dossier_id, command=command)
    row = pending(dossier_id)
    if row is not None and row.source_file_id != source.id:
        raise Conflict(
            _(
                "Another result of this dossier is waiting to be signed; confirm or reject it in the signing app first."
            ),
            code="signing_pending",
        )
    if row is None:
        row = _start(signer, actor, dossier, source, command)
    deadline = time.monotonic() + (settings.MOTCUA_SIGNING_WAIT_SECONDS if wait is None else wait)
    tx = _tx_of(row)
    while True:
        try:
            tx = signer.poll(tx)
        except transport.IntegrationError as exc:
            raise _unavailable(exc) from exc
        if tx.state is TxState.SIGNED:
            return Outcome(row, _finish(row, tx, actor))
        if tx.state is TxState.REJECTED:
            _close(row, SigningState.REJECTED, tx.message)
            raise Conflict(
                _("Signing was rejected in the signing app; the dossier stays in processing."),
                code="signing_rejected",
            )
        if tx.state is TxState.EXPIRED:
            _close(row, SigningState.EXPIRED, tx.message)
            raise Conflict(
                _(
                    "The signing request expired before it was confirmed; the dossier stays in processing. "
                    "Resolve again to send a new request."
                ),
                code="signing_expired",
            )
        if time.monotonic() >= deadline:
            return Outcome(row)
        time.sleep(POLL_EVERY)


@dataclass(frozen=True)
class Verdict:
    valid: bool
    signer: str
    signed_at: Any
    dossier_code: str


def verify_result(data: bytes) -> Verdict:
    """The public check of a result file: valid only when a signature is intact, covers the whole
    file and chains to a trusted root. Content-checked as a PDF; raises InvalidInput otherwise."""
    from motcua.core.errors import InvalidInput
    from motcua.files import sniff

    if not data:
        raise InvalidInput(fields={"file": [_("The file is empty.")]})
    if len(data) > settings.MOTCUA_MAX_UPLOAD_BYTES:
        raise InvalidInput(code="file_too_large", fields={"file": [_("The file is too large.")]})
    if sniff.detect(data[:8192], data) != "application/pdf":
        raise InvalidInput(
            code="file_type_not_allowed", fields={"file": [_("Only a PDF file can be checked.")]}
        )
    verifier = registry.signature_verifier() or registry.uploaded_result_verifier()
    if verifier is None:
        raise SigningUnavailable(_("No signing service is configured, so results cannot be checked."))
    try:
        reports = verifier.verify(data)
    except transport.IntegrationError as exc:
        raise _unavailable(exc) from exc
    best = next((r for r in reports if r.valid), reports[0] if reports else None)
    if best is None:
        return Verdict(False, "", None, "")
    return Verdict(best.valid, best.signer, best.signed_at, best.dossier_code)
