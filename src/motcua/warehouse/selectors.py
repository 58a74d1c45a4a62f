"""Reads of the warehouse. An applicant's documents are theirs alone: a citizen sees the documents kept
under their own personal ID, and nobody else's — not even their existence (404)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from motcua.accounts.roles import Role
from motcua.core.text import fold
from motcua.warehouse.models import WarehouseDocument

OFFERS_PER_DOCUMENT = 5  # the newest few: an older copy of the same paper is rarely the one wanted


def documents_of(user: Any) -> QuerySet[WarehouseDocument]:
    """The warehouse of a citizen account (linked by its personal ID); empty for everyone else."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.CITIZEN or not user.id_number:
        return WarehouseDocument.objects.none()
    return WarehouseDocument.objects.filter(owner=user.id_number).order_by("-issued_at", "-id")


def owned(owner: str, ids: Iterable[int]) -> dict[int, WarehouseDocument]:
    """The documents among ``ids`` kept for ``owner`` (the applicant's personal ID or tax code)."""
    wanted = set(ids)
    if not owner or not wanted:
        return {}
    return {
        d.pk: d for d in WarehouseDocument.objects.filter(owner=owner, pk__in=wanted).select_related("file")
    }


def offers(user: Any, required: Sequence[Any]) -> dict[str, list[WarehouseDocument]]:
    """For each required document (by code), the citizen's warehouse documents that match it: the same
    document code first, then the same name without diacritics; the newest few of each. One query for
    the matching documents only, whatever the size of the warehouse."""
    if not required:
        return {}
    codes = {req.code for req in required}
    keys = {fold(req.name) for req in required}
    kept = list(
        documents_of(user)
        .filter(Q(code__in=codes) | Q(name_key__in=keys))
        .select_related("dossier")
        .only("id", "code", "name", "name_key", "source", "issued_at", "file_id", "dossier__code")
    )
    by_code: dict[str, list[WarehouseDocument]] = {}
    by_name: dict[str, list[WarehouseDocument]] = {}
    for doc in kept:  # newest first, as read
        by_code.setdefault(doc.code, []).append(doc)
        by_name.setdefault(doc.name_key, []).append(doc)
    out: dict[str, list[WarehouseDocument]] = {}
    for req in required:
        found = list(by_code.get(req.code, [])[:OFFERS_PER_DOCUMENT])
        seen = {d.pk for d in found}
        for doc in by_name.get(fold(req.name), []):
            if len(found) >= OFFERS_PER_DOCUMENT:
                break
            if doc.pk not in seen:
                found.append(doc)
                seen.add(doc.pk)
        if found:
            out[req.code] = found
    return out
