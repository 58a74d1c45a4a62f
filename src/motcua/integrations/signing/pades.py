"""PAdES with pyHanko, split for a remote signer (hash signing).

``prepare`` adds a signature field and placeholder to the PDF and computes the CMS signed attributes
over its byte range; the remote service signs the SHA-256 of those attributes (``to_be_signed``);
``finish`` wraps the returned raw signature in a CMS and writes it into the placeholder. ``verify``
checks every signature of a PDF against explicit trust roots only. Plain Python: no Django.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from datetime import datetime

from asn1crypto import cms, x509
from asn1crypto.parser import parse as parse_der
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.integrations.signing.ports import Appearance, Prepared, SignatureReport, SignerCert

FIELD = "KetQuaGiaiQuyet"
MD = "sha256"
# The reason names the dossier; verification reads the code back from it.
CODE_MARK = "Mã hồ sơ: "
_CODE = re.compile(re.escape(CODE_MARK) + r"(\S+)")


def reason_text(appearance: Appearance) -> str:
    if not appearance.dossier_code:
        return appearance.reason
    return f"{appearance.reason} — {CODE_MARK}{appearance.dossier_code}"


def _external(cert: SignerCert, signature_value: bytes | int) -> signers.ExternalSigner:
    certs = [x509.Certificate.load(der) for der in cert.chain_der]
    return signers.ExternalSigner(
        signing_cert=x509.Certificate.load(cert.cert_der),
        cert_registry=SimpleCertificateStore.from_certs(certs),
        signature_value=signature_value,
        embed_roots=False,
    )


async def _prepare(pdf: bytes, cert: SignerCert, appearance: Appearance) -> Prepared:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    # A placeholder as long as the key's signatures, and a tight estimate of the CMS: a verifier reads
    # the /Contents placeholder token by token, so a roomy one (16 KB) cost ~150 ms to read back.
    key_bytes = (x509.Certificate.load(cert.cert_der).public_key.bit_size + 7) // 8
    external = _external(cert, key_bytes)
    meta = signers.PdfSignatureMetadata(
        tight_size_estimates=True,
        field_name=FIELD,
        md_algorithm=MD,
        reason=reason_text(appearance),
        location=appearance.location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(meta, signer=external)
    output = io.BytesIO()
    digest, _tbs, _out = await pdf_signer.async_digest_doc_for_signing(writer, output=output)
    attrs = await external.signed_attrs(digest.document_digest, MD, use_pades=True)
    return Prepared(
        pdf=output.getvalue(),
        document_digest=digest.document_digest,
        region_start=digest.reserved_region_start,
        region_end=digest.reserved_region_end,
        signed_attrs_der=attrs.dump(),
    )


def prepare(pdf: bytes, cert: SignerCert, appearance: Appearance) -> Prepared:
    """The PDF with its placeholder and the signed attributes; raises ValueError for a broken PDF."""
    try:
        return asyncio.run(_prepare(pdf, cert, appearance))
    except ValueError:
        raise
    except Exception as exc:  # pyHanko's reader raises its own errors for a file that is not a PDF
        raise ValueError(f"cannot prepare the PDF: {type(exc).__name__}") from exc


def to_be_signed(prepared: Prepared) -> bytes:
    """What the remote service signs: the SHA-256 of the DER signed attributes."""
    return hashlib.sha256(prepared.signed_attrs_der).digest()


async def _finish(prepared: Prepared, cert: SignerCert, signature_value: bytes) -> bytes:
    external = _external(cert, signature_value)
    attrs = cms.CMSAttributes.load(prepared.signed_attrs_der)
    container = await external.async_sign_prescribed_attributes(MD, signed_attrs=attrs)
    output = io.BytesIO(prepared.pdf)
    digest = PreparedByteRangeDigest(prepared.document_digest, prepared.region_start, prepared.region_end)
    await PdfTBSDocument.async_finish_signing(output, digest, container)
    return output.getvalue()


def finish(prepared: Prepared, cert: SignerCert, signature_value: bytes) -> bytes:
    """The signed PDF: the service's raw signature wrapped in a CMS, in the placeholder."""
    return asyncio.run(_finish(prepared, cert, signature_value))


def _signer_name(status: object) -> str:
    cert = getattr(status, "signing_cert", None)
    if cert is None:
        return ""
    name = cert.subject.native
    return str(name.get("common_name") or cert.subject.human_friendly)


def _padding_is_clean(sig: object) -> bool:
    """The placeholder after the CMS is zeros: a byte changed there is outside the byte range and the
    CMS, so pyHanko would not notice it; we count any change to the file as an alteration."""
    contents = bytes(sig.sig_object["/Contents"])  # type: ignore[attr-defined]
    _cls, _method, _tag, header, body, trailer = parse_der(contents)
    return not contents[len(header) + len(body) + len(trailer) :].strip(b"\0")


def verify(pdf: bytes, trust_roots: list[bytes]) -> list[SignatureReport]:
    """Every signature of the PDF, checked against ``trust_roots`` (DER) and nothing else. A file
    pyHanko cannot read has no signatures."""
    roots = [x509.Certificate.load(der) for der in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 — any unreadable file is simply not a signed result
        return []
    reports = []
    for sig in embedded:
        reason = str(sig.sig_object.get("/Reason", ""))
        found = _CODE.search(reason)
        code = found.group(1) if found else ""
        signed_at: datetime | None = None
        try:
            signed_at = sig.self_reported_timestamp
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            status = validate_pdf_signature(sig, signer_validation_context=context)
            clean = _padding_is_clean(sig)
        except Exception as exc:  # noqa: BLE001 — a damaged signature is an invalid one
            reports.append(SignatureReport(False, "", signed_at, code, problem=type(exc).__name__))
            continue
        covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and clean
        valid = bool(status.intact and status.valid and status.trusted and covers)
        problem = "" if valid else ("not the whole file" if not covers else "not intact or not trusted")
        reports.append(SignatureReport(valid, _signer_name(status), signed_at, code, problem=problem))
    return reports
