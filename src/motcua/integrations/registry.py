"""The adapter for each national system, picked from the configuration (``config``).

Each function answers the adapter to use, or None when the system is off; callers show "not
connected" rather than pretending. New systems add one function here.
"""

from __future__ import annotations

from motcua.integrations import config
from motcua.integrations.vneid.ports import CitizenIdP


def citizen_idp() -> CitizenIdP | None:
    """VNeID (OpenID Connect), or None when it is not configured."""
    from motcua.integrations.vneid.client import OIDCProvider

    found = config.system("vneid")
    return OIDCProvider(found) if found is not None else None
