"""The credentials the stand-ins accept by default, and where each is served.

MotCua's ``integrations.config`` uses these when ``MOTCUA_STANDINS_URL`` is the only thing set, so
one variable is enough for a test or a demo. They are not secrets: they open only the stand-ins.
"""

from __future__ import annotations

PREFIXES = {
    "vneid": "/vneid",
    "population": "/population",
    "dvcqg": "/dvcqg",
    "sms": "/sms",
    "zalo": "/zalo",
    "payment": "/payment",
    "signing": "/signing",
    "lienthong": "/lienthong",
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
    "sms": {  # VNPT send_sms_list: the account and contract the gateway knows
        "api_user": "motcua",
        "api_pass": "standin-sms-secret",  # noqa: S105 — stand-in only
        "username": "motcua",
        "agent_id": "244",
        "contract_type_id": "1",
        "contract_id": "7701",
        "label_id": "HANHCHINHCONG",
    },
    "zalo": {"access_token": "standin-zalo-oa-token"},  # noqa: S105 — stand-in only
    "payment": {"merchant": "MOTCUA", "secret": "standin-payment-secret"},  # noqa: S105 — stand-in only
    "signing": {"sp_id": "motcua-agency", "sp_password": "standin-signing-secret"},  # noqa: S105 — stand-in only
    # DVC liên thông's account, and the secrets the national portal's and VNeID's pushes carry.
    "lienthong": {
        "username": "motcua-lienthong",
        "password": "standin-lienthong-secret",  # noqa: S105 — stand-in only
        "dvcqg_secret": "standin-dvcqg-push-secret",  # noqa: S105 — stand-in only
        "vneid_secret": "standin-vneid-codeget",  # noqa: S105 — stand-in only
    },
}
