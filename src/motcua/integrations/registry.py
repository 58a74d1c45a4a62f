"""The adapter for each national system, picked from the configuration (``config``).

Each function answers the adapter to use, or None when the system is off; callers show "not
connected" rather than pretending. New systems add one function here, naming their adapter's
factory for ``_adapter``, which builds one per configuration.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings

from motcua.integrations import config
from motcua.integrations.dvcqg.ports import NationalPortalSync
from motcua.integrations.inbound.ports import NationalChannel
from motcua.integrations.payment.ports import PaymentGateway
from motcua.integrations.population.ports import PopulationRegistry
from motcua.integrations.signing.ports import RemoteSigner, SignatureVerifier
from motcua.integrations.sms.ports import SmsGateway
from motcua.integrations.vneid.ports import CitizenIdP
from motcua.integrations.zalo.ports import ZnsSender


def _adapter(factory: str, found: config.SystemConfig | None, **extra: object) -> Any:
    """The adapter ``factory`` ("module:callable") builds for a system's configuration, or None
    when the system is off."""
    if found is None:
        return None
    options = tuple(sorted(found.options.items()))
    return _built(factory, found.name, found.url, found.standin, options, _timeout(), tuple(extra.items()))


def _timeout() -> float:
    return float(settings.MOTCUA_INTEGRATION_TIMEOUT)


@cache
def _built(
    factory: str,
    name: str,
    url: str,
    standin: bool,
    options: tuple[tuple[str, str], ...],
    timeout: float,
    extra: tuple[tuple[str, object], ...],
) -> Any:
    """One adapter (its pool of connections, its session) per configuration; the timeout is part
    of the key, so a changed setting gets a new one. Imported here, not at start-up."""
    module, attribute = factory.split(":")
    build = getattr(import_module(module), attribute)
    return build(config.SystemConfig(name, url, standin, dict(options)), **dict(extra))


def population_registry() -> PopulationRegistry | None:
    """The population database's adapter, or None when it is not configured."""
    found: PopulationRegistry | None = _adapter(
        "motcua.integrations.population.client:PopulationClient", config.system("population")
    )
    return found


def citizen_idp() -> CitizenIdP | None:
    """VNeID (OpenID Connect), or None when it is not configured."""
    from motcua.integrations.vneid.client import OIDCProvider

    found = config.system("vneid")
    return OIDCProvider(found) if found is not None else None


def national_portal() -> NationalPortalSync | None:
    """The national portal's dossier sync, or None when it is not configured. One attempt a call:
    the outbox retries."""
    found: NationalPortalSync | None = _adapter(
        "motcua.integrations.dvcqg.client:NationalPortalClient", config.system("dvcqg"), attempts=1
    )
    return found


def national_channel() -> NationalChannel | None:
    """The national channels (DVC liên thông's pull API and the pushes' status receivers), or None
    when not configured. One attempt a call: the outbox and the next pull retry."""
    found: NationalChannel | None = _adapter(
        "motcua.integrations.inbound.client:NationalChannelClient", config.system("lienthong"), attempts=1
    )
    return found


def sms_gateway(agency_code: str = "") -> SmsGateway | None:
    """The SMS gateway for messages of one agency: its own account (``MOTCUA_SMS_PROVIDERS``, the
    longest prefix of its code) over the default one; None when SMS is off."""
    found = config.system("sms")
    if found is None:
        return None
    options = dict(found.options)
    providers = settings.MOTCUA_SMS_PROVIDERS
    prefix = max(
        (p for p in providers if agency_code == p or agency_code.startswith(f"{p}.")), key=len, default=None
    )
    if prefix is not None:
        options.update(providers[prefix])
    url = str(options.pop("url", "") or found.url)
    gateway: SmsGateway = _adapter(
        "motcua.integrations.sms.client:VnptSms", replace(found, url=url, options=options)
    )
    return gateway


def zns_sender() -> ZnsSender | None:
    """Zalo ZNS, or None when it is not configured."""
    found: ZnsSender | None = _adapter("motcua.integrations.zalo.client:ZnsClient", config.system("zalo"))
    return found


def payment_gateway() -> PaymentGateway | None:
    """The national payment platform, or None when it is not configured."""
    found: PaymentGateway | None = _adapter(
        "motcua.integrations.payment.client:PaymentPlatform", config.system("payment")
    )
    return found


def remote_signer() -> RemoteSigner | None:
    """The agency's remote-signing service for results, or None when it is not configured."""
    found: RemoteSigner | None = _adapter(
        "motcua.integrations.signing.client:RemoteSigningClient", config.system("signing")
    )
    return found


def signature_verifier() -> SignatureVerifier | None:
    """The verifier of signed results: None when signing is not configured. The trust roots are read
    once per configuration (the stand-in's test root, or the configured bundle)."""
    found: SignatureVerifier | None = _adapter(
        "motcua.integrations.signing.client:verifier_for", config.system("signing")
    )
    return found


def uploaded_result_verifier() -> SignatureVerifier | None:
    """With no signing service: the verifier of a result signed elsewhere (a USB token, §7.1) and
    uploaded as is, trusting the configured bundle (``MOTCUA_SIGNING_TRUST_BUNDLE``); None without one."""
    bundle = str(settings.MOTCUA_INTEGRATIONS.get("signing", {}).get("trust_bundle", ""))
    return _bundle_verifier(bundle) if bundle else None


@cache
def _bundle_verifier(bundle: str) -> SignatureVerifier:
    from pathlib import Path

    from motcua.integrations.signing.client import Verifier, roots_from_pem

    return Verifier(roots_from_pem(Path(bundle).read_bytes()))
