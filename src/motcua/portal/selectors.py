"""Read-only helpers for the portal pages, on top of the catalog and dossier selectors."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.dossiers.models import Rating


def agencies_with_counts() -> list[tuple[str, str, int]]:
    """(code, name, procedures in force) for each agency that resolves at least one, for browsing."""
    rows = (
        ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)
        .values("agency__code", "agency__name", "agency__path")
        .annotate(n=Count("id"))
        .order_by("agency__path")
    )
    return [(r["agency__code"], r["agency__name"], r["n"]) for r in rows]


def is_rated(dossier_id: int) -> bool:
    return Rating.objects.filter(dossier_id=dossier_id).exists()


def rated_ids(dossier_ids: Iterable[int]) -> set[int]:
    return set(Rating.objects.filter(dossier_id__in=list(dossier_ids)).values_list("dossier_id", flat=True))
