"""The OpenID Connect client side of ProConnect: discovery, the authorization request
(state, nonce, PKCE), the code exchange and the checks on what comes back.

authlib builds the requests (OAuth2Session: PKCE S256, client authentication); joserfc
checks every JWT: signature against the provider's published keys (JWKS, fetched again
once when an unknown key id appears, as after a rotation), issuer, audience, expiry,
issue time and nonce. Nothing here trusts a claim before those checks pass.
"""

import secrets
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

ALGORITHMS = ["RS256", "ES256"]  # asymmetric only: a shared-secret signature proves less
LEEWAY = 60  # seconds of clock difference tolerated on exp / iat
METADATA_TTL = 3600


class ProConnectError(Exception):
    """The exchange with ProConnect failed or answered something that does not check out.
    `reason` is for the logs; the agent sees one French message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def configured() -> bool:
    return bool(
        settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_CLIENT_SECRET and settings.PROCONNECT_DISCOVERY_URL
    )


def _get(url: str, **kwargs) -> requests.Response:
    try:
        response = requests.get(url, timeout=settings.PROCONNECT_TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise ProConnectError(f"{url}: {error}") from None
    if response.status_code != 200:
        raise ProConnectError(f"{url}: HTTP {response.status_code}")
    return response


def metadata() -> dict:
    """The discovery document, kept an hour in the shared cache."""
    key = f"proconnect:metadata:{settings.PROCONNECT_DISCOVERY_URL}"
    data = cache.get(key)
    if data is None:
        try:
            data = _get(settings.PROCONNECT_DISCOVERY_URL).json()
        except ValueError:
            raise ProConnectError("discovery: not JSON") from None
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
        if not isinstance(data, dict) or any(not isinstance(data.get(name), str) for name in needed):
            raise ProConnectError("discovery: incomplete")
        cache.set(key, data, METADATA_TTL)
    return data


def _keys(*, refresh: bool = False) -> KeySet:
    url = metadata()["jwks_uri"]
    key = f"proconnect:jwks:{url}"
    data = None if refresh else cache.get(key)
    if data is None:
        try:
            data = _get(url).json()
            KeySet.import_key_set(data)
        except (ValueError, JoseError):
            raise ProConnectError("jwks: unreadable") from None
        cache.set(key, data, METADATA_TTL)
    return KeySet.import_key_set(data)


def _verified(token: str, *, nonce: str | None) -> dict:
    """The claims of a JWT signed by the provider, for us, now; ProConnectError otherwise."""
    for attempt in (False, True):
        try:
            decoded = jwt.decode(token, _keys(refresh=attempt), algorithms=ALGORITHMS)
            break
        except JoseError as error:
            if attempt:
                raise ProConnectError(f"signature: {error.error}") from None
        except ValueError:
            raise ProConnectError("malformed JWT") from None
    options = {
        "iss": {"essential": True, "value": metadata()["issuer"]},
        "aud": {"essential": True, "value": settings.PROCONNECT_CLIENT_ID},
        "sub": {"essential": True},
    }
    if nonce is not None:
        options.update(exp={"essential": True}, iat={"essential": True}, nonce={"essential": True, "value": nonce})
    try:
        JWTClaimsRegistry(leeway=LEEWAY, **options).validate(decoded.claims)
    except JoseError as error:
        raise ProConnectError(f"claims: {error.error} {getattr(error, 'claim', '')}") from None
    aud = decoded.claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and decoded.claims.get("azp") != settings.PROCONNECT_CLIENT_ID:
        raise ProConnectError("claims: azp")
    return decoded.claims


def _session(redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=settings.PROCONNECT_CLIENT_ID,
        client_secret=settings.PROCONNECT_CLIENT_SECRET,
        scope=settings.PROCONNECT_SCOPES,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method="client_secret_post",
        code_challenge_method="S256",
    )


def authorization(*, redirect_uri: str) -> tuple[str, dict]:
    """The provider's URL to send the agent to, and what the callback must find again
    (kept in the agent's session, never in the URL alone)."""
    flow = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32)}
    extra = {}
    # PKCE when the provider says it takes it: ProConnect refuses any parameter it does not know.
    if "S256" in metadata().get("code_challenge_methods_supported", []):
        flow["code_verifier"] = extra["code_verifier"] = secrets.token_urlsafe(48)
    url, _ = _session(redirect_uri).create_authorization_url(
        metadata()["authorization_endpoint"], state=flow["state"], nonce=flow["nonce"], **extra
    )
    return url, flow


def identity_fetch(*, code: str, flow: dict, redirect_uri: str) -> tuple[dict, str]:
    """Exchanges the code (PKCE verifier joined), checks the ID token, reads the userinfo
    (a signed JWT at ProConnect, plain JSON elsewhere) and returns (claims, id_token)."""
    session = _session(redirect_uri)
    try:
        token = session.fetch_token(
            metadata()["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            **({"code_verifier": flow["code_verifier"]} if flow.get("code_verifier") else {}),
            timeout=settings.PROCONNECT_TIMEOUT,
        )
    except (AuthlibBaseError, requests.RequestException, ValueError) as error:
        raise ProConnectError(f"token: {error}") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str) or not isinstance(token.get("access_token"), str):
        raise ProConnectError("token: no id_token")
    id_claims = _verified(id_token, nonce=flow["nonce"])
    response = _get(metadata()["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"})
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        claims = _verified(response.text.strip(), nonce=None)
    else:
        try:
            claims = response.json()
        except ValueError:
            raise ProConnectError("userinfo: unreadable") from None
    if not isinstance(claims, dict) or claims.get("sub") != id_claims["sub"]:
        raise ProConnectError("userinfo: another subject")
    return {**claims, "idp_id": claims.get("idp_id") or id_claims.get("idp_id", "")}, id_token


def end_session_url(*, id_token: str, state: str, post_logout_redirect_uri: str) -> str | None:
    try:
        endpoint = metadata().get("end_session_endpoint")
    except ProConnectError:
        return None
    if not endpoint:
        return None
    query = urlencode({"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}?{query}"
