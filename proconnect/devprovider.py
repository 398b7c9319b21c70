"""A small OpenID Connect provider that speaks like ProConnect, on loopback: the tests start
it, and `manage.py proconnect_provider` runs it for a demonstration. Never a production
provider: it asks for no password, the person at the keyboard picks who they are.

Built on joserfc (keys, signed JWTs) and authlib (the PKCE check), served by wsgiref. Its
endpoints and claims follow ProConnect's documentation: /api/v2/authorize, token, userinfo
(a signed JWT), session/end, jwks and the discovery document; claims email, given_name,
usual_name, siret, sub, idp_id, uid.

`flaw` makes the next ID tokens wrong on purpose ("expired", "wrong_key", "wrong_audience",
"wrong_issuer", "wrong_nonce"), for the client's checks to be tested.
"""

import hashlib
import html
import json
import secrets
import threading
import time
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode, urlparse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

PREFIX = "/api/v2"
CODE_LIFETIME = 30  # seconds, as ProConnect's
TOKEN_LIFETIME = 60
# The demo's COMMUNE DE NYONS (demo/loaders.py): a validated establishment of the directory.
DEFAULT_IDENTITY = {
    "email": "lea.dupont@mairie-nyons.fr",
    "given_name": "Léa",
    "usual_name": "Dupont",
    "siret": "21260210600016",
    "idp_id": "fia1v2",
}
DEMO_CLIENT_ID = "canut-demo"
DEMO_CLIENT_SECRET = "canut-demo-secret"  # a loopback demonstration's, never a real one
IDENTITY_FIELDS = (
    ("email", "Adresse e-mail"),
    ("given_name", "Prénom"),
    ("usual_name", "Nom d'usage"),
    ("siret", "SIRET de l'organisation"),
)


def subject_for(email: str) -> str:
    """A stable, opaque `sub` per address, as the federation gives each agent."""
    return hashlib.sha256(f"proconnect-local:{email.lower()}".encode()).hexdigest()


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class LocalProvider:
    def __init__(self, *, client_id: str, client_secret: str, host: str = "127.0.0.1", port: int = 0):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "local-1", "use": "sig", "alg": "RS256"})
        # Same kid, other key: a token signed with it looks right and is not.
        self.stranger_key = RSAKey.generate_key(2048, parameters={"kid": "local-1", "use": "sig", "alg": "RS256"})
        self.identity = dict(DEFAULT_IDENTITY)
        self.flaw = None
        self.codes = {}
        self.tokens = {}
        self.ended_sessions = []  # (id_token_hint claims, state, post_logout_redirect_uri)
        self.token_requests = 0
        self._lock = threading.Lock()
        self.server = make_server(host, port, self, server_class=_Server, handler_class=_QuietHandler)
        self.url = f"http://{host}:{self.server.server_port}"
        self.issuer = self.url + PREFIX
        self.discovery_url = self.issuer + "/.well-known/openid-configuration"
        self.thread = None

    # Life ---------------------------------------------------------------------------------

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        self.server.serve_forever()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[-1] for k, v in parse_qs(environ["wsgi.input"].read(min(length, 100_000)).decode()).items()}
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/session/end": self.end_session,
        }
        handler = routes.get(path.removeprefix(PREFIX)) if path.startswith(PREFIX) else None
        if handler is None:
            status, headers, body = "404 Not Found", [("Content-Type", "text/plain")], b"not found"
        else:
            status, headers, body = handler(method=method, query=query, form=form, environ=environ)
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def _json(data, status="200 OK"):
        return status, [("Content-Type", "application/json;charset=utf-8")], json.dumps(data).encode()

    @staticmethod
    def _redirect(url):
        return "303 See Other", [("Location", url)], b""

    def discovery(self, **_):
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "end_session_endpoint": self.issuer + "/session/end",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "scopes_supported": ["openid", "email", "given_name", "usual_name", "siret", "idp_id", "uid"],
                "claims_supported": ["sub", "email", "given_name", "usual_name", "siret", "idp_id", "uid"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "userinfo_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, **_):
        return self._json(KeySet([self.key]).as_dict(private=False))

    def authorize(self, *, method, query, form, **_):
        params = form if method == "POST" else query
        required = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge")
        missing = [name for name in required if not params.get(name)]
        if missing or params["client_id"] != self.client_id or params["response_type"] != "code":
            return self._json({"error": "invalid_request", "missing": missing}, "400 Bad Request")
        if params.get("code_challenge_method") != "S256" or "openid" not in params["scope"].split():
            return self._json({"error": "invalid_request"}, "400 Bad Request")
        if method == "GET":
            return self._identity_page(params)
        redirect_uri = params["redirect_uri"]
        if form.get("cancel"):
            return self._redirect(f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': params['state']})}")
        identity = {name: form.get(name, self.identity.get(name, "")).strip() for name, _ in IDENTITY_FIELDS}
        identity["idp_id"] = self.identity.get("idp_id", "fia1v2")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self.codes[code] = {
                "identity": identity,
                "nonce": params["nonce"],
                "redirect_uri": redirect_uri,
                "challenge": params["code_challenge"],
                "expires": time.time() + CODE_LIFETIME,
            }
        return self._redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': params['state']})}")

    def _identity_page(self, params):
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items()
        )
        fields = "".join(
            f'<p><label for="{name}">{label}</label><br>'
            f'<input id="{name}" name="{name}" value="{html.escape(self.identity.get(name, ""))}" size="40"></p>'
            for name, label in IDENTITY_FIELDS
        )
        page = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>ProConnect (fournisseur local de démonstration)</title></head><body><main>"
            "<h1>ProConnect — fournisseur local de démonstration</h1>"
            "<p>Aucun mot de passe ici : choisissez l'identité que ProConnect transmettra.</p>"
            f'<form method="post">{hidden}{fields}'
            '<button type="submit">Continuer</button> <button type="submit" name="cancel" value="1">Annuler</button>'
            "</form></main></body></html>"
        )
        return "200 OK", [("Content-Type", "text/html; charset=utf-8")], page.encode()

    def _client_authenticated(self, form, environ):
        import base64

        header = environ.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        return client_id == self.client_id and secret == self.client_secret

    def token(self, *, method, form, environ, **_):
        self.token_requests += 1
        if method != "POST" or not self._client_authenticated(form, environ):
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        with self._lock:
            grant = self.codes.pop(form.get("code", ""), None)  # one use only
        if grant is None or grant["expires"] < time.time() or form.get("grant_type") != "authorization_code":
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json({"error": "invalid_grant", "error_description": "redirect_uri"}, "400 Bad Request")
        verifier = form.get("code_verifier", "")
        if not verifier or create_s256_code_challenge(verifier) != grant["challenge"]:
            return self._json({"error": "invalid_grant", "error_description": "code_verifier"}, "400 Bad Request")
        identity = grant["identity"]
        sub = subject_for(identity["email"])
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[access_token] = {**identity, "sub": sub, "expires": time.time() + TOKEN_LIFETIME}
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "id_token": self._id_token(sub=sub, nonce=grant["nonce"], idp_id=identity["idp_id"]),
            }
        )

    def _id_token(self, *, sub, nonce, idp_id):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": sub,
            "aud": self.client_id,
            "exp": now + TOKEN_LIFETIME,
            "iat": now,
            "auth_time": now,
            "nonce": nonce,
            "acr": "eidas1",
            "amr": ["pwd"],
            "idp_id": idp_id,
        }
        key = self.key
        if self.flaw == "expired":
            claims.update(iat=now - 3600, exp=now - 1800, auth_time=now - 3600)
        elif self.flaw == "wrong_key":
            key = self.stranger_key
        elif self.flaw == "wrong_audience":
            claims["aud"] = "another-service"
        elif self.flaw == "wrong_issuer":
            claims["iss"] = "https://impostor.example"
        elif self.flaw == "wrong_nonce":
            claims["nonce"] = "not-the-one-sent"
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def userinfo(self, *, environ, **_):
        header = environ.get("HTTP_AUTHORIZATION", "")
        data = self.tokens.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
        if data is None or data["expires"] < time.time():
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": data["sub"],
            "email": data["email"],
            "given_name": data["given_name"],
            "usual_name": data["usual_name"],
            "siret": data["siret"],
            "idp_id": data["idp_id"],
            "uid": data["sub"][:16],
        }
        body = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key).encode()
        return "200 OK", [("Content-Type", "application/jwt; charset=utf-8")], body

    def end_session(self, *, query, **_):
        hint, state, back = query.get("id_token_hint"), query.get("state"), query.get("post_logout_redirect_uri")
        if not (hint and state and back):
            return self._json({"error": "invalid_request"}, "400 Bad Request")
        try:
            claims = jwt.decode(hint, self.key, algorithms=["RS256"]).claims
        except (JoseError, ValueError):
            return self._json({"error": "invalid_request", "error_description": "id_token_hint"}, "400 Bad Request")
        self.ended_sessions.append((claims, state, back))
        parsed = urlparse(back)
        return self._redirect(parsed._replace(query=urlencode({"state": state})).geturl())
