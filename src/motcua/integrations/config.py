"""Which national systems are on, and where they are: one place that reads the settings.

A system is on when it has its own URL (``MOTCUA_<SYSTEM>_…``), or when ``MOTCUA_STANDINS_URL``
points at the stand-ins, which then serve it under their prefix with the credentials they accept by
default. Read at call time, so a test can switch a system on or off with the ``settings`` fixture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from motcua.standins import accounts as standin_accounts

SYSTEMS = ("vneid", "population", "dvcqg", "sms", "zalo", "payment", "signing", "lienthong")


@dataclass(frozen=True)
class SystemConfig:
    """Where one national system is and how to sign in to it."""

    name: str
    url: str
    standin: bool
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, key: str) -> Any:
        return self.options.get(key, "")


def system(name: str) -> SystemConfig | None:
    """The configuration of one system, or None when it is off."""
    if name not in SYSTEMS:
        raise KeyError(name)
    own = dict(settings.MOTCUA_INTEGRATIONS.get(name, {}))
    url = own.pop("url", "")
    if url:
        return SystemConfig(name, url, standin=False, options=own)
    base = settings.MOTCUA_STANDINS_URL
    if not base:
        return None
    defaults = standin_accounts.DEFAULTS[name]
    options = {k: v or defaults.get(k, "") for k, v in own.items()} | {
        k: v for k, v in defaults.items() if k not in own
    }
    return SystemConfig(name, f"{base}{standin_accounts.PREFIXES[name]}", standin=True, options=options)


def is_on(name: str) -> bool:
    return system(name) is not None


def inbound_secret(source: str) -> str:
    """The shared secret a national channel's push must carry (``dvcqg``: model B, ``vneid``: model
    D): its own setting, else the stand-ins' default when ``MOTCUA_STANDINS_URL`` is set, else ""
    (the endpoint refuses everything)."""
    own = str(settings.MOTCUA_INBOUND_SECRETS.get(source, ""))
    if own:
        return own
    if settings.MOTCUA_STANDINS_URL:
        return standin_accounts.DEFAULTS["lienthong"].get(f"{source}_secret", "")
    return ""
