"""The agency pickers (the back-office's forward form, the dashboard): agencies in the groups a person
looks for them in, and the words of the search box that static/motcua/forms.js puts above them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyKind

PROVINCE, DEPARTMENTS, COMMUNES, OTHERS = range(4)


def _group(agency: Agency, kinds: dict[str, str]) -> int:
    if agency.kind == AgencyKind.PROVINCE:
        return PROVINCE
    if agency.kind == AgencyKind.DEPARTMENT:
        return DEPARTMENTS
    if agency.kind == AgencyKind.COMMUNE:
        return COMMUNES
    if agency.kind == AgencyKind.CENTRE:
        # A service centre sits with the body it serves: the province's, or its commune's.
        parent = agency.path.strip("/").split("/")[-2:-1]
        return COMMUNES if parent and kinds.get(parent[0]) == AgencyKind.COMMUNE else PROVINCE
    return OTHERS


def agency_choices(agencies: Iterable[Agency]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(code, name)]) for a select's optgroups, each group in the order given (by
    code path: a commune's centre right after its commune); empty groups are left out."""
    agencies = list(agencies)
    kinds = {a.code: a.kind for a in agencies}
    labels = {
        PROVINCE: _("The province's own bodies and centres"),
        DEPARTMENTS: _("Departments and agencies"),
        COMMUNES: _("Communes and wards"),
        OTHERS: _("Other agencies"),
    }
    groups: dict[int, list[tuple[str, str]]] = {key: [] for key in labels}
    for agency in agencies:
        groups[_group(agency, kinds)].append((agency.code, agency.name))
    return [(labels[key], options) for key, options in groups.items() if options]


def search_attrs() -> dict[str, str]:
    """The data attributes that give a select its search box, in the reader's language."""
    return {
        "data-search": _("Find an agency"),
        "data-search-hint": _("Type a name; accents are optional"),
        "data-search-count": _("Matching agencies: {n}"),
        "data-search-none": _("No agency matches."),
    }
