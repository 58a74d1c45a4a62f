"""Reads for agencies and administrative units."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.core.errors import NotFound


def agency_list(
    *, kind: str | None = None, parent_code: str | None = None, search: str | None = None
) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__istartswith=search))
    return qs.order_by("path")


def agency_get(code: str) -> Agency:
    agency = Agency.objects.select_related("parent", "successor", "admin_unit").filter(code=code).first()
    if agency is None:
        raise NotFound()
    return agency


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    """The agency and everything under it (a supervisor's scope)."""
    return Agency.objects.filter(path__startswith=agency.path)


def admin_unit_list(
    *, level: str | None = None, parent_code: str | None = None
) -> QuerySet[AdministrativeUnit]:
    qs = AdministrativeUnit.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("code")


def agency_names(codes: Iterable[str]) -> dict[str, str]:
    """code → name of the agencies named, in one query (the timeline names the agencies it went to)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(Agency.objects.filter(code__in=wanted).values_list("code", "name"))
