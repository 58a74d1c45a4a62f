"""The VNeID stand-in: a small but real OpenID Connect provider (integrations.md §1, §10.2 item 1).

Authorization code with PKCE (S256 required), RS256 id_tokens signed by a key generated at start and
published at ``jwks``, codes that are single-use and expire after 60 s (``invalid_grant`` on reuse),
``state`` and ``nonce`` round trips, and userinfo with exactly the claim names of integrations.md §1.3
(the DVCQG / vnconnect set, plus ``IAL`` of the VNeID-direct set). ``login_hint=<personal ID>`` of a
seeded citizen approves at once, for scripted tests; otherwise a page lets a person pick a citizen or
cancel (``error=access_denied``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from motcua.standins.accounts import DEFAULTS
from motcua.standins.app import StandIn, json_response, page
from motcua.standins.citizens import Citizen, all_citizens, by_id_number

CODE_SECONDS = 60
TOKEN_SECONDS = 300
_CLIENTS = {DEFAULTS["vneid"]["client_id"]: DEFAULTS["vneid"]["client_secret"]}


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    id_number: str
    nonce: str
    challenge: str
    expires: float
    used: bool = False


def _tech_id(person: Citizen) -> str:
    """A stable technical account id per citizen (DVCQG's TechID), not derived visibly from the ID."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"standin-vneid:{person.id_number}"))


def userinfo_claims(person: Citizen) -> dict[str, Any]:
    """The userinfo claims, named exactly as integrations.md §1.3."""

    def place(address: Any) -> str:
        return address.text

    return {
        "sub": _tech_id(person),
        "TechID": _tech_id(person),
        "LoaiTaiKhoan": "1",
        "SoDinhDanh": person.id_number,
        "SoCMND": person.old_id_number,
        "HoVaTen": person.full_name.upper(),
        "NgayThangNamSinh": person.birth_date.strftime("%Y%m%d"),
        "GioiTinh": "1" if person.male else "2",
        "DanToc": person.ethnicity,
        "QuocTich": "VN",
        "ThuongTru": place(person.permanent),
        "NoiOHienNay": place(person.current),
        "SoDienThoai": person.phone,
        "ThuDienTu": person.email,
        "loAs": str(person.assurance_level),
        "IAL": person.assurance_level,
        "loginIdp": "BCA",
        "TrangThai": "1",
    }


class VNeID(StandIn):
    name = "vneid"
    title = "VNeID — định danh và xác thực điện tử (OpenID Connect)"
    malformed_body = "<html>502 Bad Gateway</html>"
    malformed_type = "application/json"

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
        )
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}
        self._tokens: dict[str, tuple[str, str, float]] = {}  # access token → (id_number, client_id, expiry)

    def rules(self) -> list[Rule]:
        return [
            Rule("/", endpoint="home"),
            Rule("/.well-known/openid-configuration", endpoint="discovery"),
            Rule("/authorize", endpoint="authorize", methods=["GET", "POST"]),
            Rule("/token", endpoint="token", methods=["POST"]),
            Rule("/userinfo", endpoint="userinfo", methods=["GET", "POST"]),
            Rule("/jwks", endpoint="jwks"),
            Rule("/introspect", endpoint="introspect", methods=["POST"]),
            Rule("/logout", endpoint="logout"),
        ]

    @staticmethod
    def issuer(request: Request) -> str:
        return f"{request.host_url.rstrip('/')}/vneid"

    # --- pages and metadata ------------------------------------------------------------------------

    def on_home(self, request: Request) -> Response:
        return page(
            self.title,
            "<p>Nhà cung cấp OpenID Connect giả lập cho đăng nhập bằng VNeID. "
            f"Cấu hình: <a href='{self.issuer(request)}/.well-known/openid-configuration'>openid-configuration</a>.</p>",
        )

    def on_discovery(self, request: Request) -> Response:
        issuer = self.issuer(request)
        return json_response(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "introspection_endpoint": f"{issuer}/introspect",
                "end_session_endpoint": f"{issuer}/logout",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "acr_values_supported": ["LoA1", "LoA2"],
            }
        )

    def on_jwks(self, request: Request) -> Response:
        return json_response({"keys": [self.key.as_dict(private=False)]})

    # --- authorization -----------------------------------------------------------------------------

    def on_authorize(self, request: Request) -> Response:
        q = request.values
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id not in _CLIENTS or urlsplit(redirect_uri).scheme not in {"http", "https"}:
            return page("Yêu cầu không hợp lệ", "<p>client_id hoặc redirect_uri không hợp lệ.</p>", 400)
        state = q.get("state", "")

        def back(**params: str) -> Response:
            return redirect(
                f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{urlencode({**params, 'state': state})}"
            )

        if q.get("response_type") != "code" or "openid" not in q.get("scope", "").split():
            return back(
                error="unsupported_response_type", error_description="response_type=code, scope=openid"
            )
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return back(error="invalid_request", error_description="PKCE (S256) is required")
        if q.get("cancel"):
            return back(error="access_denied", error_description="The citizen cancelled")
        chosen = q.get("login_hint", "") or q.get("citizen", "")
        person = by_id_number().get(chosen)
        if person is None:
            return self._picker(request, q.get("search", ""))
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = _Grant(
                client_id, redirect_uri, person.id_number, q.get("nonce", ""), q["code_challenge"],
                time.monotonic() + CODE_SECONDS,
            )  # fmt: skip
        return back(code=code)

    def _picker(self, request: Request, search: str) -> Response:
        """The login page: pick a seeded citizen (or search by personal ID), or cancel."""
        keep = "".join(
            f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
            for k, v in request.values.items()
            if k not in {"citizen", "search", "cancel"}
        )
        people = [p for p in all_citizens() if not search or p.id_number.startswith(search.strip())][:8]
        rows = "".join(
            f"<li><button name='citizen' value='{p.id_number}'>{html.escape(p.full_name)} — {p.id_number} "
            f"(mức {p.assurance_level})</button></li>"
            for p in people
        )
        body = (
            "<p>Chọn công dân giả lập để đăng nhập (mật khẩu không cần trên máy giả lập).</p>"
            f"<form method='post'>{keep}"
            "<label>Tìm theo số định danh <input name='search' inputmode='numeric' "
            f"value='{html.escape(search)}'></label> <button>Tìm</button>"
            f"<ul style='list-style:none;padding:0'>{rows or '<li>Không tìm thấy.</li>'}</ul>"
            "<button name='cancel' value='1'>Hủy đăng nhập</button></form>"
        )
        return page("Đăng nhập bằng tài khoản định danh điện tử VNeID", body)

    # --- tokens ---------------------------------------------------------------------------------------

    @staticmethod
    def _error(error: str, description: str, status: int = 400) -> Response:
        return json_response({"error": error, "error_description": description}, status)

    def _client(self, request: Request) -> str | None:
        """The authenticated client (client_secret_basic or client_secret_post), or None."""
        client_id, secret = request.form.get("client_id", ""), request.form.get("client_secret", "")
        if request.authorization and request.authorization.type == "basic":
            client_id, secret = request.authorization.username or "", request.authorization.password or ""
        expected = _CLIENTS.get(client_id)
        if expected is None or not secrets.compare_digest(expected, secret):
            return None
        return client_id

    def on_token(self, request: Request) -> Response:
        client_id = self._client(request)
        if client_id is None:
            return self._error("invalid_client", "Client authentication failed", 401)
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return self._error("unsupported_grant_type", "Only authorization_code")
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            reused = grant is not None and grant.used
            if grant is not None:
                grant.used = True
        if grant is None or reused or grant.expires < time.monotonic():
            return self._error("invalid_grant", "The code is unknown, expired or already used")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri", ""):
            return self._error("invalid_grant", "The code was issued to another client or redirect_uri")
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant.challenge:
            return self._error("invalid_grant", "PKCE verification failed")
        person = by_id_number()[grant.id_number]
        now = int(time.time())
        access = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[access] = (person.id_number, client_id, time.time() + TOKEN_SECONDS)
        claims = {
            "iss": self.issuer(request),
            "sub": _tech_id(person),
            "aud": client_id,
            "azp": client_id,
            "iat": now,
            "auth_time": now,
            "exp": now + TOKEN_SECONDS,
            "nonce": grant.nonce,
            "acr": str(person.assurance_level),
            "preferred_username": person.id_number,
            "name": person.full_name,
            "at_hash": _at_hash(access),
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "id_token": id_token,
            }
        )

    def _bearer(self, request: Request) -> Citizen | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else request.form.get("access_token", "")
        with self._lock:
            found = self._tokens.get(token)
        if found is None or found[2] < time.time():
            return None
        return by_id_number()[found[0]]

    def on_userinfo(self, request: Request) -> Response:
        person = self._bearer(request)
        if person is None:
            response = self._error("invalid_token", "The access token is unknown or expired", 401)
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        return json_response(userinfo_claims(person))

    def on_introspect(self, request: Request) -> Response:
        if self._client(request) is None:
            return self._error("invalid_client", "Client authentication failed", 401)
        with self._lock:
            found = self._tokens.get(request.form.get("token", ""))
        if found is None or found[2] < time.time():
            return json_response({"active": False})
        return json_response(
            {"active": True, "client_id": found[1], "exp": int(found[2]), "token_type": "Bearer"}
        )

    def on_logout(self, request: Request) -> Response:
        target = request.args.get("post_logout_redirect_uri", "")
        if urlsplit(target).scheme in {"http", "https"}:
            return redirect(target)
        return page("Đã đăng xuất", "<p>Bạn đã đăng xuất khỏi VNeID (giả lập).</p>")


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()
