"""Writes for accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.models import ApiToken, User
from motcua.accounts.roles import ROLES_NEEDING_AGENCY, Role
from motcua.agencies.models import Agency
from motcua.core.errors import Conflict, Forbidden, InvalidInput

IDENTIFIER_MESSAGES = {
    "length": _("A personal identification number has exactly 12 digits."),
    "province": _("The first three digits of the personal identification number are not a province code."),
    "century": _("The century digit of the personal identification number gives a birth year in the future."),
    "tax_code": _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
}


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str,
    agency_code: str | None = None,
    full_name: str = "",
    id_number: str | None = None,
    email: str = "",
) -> User:
    errors: dict[str, list[object]] = {}
    if role not in Role.__members__.values():
        errors["role"] = [_("Unknown role. Use one of: %(roles)s.") % {"roles": ", ".join(Role)}]
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            errors["agency"] = [_("Unknown agency %(code)s.") % {"code": agency_code}]
    elif role in ROLES_NEEDING_AGENCY:
        errors["agency"] = [_("Staff users must belong to an agency.")]
    if id_number:
        try:
            identity.check_personal_id(id_number)
        except identity.InvalidIdentifier as exc:
            errors["id_number"] = [IDENTIFIER_MESSAGES[exc.reason]]
    if len(password) < 8:
        errors["password"] = [_("The password must have at least 8 characters.")]
    if errors:
        raise InvalidInput(fields=errors)
    if User.objects.filter(username=username).exists():
        raise Conflict(_("The user %(username)s already exists.") % {"username": username}, code="duplicate")
    if id_number and User.objects.filter(id_number=id_number).exists():
        raise Conflict(
            _("Another account already has this personal identification number."), code="duplicate"
        )
    user = User(
        username=username,
        role=role,
        agency=agency,
        full_name=full_name,
        id_number=id_number or None,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    return user


def issue_token(*, username: str, password: str) -> str:
    """Check the credentials and return a new raw Bearer token (only its digest is stored)."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidInput(_("Wrong username or password."), code="invalid_credentials")
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw))
    return raw


@transaction.atomic
def citizen_from_vneid(*, id_number: str, full_name: str, email: str = "", phone: str = "") -> User:
    """The citizen account a VNeID login opens: the one linked to the personal ID, else a new one.

    Linked by personal ID (the same account ``createuser --id-number`` makes). The username carries
    no personal data (it shows in logs and the admin). A staff account is never opened this way.
    """
    identity.check_personal_id(id_number)
    user = User.objects.select_for_update().filter(id_number=id_number).first()
    if user is not None:
        if user.role != Role.CITIZEN or not user.is_active:
            raise Forbidden(
                _("This personal identification number belongs to an account that cannot log in with VNeID.")
            )
        changed = [
            f
            for f, v in (("full_name", full_name), ("email", email), ("phone", phone))
            if v and not getattr(user, f)
        ]
        for name in changed:
            setattr(user, name, {"full_name": full_name, "email": email, "phone": phone}[name])
        if changed:
            user.save(update_fields=changed)
        return user
    user = User(
        username=f"vneid.{secrets.token_hex(6)}",
        role=Role.CITIZEN,
        full_name=full_name,
        id_number=id_number,
        email=email,
        phone=phone,
    )
    user.set_unusable_password()  # VNeID is the only way in
    user.save()
    return user
