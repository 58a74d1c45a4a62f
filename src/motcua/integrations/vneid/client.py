"""The OpenID Connect relying party for VNeID: discovery, PKCE, the token exchange and the id_token check.

Authlib builds the authorization request and the S256 challenge; joserfc checks the RS256 id_token
against the provider's JWKS (issuer, audience, expiry, nonce). The token exchange is sent once, never
retried: a code is single-use, so a retry after a lost answer could only fail.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.vneid import wire
from motcua.integrations.vneid.ports import CitizenClaims, LoginRefused, LoginRequest

SYSTEM = "vneid"
CACHE_SECONDS = 600
LEEWAY_SECONDS = 60

_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}


class OIDCProvider:
    """The real adapter: any OpenID Connect provider with discovery, PKCE and RS256 id_tokens."""

    def __init__(self, config: SystemConfig) -> None:
        self.issuer = config.url.rstrip("/")
        self.client_id = str(config.option("client_id"))
        self.client_secret = str(config.option("client_secret"))

    # --- metadata, cached per issuer -----------------------------------------------------------------

    def _get_json(self, url: str) -> Any:
        with transport.client() as http:
            response = transport.send(SYSTEM, http, "GET", url)
        try:
            return response.json()
        except ValueError as exc:
            raise transport.Malformed(SYSTEM, "not JSON") from exc

    def _cached(self, key: str, load: Any, *, fresh: bool = False) -> Any:
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None and not fresh and hit[0] > time.monotonic():
            return hit[1]
        value = load()
        with _cache_lock:
            _cache[key] = (time.monotonic() + CACHE_SECONDS, value)
        return value

    def metadata(self) -> dict[str, Any]:
        meta = self._cached(
            f"meta:{self.issuer}", lambda: self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        )
        if not isinstance(meta, dict) or meta.get("issuer") != self.issuer:
            raise transport.Malformed(SYSTEM, "discovery document does not name this issuer")
        return meta

    def _keys(self, *, fresh: bool = False) -> KeySet:
        data = self._cached(
            f"jwks:{self.issuer}", lambda: self._get_json(self.metadata()["jwks_uri"]), fresh=fresh
        )
        try:
            return KeySet.import_key_set(data)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise transport.Malformed(SYSTEM, "JWKS unreadable") from exc

    # --- the login --------------------------------------------------------------------------------------

    def begin(self, *, redirect_uri: str) -> LoginRequest:
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = prepare_grant_uri(
            self.metadata()["authorization_endpoint"],
            self.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope="openid",
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return LoginRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)

    def complete(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> CitizenClaims:
        meta = self.metadata()
        with transport.client() as http:
            try:
                response = transport.send(
                    SYSTEM,
                    http,
                    "POST",
                    meta["token_endpoint"],
                    attempts=1,
                    data={
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": redirect_uri,
                        "code_verifier": code_verifier,
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                    },
                )
            except transport.Rejected as exc:  # invalid_grant: reused, expired or forged code
                raise LoginRefused("code_rejected") from exc
            tokens = _json_object(response)
            id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
            if not isinstance(id_token, str) or not isinstance(access_token, str):
                raise transport.Malformed(SYSTEM, "token response without id_token")
            subject = self.verify_id_token(id_token, nonce=nonce)
            info = _json_object(
                transport.send(
                    SYSTEM,
                    http,
                    "GET",
                    meta["userinfo_endpoint"],
                    headers={"Authorization": f"Bearer {access_token}"},
                )
            )
        return wire.claims_from_userinfo(info, subject=subject)

    def verify_id_token(self, id_token: str, *, nonce: str) -> str:
        """The id_token's subject, once its signature, issuer, audience, expiry and nonce hold."""
        try:
            token = jwt.decode(id_token, self._keys(), algorithms=["RS256"])
        except (JoseError, ValueError) as first:
            try:  # the provider may have rotated its keys since we cached them
                token = jwt.decode(id_token, self._keys(fresh=True), algorithms=["RS256"])
            except (JoseError, ValueError):
                raise LoginRefused("id_token_signature") from first
        registry = JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(token.claims)
        except JoseError as exc:
            raise LoginRefused(f"id_token_{getattr(exc, 'claim', 'claims') or 'claims'}") from exc
        return str(token.claims["sub"])


def _json_object(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise transport.Malformed(SYSTEM, "not JSON") from exc
    if not isinstance(data, dict):
        raise transport.Malformed(SYSTEM, "not a JSON object")
    return data
