"""SIPAS writes: loading the questionnaire, creating a survey with its plan, paper forms, the
invitations of returned dossiers and the online answers saved page by page."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.agencies.models import Agency, AgencyKind
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.dossiers.models import Dossier
from motcua.sipas import engine, selectors
from motcua.sipas.models import (
    Channel,
    Element,
    Invitation,
    Item,
    Pillar,
    Questionnaire,
    Response,
    Survey,
    SurveyUnit,
)
from motcua.sipas.shape import ShapeError, check_answers, check_choices, check_questionnaire

DEFAULT_FORM = Path(__file__).resolve().parent / "data" / "questionnaire-2023-2026.json"
UNIT_KINDS = (AgencyKind.DEPARTMENT, AgencyKind.COMMUNE)
OFFICER_ROLES = (Role.ADMIN, Role.RECEIVER, Role.SPECIALIST, Role.LEADER)


# shape.py is plain Python: its messages are marked here for the catalogue and translated on the way out.
SHAPE_MESSAGES = [
    gettext_noop("a non-empty string is required"),
    gettext_noop("a non-empty list is required"),
    gettext_noop("a JSON object is required"),
    gettext_noop("a year is required"),
    gettext_noop("before year_from"),
    gettext_noop("official or replica"),
    gettext_noop("the five levels 1..5 in order, each with a label"),
    gettext_noop("an object is required"),
    gettext_noop("a list of non-empty strings is required"),
    gettext_noop("an object {item code: 1..5 or null} is required"),
    gettext_noop("unknown item"),
    gettext_noop("1 to 5, or null for no answer"),
    gettext_noop("unknown question"),
    gettext_noop("a list of the options"),
    gettext_noop("not one of the options"),
]


def _invalid(error: ShapeError) -> InvalidInput:
    return InvalidInput(fields={error.field: [_(error.message)]})


@transaction.atomic
def load_questionnaire(*, data: Any) -> tuple[Questionnaire, bool]:
    """Create or update the form from its file (idempotent: codes are the keys). Items the province
    added in the admin are kept; a file of the wrong shape changes nothing."""
    try:
        check_questionnaire(data)
    except ShapeError as error:
        raise _invalid(error) from None
    questionnaire, created = Questionnaire.objects.update_or_create(
        year_from=data["year_from"],
        defaults={
            "year_to": data["year_to"],
            "title": data["title"],
            "legal_basis": data.get("legal_basis", ""),
            "wording": data["wording"],
            "scale": data["scale"],
            "extra": {
                "no_answer_label": data.get("no_answer_label", ""),
                "respondent": data.get("respondent", []),
                "questions": data.get("questions", []),
            },
        },
    )
    for p, pdata in enumerate(data["pillars"]):
        pillar, _new = Pillar.objects.update_or_create(
            questionnaire=questionnaire, code=pdata["code"], defaults={"name": pdata["name"], "order": p}
        )
        for e, edata in enumerate(pdata["elements"]):
            element, _new = Element.objects.update_or_create(
                pillar=pillar, code=edata["code"], defaults={"name": edata["name"], "order": e}
            )
            for i, idata in enumerate(edata["items"]):
                Item.objects.update_or_create(
                    questionnaire=questionnaire,
                    code=idata["code"],
                    defaults={"element": element, "text": idata["text"], "order": i, "local": False},
                )
    return questionnaire, created


def _frame(units: list[Agency], before: date) -> dict[str, int]:
    """Dossiers each unit returned in the year before the survey: the frame of the quota split."""
    counts = dict(
        Dossier.objects.filter(
            resolving_agency__in=units,
            returned_at__date__gte=before - timedelta(days=365),
            returned_at__date__lt=before,
        )
        .values_list("resolving_agency__code")
        .annotate(n=Count("id"))
        .values_list("resolving_agency__code", "n")
    )
    return {u.code: counts.get(u.code, 0) for u in units}


@transaction.atomic
def create_survey(
    *, actor: User | None, year: int, agency_code: str, starts_on: date, ends_on: date, sample_size: int
) -> Survey:
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden()
    if ends_on < starts_on:
        raise InvalidInput(fields={"to": [_("The survey cannot end before it starts.")]})
    if sample_size < 1:
        raise InvalidInput(fields={"sample_size": [_("At least one respondent.")]})
    try:
        questionnaire = selectors.questionnaire_for(year)
    except NotFound:
        raise InvalidInput(fields={"year": [_("No questionnaire is loaded for this year.")]}) from None
    agency = Agency.objects.filter(code=agency_code, valid_to__isnull=True).first()
    if agency is None:
        raise InvalidInput(fields={"agency_code": [_("Unknown agency %(code)s.") % {"code": agency_code}]})
    units = list(
        Agency.objects.filter(
            path__startswith=agency.path, kind__in=UNIT_KINDS, valid_to__isnull=True
        ).order_by("path")
    )
    if not units:
        raise InvalidInput(fields={"agency_code": [_("No department or commune under this agency.")]})
    survey = Survey.objects.create(
        year=year,
        questionnaire=questionnaire,
        agency=agency,
        starts_on=starts_on,
        ends_on=ends_on,
        sample_size=sample_size,
        created_by=actor,
    )
    frame = _frame(units, starts_on)
    quota = engine.split_quota(sample_size, frame)
    SurveyUnit.objects.bulk_create(
        SurveyUnit(survey=survey, agency=u, frame=frame[u.code], quota=quota[u.code]) for u in units
    )
    return survey


@transaction.atomic
def enter_paper_form(
    *,
    actor: User,
    survey_id: int,
    unit_code: str,
    answers: Any,
    respondent: Any = None,
    perceptions: Any = None,
    form_number: str,
) -> Response:
    """A paper form keyed in by an officer. The form number printed on the paper is unique in the
    survey: keying the same form twice is a 409 (the double-entry check, docs/decisions.md)."""
    if actor.role not in OFFICER_ROLES:
        raise Forbidden()
    survey = selectors.survey_get(actor, survey_id)
    unit = survey.units.select_related("agency").filter(agency__code=unit_code).first()
    if unit is None:
        raise InvalidInput(fields={"unit_code": [_("This unit is not in the survey's sample.")]})
    if actor.role != Role.ADMIN and not (
        actor.agency and selectors.related(unit.agency.path, actor.agency.path)
    ):
        raise Forbidden(_("You may enter forms of your own agency's units only."))
    extra = survey.questionnaire.extra
    tree = selectors.tree_of(survey.questionnaire)
    try:
        checked = check_answers(answers, tree.item_codes())
        profile = check_choices(respondent, extra.get("respondent", []), "respondent")
        views = check_choices(perceptions, extra.get("questions", []), "perceptions")
    except ShapeError as error:
        raise _invalid(error) from None
    if Response.objects.filter(survey=survey, form_number=form_number).exists():
        raise Conflict(
            _("Form %(number)s has already been entered.") % {"number": form_number},
            code="duplicate",
            fields={"form_number": [_("Already entered.")]},
        )
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                unit=unit,
                channel=Channel.PAPER,
                answers=checked,
                respondent=profile,
                perceptions=views,
                form_number=form_number,
                entered_by=actor,
                submitted_at=timezone.now(),
            )
    except IntegrityError:  # the same form keyed at the same moment by another officer
        raise Conflict(code="duplicate", fields={"form_number": [_("Already entered.")]}) from None


# --- invitations: the service-point variant -------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_for_dossier(dossier: Dossier, on: date) -> tuple[Survey, SurveyUnit] | None:
    """The running survey whose plan holds the agency that resolved the dossier (or one above it)."""
    agency = dossier.resolving_agency
    candidates = SurveyUnit.objects.select_related("survey", "agency").filter(
        survey__starts_on__lte=on, survey__ends_on__gte=on
    )
    for unit in candidates.order_by("-survey__starts_on", "-agency__path"):
        if agency.path.startswith(unit.agency.path):
            return unit.survey, unit
    return None


@transaction.atomic
def issue_invitation(*, dossier: Dossier) -> str | None:
    """A new one-time token for the applicant of a returned dossier, or None when no survey runs
    for its agency today or the dossier already has one (one invitation per dossier per survey)."""
    if dossier.returned_at is None:
        raise Conflict(_("Only a returned dossier can be surveyed."), code="not_returned")
    now = timezone.now()
    found = survey_for_dossier(dossier, timezone.localdate(now))
    if found is None:
        return None
    survey, unit = found
    if Invitation.objects.filter(survey=survey, dossier=dossier).exists():
        return None
    token = secrets.token_urlsafe(24)
    ends = timezone.make_aware(datetime.combine(survey.ends_on + timedelta(days=1), time.min))
    expires = min(now + timedelta(days=settings.MOTCUA_SIPAS_INVITATION_DAYS), ends)
    Invitation.objects.create(
        survey=survey, unit=unit, dossier=dossier, digest=_digest(token), expires_at=expires
    )
    return token


def invite_for_dossier(dossier: Dossier) -> str | None:
    """The public link of a new invitation (for the result SMS, or a QR on the return slip);
    None when the dossier is not to be surveyed. Sending it is the notifications module's job.
    Absolute when MOTCUA_PUBLIC_URL is set (as it must be for links that leave the system)."""
    token = issue_invitation(dossier=dossier)
    if token is None:
        return None
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("portal:survey", args=[token])


class InvitationClosed(Conflict):
    status = 410
    code = "invitation_closed"


def open_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation of a token still usable: 404 unknown, 410 used or expired."""
    rows = Invitation.objects.select_related("survey__questionnaire", "unit__agency", "response")
    if lock:
        rows = rows.select_for_update(of=("self",))  # PostgreSQL locks no nullable outer-joined row
    invitation = rows.filter(digest=_digest(token)).first()
    if invitation is None:
        raise NotFound(_("This survey link is not valid."))
    if invitation.used_at is not None:
        raise InvitationClosed(_("This survey has already been answered. Thank you."), code="invitation_used")
    if invitation.expires_at <= timezone.now():
        raise InvitationClosed(_("This survey link has expired."), code="invitation_expired")
    return invitation


@transaction.atomic
def save_online_answers(
    *,
    token: str,
    answers: dict[str, int | None],
    perceptions: Any = None,
    respondent: Any = None,
    submit: bool,
) -> Response:
    """Save one page of the online form (answers merge into the draft); ``submit`` closes the
    invitation and counts the form."""
    invitation = open_invitation(token, lock=True)
    questionnaire = invitation.survey.questionnaire
    extra = questionnaire.extra
    tree = selectors.tree_of(questionnaire)
    try:
        checked = check_answers(answers, tree.item_codes()) if answers else {}
        views = check_choices(perceptions, extra.get("questions", []), "perceptions")
        profile = check_choices(respondent, extra.get("respondent", []), "respondent")
    except ShapeError as error:
        raise _invalid(error) from None
    response = invitation.response
    if response is None:
        response = Response.objects.create(
            survey=invitation.survey, unit=invitation.unit, channel=Channel.ONLINE
        )
        invitation.response = response
    response.answers = {**response.answers, **checked}
    response.perceptions = {**response.perceptions, **views}
    response.respondent = {**response.respondent, **profile}
    if submit:
        response.submitted_at = timezone.now()
        invitation.used_at = response.submitted_at
    response.save()
    invitation.save(update_fields=["response", "used_at"])
    return response
