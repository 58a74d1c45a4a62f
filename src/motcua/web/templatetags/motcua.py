"""Filters the pages of both sides share: status labels, badges, money, dates and who is looking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField

from motcua.accounts.permissions import is_admin
from motcua.accounts.roles import Role
from motcua.web import access, presenters

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return presenters.status_label(status)


@register.filter
def status_tone(status: str) -> str:
    return presenters.status_tone(status)


@register.filter
def timeliness_label(dossier: Any) -> str:
    return presenters.timeliness(dossier)[0]


@register.filter
def timeliness_tone(dossier: Any) -> str:
    return presenters.timeliness(dossier)[1]


@register.filter
def counterpart(target: str) -> str:
    return presenters.counterpart(target)


@register.filter
def vnd(amount: Any) -> str:
    return presenters.vnd(amount)


@register.filter
def where(dossier: Any) -> str:
    """The step the dossier is at, or where its status places it."""
    return presenters.where(dossier)


@register.filter
def when(value: datetime | None) -> str:
    return presenters.local(value) or "—"


@register.filter
def is_checkbox(bound: BoundField) -> bool:
    return bound.widget_type in ("checkbox",)


@register.filter
def is_choice_list(bound: BoundField) -> bool:
    return bound.widget_type in ("radioselect", "checkboxselectmultiple")


@register.filter
def is_staff_user(user: Any) -> bool:
    return access.is_staff_user(user)


@register.filter
def is_citizen(user: Any) -> bool:
    return access.is_citizen(user)


@register.filter
def sees_dashboard(user: Any) -> bool:
    """Leaders, supervisors and administrators have the dashboard (/dieu-hanh/)."""
    return bool(user.is_authenticated and (is_admin(user) or user.role in (Role.LEADER, Role.SUPERVISOR)))


@register.filter
def is_admin_user(user: Any) -> bool:
    return is_admin(user)
