"""Who may see which agency's figures, and the parsing of a monitoring request.

Staff (receivers, specialists, leaders, supervisors) see the agency they belong to and everything
under it; administrators see every agency; citizens see none. The API and the dashboard both ask
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import STAFF_ROLES
from motcua.agencies.models import Agency
from motcua.core.errors import Forbidden, InvalidInput

GROUP_BY = ("agency", "procedure", "month")


@dataclass(frozen=True)
class Query:
    agency: Agency
    start: date
    end: date


def may_monitor(user: Any) -> bool:
    return is_admin(user) or (
        getattr(user, "is_authenticated", False) and user.role in STAFF_ROLES and user.agency_id is not None
    )


def home_agency(user: Any) -> Agency | None:
    if user.agency_id is not None:
        return user.agency
    return Agency.objects.filter(parent__isnull=True).order_by("path").first()


def _date(name: str, raw: str | None, default: date) -> date:
    if raw is None or raw == "":
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(fields={name: [_("Use a date in the form YYYY-MM-DD.")]}) from exc


def parse(user: Any, params: Any) -> Query:
    """agency (default: the caller's own), from (default 1 January), to (default today)."""
    if not may_monitor(user):
        raise Forbidden(_("Only staff and administrators can see monitoring figures."))
    code = (params.get("agency") or "").strip()
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise InvalidInput(fields={"agency": [_("Unknown agency %(code)s.") % {"code": code}]})
    else:
        agency = home_agency(user)
        if agency is None:
            raise InvalidInput(fields={"agency": [_("Give an agency code.")]})
    if not is_admin(user) and not agency.path.startswith(user.agency.path):
        raise Forbidden(_("You may only see the figures of your agency and the agencies under it."))
    today = timezone.localdate()
    start = _date("from", params.get("from"), today.replace(month=1, day=1))
    end = _date("to", params.get("to"), today)
    if start > end:
        raise InvalidInput(fields={"to": [_("The end of the period is before its start.")]})
    if start.year < 2000 or end.year > today.year + 1:
        raise InvalidInput(fields={"from": [_("The period is out of range.")]})
    return Query(agency, start, end)


def parse_group_by(raw: str | None) -> str:
    value = raw or "agency"
    if value not in GROUP_BY:
        raise InvalidInput(fields={"group_by": [_("Use agency, procedure or month.")]})
    return value
