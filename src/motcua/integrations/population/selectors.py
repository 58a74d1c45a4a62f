"""Reads of the population look-ups."""

from __future__ import annotations

import uuid

from motcua.accounts.models import User
from motcua.integrations.models import LookupOutcome, PopulationLookup
from motcua.integrations.population.ports import CitizenRecord


def found_lookup(*, user: User, lookup_id: str | uuid.UUID) -> PopulationLookup | None:
    """The look-up ``user`` made that found a citizen and no dossier has used yet, or None."""
    try:
        key = lookup_id if isinstance(lookup_id, uuid.UUID) else uuid.UUID(str(lookup_id))
    except ValueError:
        return None
    return (
        PopulationLookup.objects.filter(
            lookup_id=key, officer=user, outcome=LookupOutcome.FOUND, dossier__isnull=True
        )
        .exclude(record__isnull=True)
        .first()
    )


def record_of(lookup: PopulationLookup) -> CitizenRecord:
    return CitizenRecord.from_dict(dict(lookup.record or {}))
