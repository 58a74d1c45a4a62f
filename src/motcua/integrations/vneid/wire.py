"""The userinfo claims of integrations.md §1.3, mapped to ``CitizenClaims``. Plain Python.

The national gateway names the claims in Vietnamese (``SoDinhDanh``, ``HoVaTen``,
``NgayThangNamSinh`` as ``yyyyMMdd``, ``LoaiTaiKhoan`` 1/2/3); this is the one place that knows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from motcua.integrations.vneid.ports import AccountType, CitizenClaims, LoginRefused

_ACCOUNT_TYPES: dict[str, AccountType] = {"1": "individual", "2": "business", "3": "organisation"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _birth_date(value: Any) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 — a calendar date, no time
    except ValueError:
        return None


def _level(claims: Mapping[str, Any]) -> int | None:
    for key in ("IAL", "loAs"):
        text = _text(claims.get(key))
        if text.isdigit():
            return int(text)
    return None


def claims_from_userinfo(claims: Mapping[str, Any], *, subject: str) -> CitizenClaims:
    """Map userinfo to our claims; refuse what does not name one person for the id_token's subject."""
    if _text(claims.get("sub")) != subject:
        raise LoginRefused("userinfo_subject_mismatch")  # OIDC Core §5.3.2
    account_type = _ACCOUNT_TYPES.get(_text(claims.get("LoaiTaiKhoan")))
    if account_type is None:
        raise LoginRefused("unknown_account_type")
    id_number = _text(claims.get("SoDinhDanh"))
    if account_type == "individual" and not (len(id_number) == 12 and id_number.isdigit()):
        raise LoginRefused("no_personal_id")
    full_name = " ".join(_text(claims.get("HoVaTen")).split())
    if not full_name:
        raise LoginRefused("no_name")
    return CitizenClaims(
        subject=subject,
        account_type=account_type,
        id_number=id_number,
        full_name=full_name,
        birth_date=_birth_date(claims.get("NgayThangNamSinh")),
        tech_id=_text(claims.get("TechID")),
        phone=_text(claims.get("SoDienThoai")),
        email=_text(claims.get("ThuDienTu")),
        permanent_address=_text(claims.get("ThuongTru")),
        current_address=_text(claims.get("NoiOHienNay")),
        assurance_level=_level(claims),
        idp=_text(claims.get("loginIdp")),
        raw=dict(claims),
    )
