"""Taking in dossiers from the national channels (integrations.md §5, §10.2 item 5).

``create_external`` is the one door, for the pushes (``api``) and the pull (``pull``): idempotent on
(source, national code), it maps the national procedure and agency through the effective-dated
``ProcedureMapping``, stores the files checked by content like any upload, and has
``dossiers.services.submit_from_channel`` create the dossier, ``submitted`` at the one-stop centre
that serves the mapped agency. A dossier delivered again is the same dossier; two deliveries at once
meet at the unique constraint, and the one that loses answers with the winner's dossier.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import identity
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.core.errors import InvalidInput
from motcua.dossiers import services as dossiers
from motcua.dossiers.commands import Applicant
from motcua.dossiers.models import Dossier
from motcua.files import services as files
from motcua.files.models import StoredFile
from motcua.integrations import registry
from motcua.integrations.inbound.ports import VNEID, InboundDossier, Unreadable
from motcua.integrations.models import ExternalDossier, ProcedureMapping

log = logging.getLogger("motcua.integrations.inbound")


class Refused(Exception):
    """The dossier cannot be taken; ``code`` for machines, ``message`` (translated) for the channel."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def digest(inbound: InboundDossier) -> str:
    return hashlib.sha256(repr(inbound).encode()).hexdigest()


def mapping_for(procedure_code: str, agency_code: str, day: date) -> ProcedureMapping | None:
    """The mapping in force on ``day``: the row naming the channel's agency before a row for any
    agency, then the one that started last."""
    rows = (
        ProcedureMapping.objects.filter(
            national_procedure_code=procedure_code,
            national_agency_code__in={agency_code, ""},
            valid_from__lte=day,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("procedure", "agency")
    )
    return max(rows, key=lambda r: (bool(r.national_agency_code), r.valid_from), default=None)


def _repeat(found: ExternalDossier, inbound: InboundDossier, sent: str) -> Dossier:
    ExternalDossier.objects.filter(pk=found.pk).update(deliveries=F("deliveries") + 1)
    if found.payload_digest != sent:  # TD updates; we keep the first and say so in the log
        log.warning("inbound %s:%s delivered again with other content; the first is kept", *_key(inbound))
    return found.dossier


def _existing(inbound: InboundDossier) -> ExternalDossier | None:
    return (
        ExternalDossier.objects.select_related("dossier")
        .filter(source=inbound.source, external_code=inbound.external_code)
        .first()
    )


def _key(inbound: InboundDossier) -> tuple[str, str]:
    return inbound.source, inbound.external_code


def create_external(inbound: InboundDossier) -> tuple[Dossier, bool]:
    """The dossier for ``inbound`` and whether it was created now (False: a re-delivery)."""
    sent = digest(inbound)
    found = _existing(inbound)
    if found is not None:
        return _repeat(found, inbound, sent), False
    now = timezone.now()
    day = timezone.localdate(min(inbound.submitted_at or now, now))
    mapping = mapping_for(inbound.procedure_code, inbound.agency_code, day)
    if mapping is None:
        raise Refused(
            "unknown_procedure",
            _("Procedure %(code)s (agency %(agency)s) is not handled by this province.")
            % {"code": inbound.procedure_code, "agency": inbound.agency_code or "—"},
        )
    version = (
        ProcedureVersion.objects.select_related("procedure")
        .filter(procedure=mapping.procedure, status=VersionStatus.CURRENT)
        .first()
    )
    if version is None:
        raise Refused(
            "unknown_procedure",
            _("Procedure %(code)s is not in force in this province.") % {"code": inbound.procedure_code},
        )
    a = inbound.applicant
    try:  # before any file is stored: a blob outlives a rolled-back row
        identity.check_applicant(a.kind, a.id_number)
    except identity.InvalidIdentifier as exc:
        raise Refused("invalid", f"applicant.id_number: {IDENTIFIER_MESSAGES[exc.reason]}") from exc
    try:
        with transaction.atomic():
            stored = [
                (f.code, f.name, _store(f.name, f.content)) for f in inbound.files
            ]  # rolled back with the dossier if it cannot be made
            with transaction.atomic():  # a savepoint: a concurrent delivery may have won
                dossier = dossiers.submit_from_channel(
                    version=version,
                    resolving=mapping.agency,
                    applicant=Applicant(a.kind, a.full_name, a.id_number, a.phone, a.email, a.address),
                    files=stored,
                    submitted_at=inbound.submitted_at,
                    vneid_verified=inbound.source == VNEID,
                    digest=sent,
                )
                ExternalDossier.objects.create(
                    source=inbound.source,
                    external_code=inbound.external_code,
                    national_procedure_code=inbound.procedure_code,
                    national_agency_code=inbound.agency_code,
                    dossier=dossier,
                    received_at=now,
                    payload_digest=sent,
                )
    except IntegrityError:  # a concurrent delivery of the same dossier committed first
        found = _existing(inbound)
        if found is None:
            raise
        return _repeat(found, inbound, sent), False
    except InvalidInput as exc:
        raise Refused("invalid", _refusal(exc)) from exc
    log.info("inbound %s:%s → dossier %s", *_key(inbound), dossier.pk)
    return dossier, True


def _store(name: str, content: bytes) -> StoredFile:
    return files.store_upload(actor=None, name=name, stream=io.BytesIO(content), size=len(content))


def _refusal(exc: InvalidInput) -> str:
    """One line naming each field that is wrong, for the channel's ``message``."""
    parts = [f"{field}: {' '.join(messages)}" for field, messages in exc.fields.items()]
    return "; ".join(parts) or str(exc.message)


@dataclass(frozen=True)
class Pulled:
    created: int = 0
    repeated: int = 0
    refused: int = 0


def pull() -> Pulled:
    """Take DVC liên thông's waiting dossiers (model C) and acknowledge each one taken. One refused
    (unknown procedure, unreadable) is not acknowledged: it stays on the channel's list, and is taken
    by a later pull once the procedure map knows it. An acknowledgement that fails is sent again at
    the next pull, which finds the dossier already here."""
    channel = registry.national_channel()
    if channel is None:
        return Pulled()
    created = repeated = refused = 0
    for item in channel.waiting():
        if isinstance(item, Unreadable):
            refused += 1
            log.warning("lienthong: an item of the list is unreadable (%s: %s)", item.field, item.message)
            continue
        try:
            _dossier, new = create_external(item)
        except Refused as exc:
            refused += 1
            log.warning("lienthong: %s refused (%s)", item.external_code, exc.code)
            continue
        created, repeated = created + new, repeated + (not new)
        channel.acknowledge(item.external_code)
    return Pulled(created, repeated, refused)
