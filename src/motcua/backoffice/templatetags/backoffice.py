"""Filters of the back-office's own pages: the event log and the control sheet."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from motcua.backoffice import presenters
from motcua.dossiers.workflow import Action
from motcua.web.presenters import timeliness_label

register = template.Library()

CREATED = gettext_lazy("Dossier created")


@register.filter
def action_label(action: str) -> str:
    if action == "create":
        return str(CREATED)
    try:
        return str(presenters.ACTION_LABELS[Action(action)])
    except (ValueError, KeyError):
        return action


@register.filter
def step_result(result: str) -> str:
    """A control-sheet step's grade (early, on_time, late) as the page says it."""
    return timeliness_label(result if result in ("early", "on_time", "late") else None)
