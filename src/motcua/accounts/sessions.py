"""What a VNeID login leaves in the session, read by the API and the pages alike."""

from __future__ import annotations

from typing import Any

VERIFIED = "vneid_verified"
CLAIMS = "vneid_claims"  # {"id_number", "full_name", "birth_date" (ISO or ""), "phone", "email", "address"}


def vneid_verified(request: Any) -> bool:
    """Whether this request comes in a session that was opened with VNeID. A Bearer token is not a
    session: it was issued for a password, so it never is."""
    if getattr(request, "auth", None) is not None:  # DRF: the request was authenticated by a token
        return False
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(VERIFIED))


def vneid_claims(request: Any) -> dict[str, str] | None:
    if not vneid_verified(request):
        return None
    claims = request.session.get(CLAIMS)
    return dict(claims) if isinstance(claims, dict) else None
