"""Reads for petitions. ``visible_petitions`` decides who sees what among the staff; the public sees
only published answers, through ``published_petitions``, which never reads the sender's data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.petitions import lifecycle
from motcua.petitions.lifecycle import Status
from motcua.petitions.models import Petition, PetitionEvent


def deadlines() -> lifecycle.Deadlines:
    return lifecycle.Deadlines(**getattr(settings, "MOTCUA_PAKN_DEADLINES", {}))


def late_q(now: datetime) -> Q:
    """``lifecycle.timeliness`` "late" or "overdue" as one filter: a step was missed, or the petition is
    open and past its current deadline (a paused clock judged where it stopped)."""
    running = Q(paused_at__isnull=True, due_at__lt=now)
    stopped_late = Q(paused_at__isnull=False, paused_at__gt=F("due_at"))
    return Q(missed=True) | (Q(closed_at__isnull=True, due_at__isnull=False) & (running | stopped_late))


def visible_petitions(user: Any) -> QuerySet[Petition]:
    """Staff: what their agency holds, was first sent, or has worked on; supervisors everything under
    their agency; admins everything; a citizen the petitions they sent. Anyone else nothing."""
    qs = Petition.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_admin(user):
        return qs
    role, agency_id = user.role, user.agency_id
    if role == Role.CITIZEN:
        return qs.filter(submitter__user_id=user.pk)
    if agency_id is None:
        return qs.none()
    if role == Role.SUPERVISOR:
        path = user.agency.path
        return qs.filter(Q(agency__path__startswith=path) | Q(first_agency__path__startswith=path))
    if role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER):
        worked = PetitionEvent.objects.filter(agency_id=agency_id).values("petition_id")
        return qs.filter(Q(agency_id=agency_id) | Q(first_agency_id=agency_id) | Q(pk__in=worked))
    return qs.none()


def published_petitions(
    *, agency_code: str | None = None, about: str | None = None, search: str | None = None
) -> QuerySet[Petition]:
    """Published answers, newest first, searchable without diacritics. Only public columns are read."""
    qs = (
        Petition.objects.filter(status=Status.PUBLISHED)
        .select_related("agency")
        .only(
            "id",
            "code",
            "title",
            "content",
            "about",
            "status",
            "received_at",
            "answered_at",
            "published_at",
            "answer",
            "agency__code",
            "agency__name",
            "search",
        )
        .order_by(F("published_at").desc(), "-id")
    )
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if about:
        qs = qs.filter(about=about)
    folded = fold(search or "")
    if folded:
        qs = qs.filter(search__contains=folded)
    return qs


def petition_list(
    user: Any,
    *,
    status: str | None = None,
    agency_code: str | None = None,
    search: str | None = None,
) -> QuerySet[Petition]:
    qs = visible_petitions(user).select_related("agency", "submitter")
    if status:
        qs = qs.filter(status=status)
    if agency_code:
        qs = qs.filter(Q(agency__code=agency_code) | Q(first_agency__code=agency_code))
    folded = fold(search or "")
    if folded:
        qs = qs.filter(search__contains=folded)
    return qs


def queue(user: Any) -> QuerySet[Petition]:
    """The back-office queue: what the agency holds and must act on, overdue and due first."""
    if getattr(user, "agency_id", None) is None:
        return Petition.objects.none()
    open_statuses = [s.value for s in Status if s not in (Status.REFUSED, Status.PUBLISHED)]
    return (
        visible_petitions(user)
        .filter(agency_id=user.agency_id, status__in=open_statuses, closed_at__isnull=True)
        .select_related("agency")
        .order_by(F("due_at").asc(nulls_last=True), "received_at", "id")
    )


def petition_get(user: Any, petition_id: int) -> Petition:
    petition = (
        visible_petitions(user)
        .select_related("agency", "first_agency", "submitter", "procedure", "dossier")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise NotFound()
    return petition


def petition_events(user: Any, petition_id: int) -> QuerySet[PetitionEvent]:
    petition = petition_get(user, petition_id)
    return petition.events.select_related("actor", "agency").order_by("at", "id")


def published_get(code: str) -> Petition:
    petition = published_petitions().filter(code=code).first()
    if petition is None:
        raise NotFound()
    return petition


def timeliness_of(petition: Petition) -> lifecycle.Timeliness:
    return lifecycle.timeliness(
        status=Status(petition.status),
        publish_consent=petition.publish_consent,
        missed=petition.missed,
        due_at=petition.due_at,
        paused_at=petition.paused_at,
        now=timezone.now(),
    )
