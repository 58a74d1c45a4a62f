"""The dashboard for leaders and supervisors (/dieu-hanh/): the index by group with its band, the
ranking of the units under the agency, the monthly trend, fees paid by channel, the overdue list, and
exports.

Figures come from the roll-ups (``selectors``), which the worker keeps current: the page only reads
them and says when they were last brought up to date; it never counts while the reader waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.accounts.permissions import is_admin
from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.core.errors import Forbidden, InvalidInput
from motcua.core.replica import reads_from_replica
from motcua.dossiers.models import Dossier, OrderChannel
from motcua.monitoring import index as engine
from motcua.monitoring import measures, query, selectors
from motcua.monitoring.api import index_payload
from motcua.monitoring.rollup import ONLINE_PAYMENT_CHANNELS, PAID_CHANNELS, counted_until
from motcua.web import pickers, presenters

OVERDUE_LIMIT = 50

# What the dashboard calls each channel an order is paid through (rollup.PAID_CHANNELS).
CHANNEL_LABELS = {
    OrderChannel.NATIONAL_PORTAL: gettext_lazy("Payment platform of the national public service portal"),
    OrderChannel.LOCAL_GATEWAY: gettext_lazy("Provincial payment gateway"),
    OrderChannel.VIETQR: gettext_lazy("Bank transfer (VietQR)"),
    OrderChannel.COUNTER: gettext_lazy("At the one-stop counter (cash or card)"),
}


def _dossier_url(dossier_id: int) -> str:
    try:
        return reverse("backoffice:dossier", args=[dossier_id])
    except NoReverseMatch:
        return f"/api/v1/dossiers/{dossier_id}"


def _choices(user: Any) -> list[Agency]:
    qs = Agency.objects.exclude(kind=AgencyKind.CENTRE).order_by("path")
    if not is_admin(user):
        qs = qs.filter(path__startswith=user.agency.path)
    return list(qs)


def _agency_select(user: Any, chosen: Agency) -> str:
    """The agency filter: grouped, with the search box of static/motcua/forms.js."""
    attrs = {"id": "agency", "class": "form-select form-select-sm", **pickers.search_attrs()}
    widget = forms.Select(attrs=attrs, choices=pickers.agency_choices(_choices(user)))
    return widget.render("agency", chosen.code)


def _points(group: engine.GroupScore) -> tuple[Decimal, Decimal]:
    """(points scored, points that can be scored) of a group: over its indicators that have data,
    each capped at the group's maximum."""
    scored = [i for i in group.indicators if i.score is not None]
    return (
        min(group.max_points, sum((i.score or Decimal(0) for i in scored), Decimal(0))),
        min(group.max_points, sum((i.max_points for i in scored), Decimal(0))),
    )


def _unit_row(unit: selectors.UnitIndex) -> dict[str, Any]:
    result = unit.result
    partial = engine.partial_total(result)
    available = sum((_points(g)[1] for g in result.groups), Decimal(0))
    most = sum((g.max_points for g in result.groups), Decimal(0))
    return {
        "agency": unit.agency,
        "received": unit.received,
        "total": result.total,
        "band": result.band,
        "partial": partial,
        "available": available,
        "max": most,
        "missing": most - available,  # points whose indicators have no data source yet
        "share": (partial / available * 100) if available else None,
        "groups": {g.code: g.score for g in result.groups},
    }


def _groups(result: engine.IndexResult) -> list[dict[str, Any]]:
    """Each group's points for the score card and the chart: its score, or (when some of its
    indicators have no data source) the points of those that have, over the points they can earn."""
    out = []
    for g in result.groups:
        partial, available = _points(g)
        out.append(
            {
                "name": g.name,
                "score": g.score,
                "max": g.max_points,
                "partial": partial,
                "available": available,
            }
        )
    return out


def _petitions(t: measures.PetitionTally) -> dict[str, Any]:
    """The PAKN classification shares the 766 page reports (procedure vs staff conduct)."""
    share = (lambda n: Decimal(n) * 100 / t.received) if t.received else (lambda n: None)
    return {
        "received": t.received,
        "procedure": t.procedure,
        "staff_conduct": t.staff_conduct,
        "procedure_share": share(t.procedure),
        "staff_share": share(t.staff_conduct),
    }


def _payments(total: Mapping[str, int], index: engine.IndexResult) -> dict[str, Any]:
    """The dossiers received in the period with a fee, those paid through each channel with their share of
    them, and how many of them the index counts as paid online (``online_paid``)."""
    with_fee = total.get("with_fee", 0)
    online_paid = next(i for g in index.groups for i in g.indicators if i.code == "online_paid")
    return {
        "with_fee": with_fee,
        "index_online": online_paid.numerator,
        "channels": [
            {
                "label": CHANNEL_LABELS[c],
                "paid": total.get(f"paid_{c.value}", 0),
                "share": Decimal(total.get(f"paid_{c.value}", 0)) * 100 / with_fee if with_fee else None,
                "online": c in ONLINE_PAYMENT_CHANNELS,
            }
            for c in PAID_CHANNELS
        ],
    }


def _overdue_rows(dossiers: list[Dossier]) -> list[dict[str, Any]]:
    """Each overdue dossier with how late it is in working time (to where its clock stopped, if it
    is waiting for the applicant) and what it waits for."""
    calendar = get_calendar()
    now = timezone.now()
    return [
        {
            "dossier": d,
            "url": _dossier_url(d.pk),
            "late": presenters.working_duration(presenters.overdue_by(d, calendar, now), calendar.day_length),
            "waiting": presenters.waiting_for(d.status, for_citizen=False) if d.paused_at else "",
        }
        for d in dossiers
    ]


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not query.may_monitor(user):
        raise PermissionDenied
    try:
        asked = query.parse(user, request.GET)
        error = ""
    except (InvalidInput, Forbidden) as exc:
        today = timezone.localdate()
        home = query.home_agency(user)
        if home is None:
            raise PermissionDenied from exc
        asked = query.Query(home, today.replace(month=1, day=1), today)
        error = str(exc.message) if not exc.fields else " ".join(m for ms in exc.fields.values() for m in ms)
    whole, units = selectors.service_index(asked.agency, asked.start, asked.end, units=True)
    months, months_total = selectors.settlement_report(asked.agency, asked.start, asked.end, "month")
    rows = [_unit_row(u) for u in units if u.received]  # a unit with no dossier has nothing to rank
    idle = [u.agency for u in units if not u.received and u.agency.kind != AgencyKind.CENTRE]
    rows.sort(key=lambda r: (-(r["share"] or Decimal(-1)), r["agency"].code))
    departments = [r for r in rows if r["agency"].kind != AgencyKind.COMMUNE]
    communes = [r for r in rows if r["agency"].kind == AgencyKind.COMMUNE]
    overdue = _overdue_rows(selectors.overdue_list(asked.agency, limit=OVERDUE_LIMIT))
    params = {"agency": asked.agency.code, "from": asked.start.isoformat(), "to": asked.end.isoformat()}
    payload = index_payload(whole, asked.start, asked.end)
    groups = _groups(whole.result)
    chart = {
        "groups": [
            {
                "name": g["name"],
                "score": None if g["score"] is None else float(g["score"]),
                "partial": float(g["partial"]),
                "max": float(g["max"]),
            }
            for g in groups
        ],
        "months": [
            {
                "label": m.label,
                "online": m.values["received_online"],
                "counter": m.values["received_counter"],
                "post": m.values["received_post"],
                "resolved": m.values["resolved_total"],
                "on_time": m.values["resolved_early"] + m.values["resolved_on_time"],
                "late": m.values["resolved_late"],
            }
            for m in months
        ],
    }
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "query": asked,
            "counted_until": counted_until(),
            "error": error,
            "agency_select": _agency_select(user, asked.agency),
            "index": payload,
            "whole": _unit_row(whole),
            "petitions": _petitions(whole.petitions),
            "groups": groups,
            "departments": departments,
            "communes": communes,
            "idle": idle,
            "months": months,
            "payments": _payments(months_total, whole.result),
            "overdue": overdue,
            "overdue_limit": OVERDUE_LIMIT,
            "chart": chart,
            "export_xlsx": "/api/v1/reports/dossiers?"
            + urlencode({**params, "group_by": "agency", "format": "xlsx"}),
            "export_csv": "/api/v1/reports/dossiers?"
            + urlencode({**params, "group_by": "agency", "format": "csv"}),
            "export_months": "/api/v1/reports/dossiers?"
            + urlencode({**params, "group_by": "month", "format": "xlsx"}),
            "export_procedures": "/api/v1/reports/dossiers?"
            + urlencode({**params, "group_by": "procedure", "format": "xlsx"}),
            "presets": _presets(asked.agency.code),
        },
    )


def _presets(code: str) -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    month_start = today.replace(day=1)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    out = []
    for label, start in (
        (_("This year"), today.replace(month=1, day=1)),
        (_("This quarter"), quarter_start),
        (_("This month"), month_start),
    ):
        out.append(
            (label, "?" + urlencode({"agency": code, "from": start.isoformat(), "to": today.isoformat()}))
        )
    last_year = today.year - 1
    out.append(
        (
            _("Last year"),
            "?" + urlencode({"agency": code, "from": f"{last_year}-01-01", "to": f"{last_year}-12-31"}),
        )
    )
    return out
