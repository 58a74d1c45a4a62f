"""Reads for the procedure catalog."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep, VersionStatus
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
    qs = matching(ProcedureVersion.objects.filter(status=VersionStatus.CURRENT), search)
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


def matching(qs: QuerySet[ProcedureVersion], search: str | None) -> QuerySet[ProcedureVersion]:
    """Versions whose code, name or field hold every word searched, ignoring diacritics and case."""
    for word in fold(search or "").split(" ")[:10]:
        if word:
            qs = qs.filter(search_text__contains=word)
    return qs


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
    return version.implementing_agencies.filter(in_force(on)).order_by("path")


def in_force(day: date | None = None) -> Q:
    """Agencies in force on the day (today by default)."""
    day = day or timezone.localdate()
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def province_communes(agency: Agency) -> QuerySet[Agency]:
    """Every commune People's Committee in force in the agency's province (the top of its tree)."""
    province = agency.path.strip("/").split("/")[0]
    return Agency.objects.filter(in_force(), kind=AgencyKind.COMMUNE, path__startswith=f"/{province}/")


def procedures_for_admin() -> QuerySet[Procedure]:
    """Procedures with what the catalog manager looks for: the name, agency, field and level of the
    version in force (of the draft for a procedure never published), and whether a draft waits."""
    shown = (
        ProcedureVersion.objects.filter(procedure=OuterRef("pk"))
        .exclude(status=VersionStatus.RETIRED)
        .order_by("status")  # "current" before "draft"
    )
    return Procedure.objects.annotate(
        name=Subquery(shown.values("name")[:1]),
        agency_name=Subquery(shown.values("agency__name")[:1]),
        field=Subquery(shown.values("field")[:1]),
        level=Subquery(shown.values("level")[:1]),
        current_number=Subquery(
            ProcedureVersion.objects.filter(procedure=OuterRef("pk"), status=VersionStatus.CURRENT).values(
                "number"
            )[:1]
        ),
        has_draft=Exists(
            ProcedureVersion.objects.filter(procedure=OuterRef("pk"), status=VersionStatus.DRAFT)
        ),
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
