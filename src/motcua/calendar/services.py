"""Writes of the working-day calendar. Every change is one row, stamped with who made it."""

from __future__ import annotations

import logging
from datetime import date as date_type

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.calendar.models import CalendarOverride
from motcua.core.errors import InvalidInput, NotFound

logger = logging.getLogger(__name__)


@transaction.atomic
def set_override(
    *, date: date_type, kind: str, name: str, legal_basis: str = "", actor: User | None
) -> CalendarOverride:
    """Make ``date`` a day off (``holiday``) or a working day (``working``), whatever the law says.

    Deadlines computed from now on see the change at once (``selectors.get_calendar``); those
    already set on dossiers are not moved, as the law fixes them at receipt.
    """
    if kind not in CalendarOverride.Kind.values:
        raise InvalidInput(fields={"kind": [_("Choose holiday or working.")]})
    if not name.strip():
        raise InvalidInput(fields={"name": [_("A name is required.")]})
    override, created = CalendarOverride.objects.update_or_create(
        date=date,
        defaults={
            "kind": kind,
            "name": name.strip(),
            "legal_basis": legal_basis.strip(),
            "updated_by": actor,
        },
    )
    logger.info(
        "calendar override %s on %s by %s",
        "created" if created else "changed",
        date,
        actor.pk if actor else None,
    )
    return override


@transaction.atomic
def delete_override(*, date: date_type, actor: User | None) -> None:
    """Give ``date`` back to the law."""
    deleted, _rows = CalendarOverride.objects.filter(date=date).delete()
    if not deleted:
        raise NotFound(_("There is no override on this date."))
    logger.info("calendar override on %s deleted by %s", date, actor.pk if actor else None)
