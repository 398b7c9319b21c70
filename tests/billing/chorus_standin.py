"""A local HTTP server answering like PISTE and Chorus Pro, in their documented shapes:
the OAuth token (client credentials), `deposer/flux`, `consulterCRDetaille`,
`rechercher/fournisseur` and `consulter/historique`, each answer with `codeRetour` and
`libelle`. It keeps what it receives (the deposited files decoded) and can be told to fail:
`fail_next` holds (path, status) or (path, "timeout") served before the normal answers.
"""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TOKEN = "Ex4mpleP1steT0ken"


class ChorusStandIn:
    def __init__(self, *, client_id="piste-app", client_secret="piste-secret", login="TECH_1@cpro", password="p4ss"):
        self.credentials = (client_id, client_secret, login, password)
        self.requests = []  # (path, headers, body)
        self.deposits = []  # (file name, bytes, syntax)
        self.fail_next = []
        self.flows = {}  # flow number → (state, errors)
        self.invoices = {}  # invoice number → (Chorus id, status, rejection comment)
        self.timeout_sleep = 3
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                standin.requests.append((self.path, dict(self.headers), raw))
                for index, (path, failure) in enumerate(standin.fail_next):
                    if path == self.path:
                        del standin.fail_next[index]
                        if failure == "timeout":
                            time.sleep(standin.timeout_sleep)
                            return self._answer(503, {"libelle": "trop tard"})
                        return self._answer(failure, {"codeRetour": 1, "libelle": "Service indisponible"})
                status, body = standin.answer(self.path, self.headers, raw)
                self._answer(status, body)

            def _answer(self, status, body):
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def settings(self) -> dict:
        client_id, client_secret, login, password = self.credentials
        return {
            "oauth_url": f"{self.url}/api/oauth/token",
            "api_url": self.url,
            "client_id": client_id,
            "client_secret": client_secret,
            "login": login,
            "password": password,
            "timeout": 1,
            "retry_pause": 0,
            "max_attempts": 3,
        }

    # The answers ---------------------------------------------------------------------------

    def answer(self, path, headers, raw):
        client_id, client_secret, login, password = self.credentials
        if path == "/api/oauth/token":
            form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
            expected = {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "scope": "openid",
            }
            if form != expected:
                return 400, {"error": "invalid_client"}
            return 200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600, "scope": "openid"}
        account = base64.b64encode(f"{login}:{password}".encode()).decode()
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {"error": "invalid_token"}
        if headers.get("cpro-account") != account:
            return 403, {"codeRetour": 1, "libelle": "Compte technique inconnu"}
        body = json.loads(raw or b"{}")
        if path == "/cpro/factures/v1/deposer/flux":
            content = base64.b64decode(body["fichierFlux"])
            if not content.startswith(b"%PDF"):
                return 400, {"codeRetour": 20001, "libelle": "GDP_MSG_11.010 Le fichier n'est pas un PDF"}
            self.deposits.append((body["nomFichier"], content, body["syntaxeFlux"]))
            number = f"CPP00111170000000004{len(self.deposits):05d}"
            self.flows[number] = ("IN_DEPOT", [])
            return 200, {
                "codeRetour": 0,
                "libelle": "GCU_MSG_01_000",
                "numeroFluxDepot": number,
                "dateDepot": "2026-12-07",
                "syntaxeFlux": body["syntaxeFlux"],
            }
        if path == "/cpro/transverses/v1/consulterCRDetaille":
            state, errors = self.flows.get(body["numeroFluxDepot"], ("", []))
            if not state:
                return 200, {"codeRetour": 20001, "libelle": "POQ_MSG_01.003 - Flux introuvable."}
            return 200, {
                "codeRetour": 0,
                "libelle": "GCU_MSG_01_000",
                "etatCourantDepotFlux": state,
                "listeErreurDP": [{"libelleErreur": error} for error in errors],
            }
        if path == "/cpro/factures/v1/rechercher/fournisseur":
            found = self.invoices.get(body.get("numeroFacture"))
            listed = [{"identifiantFactureCPP": found[0], "numeroFacture": body["numeroFacture"], "statut": found[1]}]
            return 200, {"codeRetour": 0, "libelle": "GCU_MSG_01_000", "listeFactures": listed if found else []}
        if path == "/cpro/factures/v1/consulter/historique":
            for chorus_id, status, comment in self.invoices.values():
                if chorus_id == body.get("identifiantFactureCPP"):
                    history = [{"statutCode": "DEPOSEE", "statutCommentaire": ""}]
                    history.append({"statutCode": status, "statutCommentaire": comment})
                    return 200, {
                        "codeRetour": 0,
                        "libelle": "GCU_MSG_01_000",
                        "historiquesDesStatuts": {"histoStatut": history},
                    }
            return 200, {"codeRetour": 20001, "libelle": "Facture introuvable"}
        return 404, {"codeRetour": 1, "libelle": "Ressource inconnue"}

    def close(self):
        self.server.shutdown()
        self.server.server_close()
