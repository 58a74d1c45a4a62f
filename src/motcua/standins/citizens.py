"""The synthetic citizens every stand-in knows: a few thousand, the same on every start.

Names, personal IDs (PPP G YY RRRRRR, valid for ``accounts.identity``), birth dates, sex and
post-2025 two-level addresses (province → commune, from ``vietnamadminunits``). The demo's citizen
users come first, with the birth date their ID implies, so the demo can log in with VNeID and be
looked up at the desk. Nothing personal here is real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from motcua.demo.names import FAMILY
from motcua.demo.users import DEMO_USERS

SEED = 20260701
COUNT = 3000

# Mostly Đắk Lắk (the demo province, 66 after the 2025 merger), some neighbours and the big cities.
_HOME_PROVINCES = ["66"] * 8 + ["56", "68", "01", "79"]
# The pre-2025 birth-registration codes that go with them (personal IDs keep their old code).
_BIRTH_CODES = ["066"] * 6 + ["054", "056", "064", "067", "001", "079"]
_MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thành"]
_MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Mỹ"]
_GIVEN_M = ["An", "Bình", "Dũng", "Hải", "Hùng", "Nam", "Phúc", "Quân", "Sơn", "Tuấn", "Khoa", "Long"]
_GIVEN_F = ["Châu", "Giang", "Hà", "Lan", "Linh", "Mai", "Hoa", "Trang", "Yến", "Thảo", "Nhung", "Hạnh"]
_EDE_M = ["Y Blir Êban", "Y Sơn Byă", "Y Thuận Knul", "Y Khoa Niê", "Y Dhăm Ênuôl"]
_EDE_F = ["H'Hen Niê", "H'Mai Ênuôl", "H'Lan Mlô", "H'Xíu Byă", "H'Bia Knul"]
_STREETS = ["Lê Duẩn", "Nguyễn Tất Thành", "Phan Bội Châu", "Hùng Vương", "Trần Phú", "Y Jút", "Hai Bà Trưng"]
_VILLAGES = ["Buôn Ko Tam", "Thôn 1", "Thôn 3", "Buôn Alê A", "Tổ dân phố 5", "Tổ dân phố 12"]


@dataclass(frozen=True)
class Address:
    province_code: str
    province: str
    commune_code: str
    commune: str
    detail: str

    @property
    def text(self) -> str:
        return f"{self.detail}, {self.commune}, {self.province}"


@dataclass(frozen=True)
class Citizen:
    id_number: str
    old_id_number: str  # the 9-digit CMND, or ""
    full_name: str
    birth_date: date
    male: bool
    ethnicity: str  # population-DB code: "01" Kinh, "28" Ê Đê (values [U], see integrations.md §2.2)
    permanent: Address
    current: Address
    phone: str  # 84…
    email: str
    assurance_level: int  # VNeID level 1 or 2


@cache
def _communes() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    from vietnamadminunits.database import query

    rows = query("SELECT DISTINCT province, provinceCode, ward, wardCode FROM admin_units ORDER BY wardCode")
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for row in rows:
        if row["provinceCode"] in _HOME_PROVINCES:
            found.setdefault(row["provinceCode"], (row["province"], []))[1].append(
                (row["wardCode"], row["ward"])
            )
    return found


def _address(rng: random.Random, province_code: str) -> Address:
    province, communes = _communes()[province_code]
    code, commune = rng.choice(communes)
    detail = (
        f"Số {rng.randint(1, 299)} {rng.choice(_STREETS)}" if rng.random() < 0.6 else rng.choice(_VILLAGES)
    )
    return Address(province_code, province, code, commune, detail)


def _id_number(rng: random.Random, birth: date, male: bool, birth_code: str | None = None) -> str:
    century = (birth.year // 100 - 19) * 2 + (0 if male else 1)
    return (
        f"{birth_code or rng.choice(_BIRTH_CODES)}{century}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
    )


def _birth_from_id(id_number: str, rng: random.Random) -> tuple[date, bool]:
    g = int(id_number[3])
    year = 1900 + (g // 2) * 100 + int(id_number[4:6])
    return date(year, rng.randint(1, 12), rng.randint(1, 28)), g % 2 == 0


def _one(rng: random.Random, n: int, *, full_name: str = "", id_number: str = "") -> Citizen:
    if id_number:
        birth, male = _birth_from_id(id_number, rng)
    else:
        male = rng.random() < 0.5
        birth = date(rng.randint(1950, 2007), rng.randint(1, 12), rng.randint(1, 28))
        id_number = _id_number(rng, birth, male)
    ede = rng.random() < 0.15
    if not full_name:
        if ede:
            full_name = rng.choice(_EDE_M if male else _EDE_F)
        else:
            middle, given = (_MIDDLE_M, _GIVEN_M) if male else (_MIDDLE_F, _GIVEN_F)
            full_name = f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
    home = rng.choice(_HOME_PROVINCES)
    permanent = _address(rng, home)
    current = permanent if rng.random() < 0.8 else _address(rng, rng.choice(_HOME_PROVINCES))
    old = f"{rng.randint(240000000, 249999999)}" if birth.year < 1995 and rng.random() < 0.5 else ""
    return Citizen(
        id_number=id_number,
        old_id_number=old,
        full_name=full_name,
        birth_date=birth,
        male=male,
        ethnicity="28" if ("Niê" in full_name or full_name.startswith(("Y ", "H'"))) else "01",
        permanent=permanent,
        current=current,
        phone=f"849{rng.randint(10000000, 99999999)}",
        email=f"congdan{n:04d}@example.vn",
        assurance_level=2 if rng.random() < 0.7 else 1,
    )


# Walk-in citizens the demo's desk officers can look up (the README names them).
DEMO_WALK_INS = [("Nguyễn Văn An", "066090001234"), ("Trần Thị Bích", "066185004321")]


@cache
def all_citizens() -> tuple[Citizen, ...]:
    """Every seeded citizen, the demo's first, in a fixed order."""
    rng = random.Random(SEED)  # noqa: S311 — synthetic data, reproducible on purpose
    people: list[Citizen] = []
    seen: set[str] = set()
    demo = [(name, pid) for _u, _r, _a, name, pid in DEMO_USERS if pid] + DEMO_WALK_INS
    for n, (name, pid) in enumerate(demo):
        people.append(_one(rng, n, full_name=name, id_number=pid))
        seen.add(pid)
    while len(people) < COUNT:
        person = _one(rng, len(people))
        if person.id_number not in seen:
            seen.add(person.id_number)
            people.append(person)
    return tuple(people)


@cache
def by_id_number() -> dict[str, Citizen]:
    return {c.id_number: c for c in all_citizens()}
