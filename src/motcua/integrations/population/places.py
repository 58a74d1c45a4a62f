"""Addresses as people read them: the registry sends commune and province codes and the rest of the
address (``ChiTiet``); the names of the 34 provinces and 3,321 communes come from
``vietnamadminunits`` (plain Python, read once)."""

from __future__ import annotations

from functools import cache

from motcua.integrations.population.ports import Address


@cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    from vietnamadminunits.database import query

    provinces: dict[str, str] = {}
    communes: dict[str, str] = {}
    for row in query("SELECT DISTINCT province, provinceCode, ward, wardCode FROM admin_units"):
        provinces[row["provinceCode"]] = row["province"]
        communes[row["wardCode"]] = row["ward"]
    return provinces, communes


def address_text(address: Address) -> str:
    """ "Số 5 Lê Duẩn, Phường Buôn Ma Thuột, Tỉnh Đắk Lắk"; a name the detail already holds is not repeated."""
    provinces, communes = _names()
    parts = [address.detail.strip()]
    for name in (communes.get(address.commune_code, ""), provinces.get(address.province_code, "")):
        if name and name.casefold() not in parts[0].casefold():
            parts.append(name)
    return ", ".join(p for p in parts if p)
