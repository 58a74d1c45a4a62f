from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department")
    COMMUNE = "commune", _("Commune People's Committee")
    CENTRE = "centre", _("Public Administration Service Centre")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")


class Agency(models.Model):
    """An agency (cơ quan, đơn vị) that receives or resolves dossiers.

    Effective-dated, because the 2025 mergers closed agencies and moved their procedures to a
    successor; old dossiers keep pointing at the agency that existed then.
    """

    code = models.CharField(_("electronic identifier"), max_length=35, unique=True)
    legacy_code = models.CharField(_("legacy code (QCVN 102:2016)"), max_length=13, blank=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    admin_unit = models.ForeignKey(
        "AdministrativeUnit",
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor after a merger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    # Set by an administrator for a commune: it offers electronic certified copies from originals
    # (chứng thực bản sao điện tử từ bản chính), which the Decision 766 index counts.
    offers_e_certified_copy = models.BooleanField(_("offers electronic certified copies"), default=False)
    # Materialised path of codes ("/H15/H15.50/") so that "this agency and everything under it" is one
    # indexed prefix query for supervisors and the monitoring roll-ups.
    path = models.CharField(max_length=1024, db_index=True, editable=False)
    # The 2-digit code of the province it belongs to (its administrative unit's, else its parent's),
    # copied onto each dossier it receives: the key the dossier tables are partitioned by.
    province = models.CharField(max_length=2, blank=True, editable=False)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province / centrally-run city")
    COMMUNE = "commune", _("Commune / ward / special zone")


class AdministrativeUnit(models.Model):
    """Provinces (2-digit codes) and communes (5-digit codes) under Decision 19/2025/QĐ-TTg."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    unit_type = models.CharField(_("type"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="communes",
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CollectingAccount(models.Model):
    """Tài khoản thu: where the fees an agency collects are paid (the beneficiary of the national payment
    platform's receipt data and of a VietQR transfer). An agency without one collects into the nearest
    ancestor's account (a province's treasury account serves its departments and communes)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="collecting_account")
    bank_bin = models.CharField(_("bank BIN"), max_length=6)  # NAPAS 6-digit bank identification number
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    account_number = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account name"), max_length=120)
    tax_code = models.CharField(_("collector's tax code"), max_length=14, blank=True)  # printed on e-receipts

    class Meta:
        verbose_name = _("collecting account")
        verbose_name_plural = _("collecting accounts")

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
