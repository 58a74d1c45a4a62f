"""The VNeID relying party against the stand-in provider: the same checks hold for both sides.

Most cases run against the real ``motcua standins`` process. The forged-token cases need the
provider's signing key, so they run against a stand-in served in this process on a free port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from motcua.integrations import transport
from motcua.integrations.config import SystemConfig
from motcua.integrations.vneid import wire
from motcua.integrations.vneid.client import OIDCProvider
from motcua.integrations.vneid.ports import LoginRefused
from motcua.standins import vneid as standin
from motcua.standins.accounts import DEFAULTS
from motcua.standins.app import StandIns
from motcua.standins.citizens import by_id_number

CITIZEN = "066195012345"  # the demo citizen, H'Hen Niê
CALLBACK = "http://testserver/dang-nhap/vneid/callback"


def provider(base: str) -> OIDCProvider:
    return OIDCProvider(SystemConfig("vneid", f"{base}/vneid", standin=True, options=DEFAULTS["vneid"]))


def approve(url: str, login_hint: str = CITIZEN) -> dict[str, str]:
    """What the provider sends the browser back with, for a citizen who approves at once."""
    response = httpx.get(url + f"&login_hint={login_hint}", follow_redirects=False)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def idp(standins: Any) -> OIDCProvider:
    return provider(standins.url)


def test_the_authorization_request_carries_pkce_state_and_nonce(idp: OIDCProvider) -> None:
    login = idp.begin(redirect_uri=CALLBACK)
    query = {k: v[0] for k, v in parse_qs(urlsplit(login.url).query).items()}
    assert login.url.startswith(f"{idp.issuer}/authorize?")
    assert query["response_type"] == "code" and query["scope"] == "openid"
    assert query["client_id"] == "motcua-portal" and query["redirect_uri"] == CALLBACK
    assert query["state"] == login.state and query["nonce"] == login.nonce
    assert query["code_challenge_method"] == "S256" and query["code_challenge"] != login.code_verifier
    assert login.state != idp.begin(redirect_uri=CALLBACK).state


def test_a_login_gives_the_citizens_claims(idp: OIDCProvider) -> None:
    login = idp.begin(redirect_uri=CALLBACK)
    back = approve(login.url)
    assert back["state"] == login.state
    claims = idp.complete(
        code=back["code"], redirect_uri=CALLBACK, nonce=login.nonce, code_verifier=login.code_verifier
    )
    person = by_id_number()[CITIZEN]
    assert claims.id_number == CITIZEN
    assert claims.full_name == person.full_name.upper()
    assert claims.birth_date == person.birth_date
    assert claims.account_type == "individual" and claims.idp == "BCA"
    assert claims.assurance_level in {1, 2}
    # the userinfo names of integrations.md §1.3, exactly
    assert {
        "sub",
        "TechID",
        "LoaiTaiKhoan",
        "SoDinhDanh",
        "HoVaTen",
        "NgayThangNamSinh",
        "loAs",
        "loginIdp",
    } <= set(claims.raw)


def test_a_code_is_good_once(idp: OIDCProvider) -> None:
    login = idp.begin(redirect_uri=CALLBACK)
    code = approve(login.url)["code"]
    idp.complete(code=code, redirect_uri=CALLBACK, nonce=login.nonce, code_verifier=login.code_verifier)
    with pytest.raises(LoginRefused) as refused:
        idp.complete(code=code, redirect_uri=CALLBACK, nonce=login.nonce, code_verifier=login.code_verifier)
    assert refused.value.reason == "code_rejected"


@pytest.mark.parametrize("change", ["verifier", "redirect_uri", "forged_code"])
def test_a_code_with_the_wrong_verifier_or_return_address_is_refused(idp: OIDCProvider, change: str) -> None:
    login = idp.begin(redirect_uri=CALLBACK)
    code = approve(login.url)["code"]
    kwargs = {
        "code": code,
        "redirect_uri": CALLBACK,
        "nonce": login.nonce,
        "code_verifier": login.code_verifier,
    }
    kwargs |= {
        "verifier": {"code_verifier": "x" * 64},
        "redirect_uri": {"redirect_uri": "http://evil.example/cb"},
        "forged_code": {"code": "forged"},
    }[change]
    with pytest.raises(LoginRefused):
        idp.complete(**kwargs)


def test_the_provider_requires_pkce(standins: Any) -> None:
    url = (
        f"{standins.url}/vneid/authorize?response_type=code&client_id=motcua-portal&scope=openid"
        f"&redirect_uri={CALLBACK}&state=s1&login_hint={CITIZEN}"
    )
    back = httpx.get(url, follow_redirects=False)
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["s1"] and "code" not in query


def test_a_cancelled_login_says_access_denied(standins: Any) -> None:
    login = provider(standins.url).begin(redirect_uri=CALLBACK)
    back = httpx.get(login.url + "&cancel=1", follow_redirects=False)
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [login.state]


def test_the_login_page_is_labelled_and_lists_citizens(standins: Any) -> None:
    login = provider(standins.url).begin(redirect_uri=CALLBACK)
    page = httpx.get(login.url)
    assert page.status_code == 200
    assert "Máy chủ giả lập (stand-in)" in page.text
    assert "H&#x27;Hen Niê" in page.text or "H'Hen Niê" in page.text


@pytest.mark.parametrize("mode", ["error", "malformed"])
def test_a_broken_provider_is_unavailable_not_a_crash(standins: Any, mode: str) -> None:
    from motcua.integrations.vneid import client as client_module

    client_module._cache.clear()
    standins.fault("vneid", mode)
    with pytest.raises(transport.Unavailable):
        provider(standins.url).begin(redirect_uri=CALLBACK)
    client_module._cache.clear()


def test_the_claims_map_exactly_and_refuse_what_names_nobody() -> None:
    raw = {"sub": "s1", "LoaiTaiKhoan": "1", "SoDinhDanh": "001090000001", "HoVaTen": "NGUYEN  VAN A",
           "NgayThangNamSinh": "19900101", "loAs": "2", "loginIdp": "BCA"}  # fmt: skip
    claims = wire.claims_from_userinfo(raw, subject="s1")
    assert (claims.id_number, claims.full_name, claims.birth_date.isoformat(), claims.assurance_level) == (
        "001090000001", "NGUYEN VAN A", "1990-01-01", 2
    )  # fmt: skip
    for broken, reason in [
        ({**raw, "sub": "other"}, "userinfo_subject_mismatch"),
        ({**raw, "SoDinhDanh": "12345"}, "no_personal_id"),
        ({**raw, "LoaiTaiKhoan": "9"}, "unknown_account_type"),
        ({**raw, "HoVaTen": " "}, "no_name"),
    ]:
        with pytest.raises(LoginRefused) as refused:
            wire.claims_from_userinfo(broken, subject="s1")
        assert refused.value.reason == reason


# --- forged tokens: a provider in this process, whose key the test can use and misuse ----------------


@pytest.fixture
def local() -> Iterator[tuple[str, standin.VNeID]]:
    provider_ = standin.VNeID()
    server = make_server("127.0.0.1", 0, StandIns([provider_]), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", provider_
    server.shutdown()


def token(key: RSAKey, issuer: str, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": "motcua-portal", "sub": "s1", "iat": now, "exp": now + 300, "nonce": "n1"}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims | changes, key)


def test_an_id_token_is_checked_for_key_issuer_audience_expiry_and_nonce(
    local: tuple[str, standin.VNeID],
) -> None:
    base, provider_ = local
    idp = provider(base)
    assert idp.verify_id_token(token(provider_.key, idp.issuer), nonce="n1") == "s1"
    stranger = RSAKey.generate_key(2048, parameters={"kid": provider_.key.kid})
    cases = {
        "another key": token(stranger, idp.issuer),
        "another audience": token(provider_.key, idp.issuer, aud="someone-else"),
        "another issuer": token(provider_.key, "http://evil.example/vneid"),
        "expired": token(provider_.key, idp.issuer, exp=int(time.time()) - 3600),
        "another nonce": token(provider_.key, idp.issuer, nonce="replayed"),
    }
    for case, forged in cases.items():
        with pytest.raises(LoginRefused):
            idp.verify_id_token(forged, nonce="n1")
            pytest.fail(case)


def test_an_expired_code_is_refused(local: tuple[str, standin.VNeID], monkeypatch: Any) -> None:
    base, _provider = local
    idp = provider(base)
    login = idp.begin(redirect_uri=CALLBACK)
    code = approve(login.url)["code"]
    later = time.monotonic() + standin.CODE_SECONDS + 1
    monkeypatch.setattr(standin.time, "monotonic", lambda: later)
    with pytest.raises(LoginRefused):
        idp.complete(code=code, redirect_uri=CALLBACK, nonce=login.nonce, code_verifier=login.code_verifier)
