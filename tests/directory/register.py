"""A local HTTP server answering like the API Recherche d'entreprises, and its real sample."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

# A real answer of the API for DINUM (Licence Ouverte, from shared/data), kept with the tests.
SAMPLE = Path(__file__).parent / "fixtures" / "recherche-entreprises-search-dinum.json"
# Nothing listens on the discard port: connections are refused at once.
UNREACHABLE_URL = "http://127.0.0.1:9"


def register_sample():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


class FakeRegister:
    """A local HTTP server answering like the API Recherche d'entreprises.

    `answers` is a list of (status, headers, body or dict) served in order; when it is
    empty the real sample response is served. `requests` records each query string.
    """

    def __init__(self):
        self.answers = []
        self.requests = []
        self.delay = 0
        register = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                register.requests.append((url.path, parse_qs(url.query)))
                if register.delay:
                    time.sleep(register.delay)
                status, headers, body = register.answers.pop(0) if register.answers else (200, {}, register_sample())
                payload = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
