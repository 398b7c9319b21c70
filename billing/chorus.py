"""Chorus Pro, through PISTE: the client of the three calls we make, nothing else.

- the token: OAuth 2.0 client credentials (scope openid) at CHORUS_PRO_OAUTH_URL;
- `deposer/flux`: the Factur-X PDF, base64, syntax IN_DP_E2_CII_FACTURX → `numeroFluxDepot`;
- `consulterCRDetaille`: the flow's integration (IN_INTEGRE, or IN_REJETE with its errors);
- `rechercher/fournisseur` then `consulter/historique`: the invoice's status and, when
  rejected, the buyer's comment.

Every call carries the technical account (`cpro-account: base64(login:password)`). Every
answer says `codeRetour` (0: done) and `libelle`. A 5xx, a timeout or a refused connection
is tried once more at once, then reported as `ChorusUnavailable` (the task tries later);
anything else is a `ChorusRefused` with Chorus's words (trying again would fail the same way).
Off when the four credentials are not all set (`configured()`).
"""

import base64
import time

import requests
from django.conf import settings

DEPOSIT = "/cpro/factures/v1/deposer/flux"
FLOW_REPORT = "/cpro/transverses/v1/consulterCRDetaille"
SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
HISTORY = "/cpro/factures/v1/consulter/historique"
FACTURX_SYNTAX = "IN_DP_E2_CII_FACTURX"


class ChorusError(Exception):
    pass


class ChorusUnavailable(ChorusError):
    """Down, overloaded or too slow: worth trying again later."""


class ChorusRefused(ChorusError):
    """Chorus answered no: the reason is Chorus's own."""


def config() -> dict:
    return settings.CHORUS_PRO


def configured() -> bool:
    conf = config()
    return all(conf.get(key) for key in ("client_id", "client_secret", "login", "password"))


class ChorusClient:
    def __init__(self, conf=None):
        self.conf = conf or config()
        self.session = requests.Session()
        self._token = None

    # Transport -----------------------------------------------------------------------------

    def _send(self, method, url, **kwargs):
        """One request, tried a second time at once if Chorus is down or slow."""
        for attempt in (1, 2):
            try:
                response = self.session.request(method, url, timeout=self.conf["timeout"], **kwargs)
            except (requests.Timeout, requests.ConnectionError) as error:
                failure = ChorusUnavailable(f"Chorus Pro injoignable ({type(error).__name__}).")
            else:
                if response.status_code < 500:
                    return response
                failure = ChorusUnavailable(f"Chorus Pro indisponible (HTTP {response.status_code}).")
            if attempt == 1:
                time.sleep(self.conf.get("retry_pause", 1))
        raise failure

    def token(self) -> str:
        if self._token is None:
            response = self._send(
                "POST",
                self.conf["oauth_url"],
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.conf["client_id"],
                    "client_secret": self.conf["client_secret"],
                    "scope": "openid",
                },
            )
            if response.status_code != 200:
                raise ChorusRefused(f"PISTE refuse l'authentification (HTTP {response.status_code}).")
            self._token = response.json()["access_token"]
        return self._token

    def _post(self, path: str, payload: dict) -> dict:
        account = base64.b64encode(f"{self.conf['login']}:{self.conf['password']}".encode()).decode()
        headers = {"Authorization": f"Bearer {self.token()}", "cpro-account": account, "Accept": "application/json"}
        response = self._send("POST", self.conf["api_url"].rstrip("/") + path, json=payload, headers=headers)
        if response.status_code in (401, 403):
            raise ChorusRefused(f"Chorus Pro refuse le compte technique (HTTP {response.status_code}).")
        try:
            answer = response.json()
        except ValueError as error:
            raise ChorusRefused(f"Réponse illisible de Chorus Pro (HTTP {response.status_code}).") from error
        if response.status_code != 200 or answer.get("codeRetour", 0) != 0:
            raise ChorusRefused(str(answer.get("libelle") or f"HTTP {response.status_code}"))
        return answer

    # Calls ---------------------------------------------------------------------------------

    def deposit(self, content: bytes, filename: str) -> str:
        answer = self._post(
            DEPOSIT,
            {
                "fichierFlux": base64.b64encode(content).decode(),
                "nomFichier": filename,
                "syntaxeFlux": FACTURX_SYNTAX,
                "avecSignature": False,
            },
        )
        return str(answer["numeroFluxDepot"])

    def flow_report(self, flow_number: str) -> tuple[str, list[str]]:
        answer = self._post(FLOW_REPORT, {"numeroFluxDepot": flow_number, "syntaxeFlux": FACTURX_SYNTAX})
        errors = [str(error.get("libelleErreur", "")) for error in answer.get("listeErreurDP") or []]
        return str(answer.get("etatCourantDepotFlux", "")), [e for e in errors if e]

    def invoice_status(self, number: str) -> tuple[str, str] | None:
        """(Chorus's invoice id, its status code), or None while Chorus has not integrated it."""
        answer = self._post(SEARCH, {"numeroFacture": number})
        found = [item for item in answer.get("listeFactures") or [] if item.get("numeroFacture") == number]
        if not found:
            return None
        return str(found[0]["identifiantFactureCPP"]), str(found[0]["statut"])

    def rejection_reason(self, invoice_id: str) -> str:
        answer = self._post(HISTORY, {"identifiantFactureCPP": int(invoice_id)})
        history = (answer.get("historiquesDesStatuts") or {}).get("histoStatut") or []
        for entry in history:
            if entry.get("statutCode") == "REJETEE":
                return str(entry.get("statutCommentaire") or "")
        return ""
