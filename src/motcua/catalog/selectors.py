"""Reads for the procedure catalog."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, ProcessStep, VersionStatus
from motcua.core.errors import NotFound
from motcua.core.text import fold


def _with_details(qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return qs.select_related("procedure", "agency").prefetch_related(
        "required_documents",
        "implementing_agencies",
        Prefetch("steps", queryset=ProcessStep.objects.select_related("agency")),
    )


def procedure_list(
    *,
    search: str | None = None,
    agency_code: str | None = None,
    field: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
) -> QuerySet[ProcedureVersion]:
    """Procedures in force. ``search`` ignores diacritics and case ("dang ky khai sinh");
    ``agency`` takes the agency and everything under it."""
    qs = ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)
    if search and (key := fold(search)):
        for word in key.split(" ")[:10]:
            qs = qs.filter(search_text__contains=word)
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        qs = qs.filter(agency__path__startswith=agency.path) if agency else qs.none()
    if field:
        qs = qs.filter(field=field)
    if level:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return _with_details(qs).order_by("procedure__code")


def procedure_get(code: str, *, version: int | None = None) -> ProcedureVersion:
    qs = ProcedureVersion.objects.filter(procedure__code=code)
    qs = qs.filter(number=version) if version is not None else qs.filter(status=VersionStatus.CURRENT)
    found = _with_details(qs).first()
    if found is None:
        raise NotFound()
    return found


def procedure_versions(code: str) -> QuerySet[ProcedureVersion]:
    qs = _with_details(ProcedureVersion.objects.filter(procedure__code=code)).order_by("-number")
    if not qs.exists():
        raise NotFound()
    return qs


def implementing_agencies(version: ProcedureVersion, *, on: date | None = None) -> QuerySet[Agency]:
    """The agencies that settle this version (cơ quan thực hiện) and are in force on the day (today by
    default), in the order of the agency tree: those a dossier of it may be resolved by. The
    version's own ``agency`` is the default among them (contract §3)."""
    day = on or timezone.localdate()
    return (
        version.implementing_agencies.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("path")
    )


def fields_with_counts() -> list[tuple[str, int]]:
    """Lĩnh vực and how many procedures in force each has, for browsing."""
    from django.db.models import Count

    rows = (
        ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)
        .values("field")
        .annotate(n=Count("id"))
        .order_by("field")
    )
    return [(r["field"], r["n"]) for r in rows]


def current_versions_for_export() -> QuerySet[ProcedureVersion]:
    return _with_details(ProcedureVersion.objects.filter(status=VersionStatus.CURRENT)).order_by(
        "procedure__code"
    )
