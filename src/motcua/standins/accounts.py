"""The credentials the stand-ins accept by default, and where each is served.

MotCua's ``integrations.config`` uses these when ``MOTCUA_STANDINS_URL`` is the only thing set, so
one variable is enough for a test or a demo. They are not secrets: they open only the stand-ins.
"""

from __future__ import annotations

PREFIXES = {
    "vneid": "/vneid",
    "population": "/population",
    "dvcqg": "/dvcqg",
    "signing": "/signing",
}

DEFAULTS: dict[str, dict[str, str]] = {
    "vneid": {"client_id": "motcua-portal", "client_secret": "standin-oidc-secret"},  # noqa: S105 — stand-in only
    "population": {
        "username": "motcua",
        "secret": "standin-population-secret",  # noqa: S105 — stand-in only
        "mode": "direct_soap",
        "integration_code": "037",
        "service_code": "VPCP",
    },
    "dvcqg": {"username": "motcua-sync", "password": "standin-dvcqg-secret", "dstcode": "H15"},  # noqa: S105 — stand-in only
    "signing": {"sp_id": "motcua-agency", "sp_password": "standin-signing-secret"},  # noqa: S105 — stand-in only
}
