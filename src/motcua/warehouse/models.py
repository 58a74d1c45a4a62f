"""The citizen's document warehouse (kho dữ liệu điện tử của công dân): "provide data only once".

What the State already holds for an applicant — the electronic results of their dossiers and the
documents the desk received — is kept under the applicant's personal ID (or tax code), the key a
citizen account is linked by, so that it is offered again instead of being uploaded twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    RESULT = "result", _("Electronic result")
    SUBMITTED = "submitted", _("Submitted document")


class WarehouseDocument(models.Model):
    owner = models.CharField(_("owner's personal ID or tax code"), max_length=14)
    code = models.CharField(_("document code"), max_length=60)
    name = models.CharField(_("name"), max_length=2000)
    # The name without diacritics, lower case (core.text.fold): the portal matches it against the name
    # of a required document when the codes differ.
    name_key = models.CharField(max_length=2000, editable=False, default="")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="+", verbose_name=_("dossier")
    )
    issued_at = models.DateTimeField(_("issued at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("warehouse document")
        verbose_name_plural = _("warehouse documents")
        ordering = ["owner", "-issued_at", "-id"]
        indexes = [models.Index(fields=["owner", "-issued_at", "-id"], name="warehouse_owner_newest")]
        constraints = [models.UniqueConstraint(fields=["owner", "file"], name="warehouse_owner_file")]

    def __str__(self) -> str:
        return self.name
