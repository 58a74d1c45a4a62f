"""Writes for agencies and administrative units."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.agencies import codes
from motcua.agencies.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
from motcua.core.errors import Conflict, InvalidInput


def _path(code: str, parent: Agency | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def province_of(admin_unit: AdministrativeUnit | None, parent: Agency | None) -> str:
    """The 2-digit province an agency belongs to: its administrative unit's (a commune's parent),
    else its parent agency's; blank for a ministry or an agency placed nowhere."""
    if admin_unit is not None:
        top = (
            admin_unit.parent
            if admin_unit.level == UnitLevel.COMMUNE and admin_unit.parent is not None
            else admin_unit
        )
        return top.code[:2]
    return parent.province if parent else ""


@transaction.atomic
def create_agency(
    *,
    code: str,
    name: str,
    kind: str,
    parent_code: str | None = None,
    legacy_code: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    admin_unit_code: str | None = None,
) -> Agency:
    errors: dict[str, list[object]] = {}
    code = code.strip()
    if not codes.is_electronic_id(code):
        errors["code"] = [
            _("Not an electronic identifier under Decision 20/2020/QĐ-TTg (e.g. H15, H15.04, H15.50.05.13).")
        ]
    if legacy_code and not codes.is_legacy_code(legacy_code):
        errors["legacy_code"] = [_("A legacy code has 13 characters, e.g. 000.00.00.H15.")]
    if not name.strip():
        errors["name"] = [_("This field may not be blank.")]
    if kind not in AgencyKind.values:
        errors["kind"] = [_("Unknown kind. Use one of: %(kinds)s.") % {"kinds": ", ".join(AgencyKind.values)}]
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = [_("The end of validity is before its start.")]
    parent = None
    if parent_code:
        parent = Agency.objects.filter(code=parent_code).first()
        if parent is None:
            errors["parent_code"] = [_("Unknown parent agency %(code)s.") % {"code": parent_code}]
    admin_unit = None
    if admin_unit_code:
        admin_unit = AdministrativeUnit.objects.filter(code=admin_unit_code).first()
        if admin_unit is None:
            errors["admin_unit_code"] = [
                _("Unknown administrative unit %(code)s.") % {"code": admin_unit_code}
            ]
    if errors:
        raise InvalidInput(fields=errors)
    if Agency.objects.filter(code=code).exists():
        raise Conflict(_("An agency with code %(code)s already exists.") % {"code": code}, code="duplicate")
    try:
        with transaction.atomic():
            return Agency.objects.create(
                code=code,
                name=name.strip(),
                kind=kind,
                parent=parent,
                legacy_code=legacy_code,
                valid_from=valid_from,
                valid_to=valid_to,
                admin_unit=admin_unit,
                path=_path(code, parent),
                province=province_of(admin_unit, parent),
            )
    except IntegrityError as exc:  # a concurrent create of the same code
        raise Conflict(
            _("An agency with code %(code)s already exists.") % {"code": code}, code="duplicate"
        ) from exc


@transaction.atomic
def refresh_paths(agency: Agency) -> None:
    """Recompute the materialised path of an agency and its subtree after its parent changed, and
    fill in the province of one that had none. A province once given stays: it is the province of the
    dossiers received there (the partition key), which the look-up by code relies on."""
    agency.path = _path(agency.code, agency.parent)
    agency.province = agency.province or province_of(agency.admin_unit, agency.parent)
    Agency.objects.filter(pk=agency.pk).update(path=agency.path, province=agency.province)
    for child in agency.children.all():
        refresh_paths(child)


@transaction.atomic
def load_administrative_units() -> tuple[int, int]:
    """Load the 34 provinces and 3,321 communes from the MIT-licensed ``vietnamadminunits`` package.

    Idempotent: existing codes are updated in place, so re-running after a package update is safe.
    """
    from vietnamadminunits.database import query

    rows = query(
        "SELECT DISTINCT province, provinceCode, ward, wardCode, wardType FROM admin_units "
        "ORDER BY provinceCode, wardCode"
    )
    existing = {u.code: u for u in AdministrativeUnit.objects.all()}
    provinces: dict[str, AdministrativeUnit] = {}
    for row in rows:
        pcode = row["provinceCode"]
        if pcode in provinces:
            continue
        name = row["province"]
        unit_type = "Thành phố" if name.startswith("Thành phố") else "Tỉnh"
        province = existing.get(pcode) or AdministrativeUnit(code=pcode)
        province.name, province.unit_type, province.level, province.parent = (
            name,
            unit_type,
            UnitLevel.PROVINCE,
            None,
        )
        province.save()
        provinces[pcode] = province
    new: list[AdministrativeUnit] = []
    changed: list[AdministrativeUnit] = []
    for row in rows:
        unit = existing.get(row["wardCode"])
        values = {
            "name": row["ward"],
            "unit_type": row["wardType"],
            "level": UnitLevel.COMMUNE,
            "parent": provinces[row["provinceCode"]],
        }
        if unit is None:
            new.append(AdministrativeUnit(code=row["wardCode"], **values))
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            changed.append(unit)
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(changed, ["name", "unit_type", "level", "parent"], batch_size=1000)
    return len(provinces), len(rows)
