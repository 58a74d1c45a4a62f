"""The adapter for each national system, picked from the configuration (``config``).

Each function answers the adapter to use, or None when the system is off; callers show "not
connected" rather than pretending. New systems add one function here.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from motcua.integrations import config
from motcua.integrations.dvcqg.ports import NationalPortalSync
from motcua.integrations.payment.ports import PaymentGateway
from motcua.integrations.population.ports import PopulationRegistry
from motcua.integrations.signing.ports import RemoteSigner, SignatureVerifier
from motcua.integrations.sms.ports import SmsGateway
from motcua.integrations.vneid.ports import CitizenIdP
from motcua.integrations.zalo.ports import ZnsSender


def population_registry() -> PopulationRegistry | None:
    """The population database's adapter, or None when it is not configured."""
    found = config.system("population")
    if found is None:
        return None
    return _population(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


def _timeout() -> float:
    return float(settings.MOTCUA_INTEGRATION_TIMEOUT)


@cache
def _population(
    url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float
) -> PopulationRegistry:
    """One adapter (and its pool of connections) per configuration."""
    from motcua.integrations.population.client import PopulationClient

    return PopulationClient(config.SystemConfig("population", url, standin, dict(options)))


def citizen_idp() -> CitizenIdP | None:
    """VNeID (OpenID Connect), or None when it is not configured."""
    from motcua.integrations.vneid.client import OIDCProvider

    found = config.system("vneid")
    return OIDCProvider(found) if found is not None else None


def national_portal() -> NationalPortalSync | None:
    """The national portal's dossier sync, or None when it is not configured."""
    found = config.system("dvcqg")
    if found is None:
        return None
    return _national_portal(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


@cache
def _national_portal(
    url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float
) -> NationalPortalSync:
    """One adapter per configuration: it keeps the portal's session and a pool of connections."""
    from motcua.integrations.dvcqg.client import NationalPortalClient

    return NationalPortalClient(config.SystemConfig("dvcqg", url, standin, dict(options)), attempts=1)


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
    return _sms(url, found.standin, tuple(sorted(options.items())), _timeout())


@cache
def _sms(url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float) -> SmsGateway:
    from motcua.integrations.sms.client import VnptSms

    return VnptSms(config.SystemConfig("sms", url, standin, dict(options)))


def zns_sender() -> ZnsSender | None:
    """Zalo ZNS, or None when it is not configured."""
    found = config.system("zalo")
    if found is None:
        return None
    return _zalo(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


@cache
def _zalo(url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float) -> ZnsSender:
    from motcua.integrations.zalo.client import ZnsClient

    return ZnsClient(config.SystemConfig("zalo", url, standin, dict(options)))


def payment_gateway() -> PaymentGateway | None:
    """The national payment platform, or None when it is not configured."""
    found = config.system("payment")
    if found is None:
        return None
    return _payment(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


@cache
def _payment(url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float) -> PaymentGateway:
    from motcua.integrations.payment.client import PaymentPlatform

    return PaymentPlatform(config.SystemConfig("payment", url, standin, dict(options)))


def remote_signer() -> RemoteSigner | None:
    """The agency's remote-signing service for results, or None when it is not configured."""
    found = config.system("signing")
    if found is None:
        return None
    return _remote_signer(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


@cache
def _remote_signer(
    url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float
) -> RemoteSigner:
    from motcua.integrations.signing.client import RemoteSigningClient

    return RemoteSigningClient(config.SystemConfig("signing", url, standin, dict(options)))


def signature_verifier() -> SignatureVerifier | None:
    """The verifier of signed results: None when signing is not configured. The trust roots are read
    once per configuration (the stand-in's test root, or the configured bundle)."""
    found = config.system("signing")
    if found is None:
        return None
    return _verifier(found.url, found.standin, tuple(sorted(found.options.items())), _timeout())


@cache
def _verifier(
    url: str, standin: bool, options: tuple[tuple[str, str], ...], timeout: float
) -> SignatureVerifier:
    from motcua.integrations.signing.client import verifier_for

    return verifier_for(config.SystemConfig("signing", url, standin, dict(options)))


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
