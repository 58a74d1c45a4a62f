from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One date that the province's calendar sets apart from the law (a swap, a local day off).

    The law itself comes from the ``holidays`` package; only the exceptions are stored here, with
    the decision that made them, so a wrong entry can be traced and undone.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKING = "working", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
