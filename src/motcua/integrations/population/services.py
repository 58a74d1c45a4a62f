"""Writes for population look-ups: call the registry and keep the audit row, whatever happened.

The personal ID asked for is never logged and is stored only as a keyed hash (HMAC-SHA256 with
SECRET_KEY): an auditor holding a number can find its look-ups; nobody can read them off the table.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput, ServiceError
from motcua.integrations import transport
from motcua.integrations.models import LookupOutcome, PopulationLookup
from motcua.integrations.population.places import address_text
from motcua.integrations.population.ports import CitizenQuery, CitizenRecord
from motcua.integrations.registry import population_registry

if TYPE_CHECKING:
    from motcua.dossiers.commands import Applicant
    from motcua.dossiers.models import Dossier

log = logging.getLogger(__name__)


class RegistryOff(ServiceError):
    status = 503
    code = "registry_not_connected"
    default_message = _("The National Population Database is not connected.")


class RegistryUnavailable(ServiceError):
    status = 503
    code = "registry_unavailable"
    default_message = _(
        "The National Population Database cannot be reached right now. Please try again later or enter "
        "the applicant's details by hand."
    )


class CitizenNotFound(ServiceError):
    status = 404
    code = "citizen_not_found"
    default_message = _(
        "The National Population Database has no citizen with this personal ID, name and date of birth."
    )


def id_number_hash(id_number: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), id_number.encode(), hashlib.sha256).hexdigest()


def lookup_citizen(*, officer: User, query: CitizenQuery) -> PopulationLookup:
    """Ask the registry and record the call. The row's ``outcome`` says what happened; raises
    ``RegistryOff`` (nothing is called, nothing recorded) when the registry is not configured."""
    registry = population_registry()
    if registry is None:
        raise RegistryOff()
    request_id = f"MC{uuid.uuid4().hex}"[:40]
    row = PopulationLookup(
        officer=officer,
        at=timezone.now(),
        request_id=request_id,
        id_number_hash=id_number_hash(query.id_number),
    )
    try:
        record = registry.lookup(query, request_id=request_id, officer_code=officer.username[:20])
    except transport.Rejected as exc:
        row.outcome, detail = LookupOutcome.REJECTED, exc.detail
    except transport.Unavailable as exc:
        row.outcome, detail = LookupOutcome.UNAVAILABLE, exc.detail
    else:
        row.outcome = LookupOutcome.FOUND if record is not None else LookupOutcome.NOT_FOUND
        row.record = record.as_dict() if record is not None else None
        detail = ""
    row.save()
    log.info(
        "population lookup %s by user %s: %s%s (id hash %s…)",
        request_id,
        officer.pk,
        row.outcome,
        f" ({detail})" if detail else "",
        row.id_number_hash[:12],
    )
    return row


def raise_unless_found(row: PopulationLookup) -> CitizenRecord:
    """The record of a look-up that found one; the error to show for any other outcome."""
    if row.outcome == LookupOutcome.FOUND and row.record:
        return CitizenRecord.from_dict(row.record)
    if row.outcome == LookupOutcome.NOT_FOUND:
        raise CitizenNotFound()
    raise RegistryUnavailable()


def filled_applicant(applicant: Applicant, record: CitizenRecord) -> Applicant:
    """The applicant with its blank fields taken from the registry's record; what was typed stays."""
    return replace(
        applicant,
        full_name=applicant.full_name or record.full_name,
        id_number=applicant.id_number or record.id_number,
        address=applicant.address
        or address_text(record.current_address)
        or address_text(record.permanent_address),
    )


def attach_dossier(*, lookup: PopulationLookup, dossier: Dossier) -> None:
    """Give the look-up to this dossier, if no other dossier took it since it was checked. A conditional
    UPDATE, so that of two dossiers racing for one look-up exactly one gets it; the other's transaction
    is rolled back by the 400."""
    taken = PopulationLookup.objects.filter(pk=lookup.pk, dossier__isnull=True).update(dossier=dossier)
    if not taken:
        raise InvalidInput(fields={"population_lookup_id": [_("Another dossier has used this look-up.")]})
    lookup.dossier = dossier
