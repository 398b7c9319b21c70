"""The load run's wrk driver: a real wrk against a small local server, its figures read back."""

import http.server
import os
import threading

import pytest

from benchmarks import wrk

pytestmark = pytest.mark.bench


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def do_GET(self):
        Handler.seen.append((self.path, self.headers.get("Cookie"), self.headers.get("X-Forwarded-Proto")))
        status = 404 if self.path == "/absent" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_a_mix_is_sent_with_its_cookies_and_its_figures_read_back(server):
    Handler.seen.clear()
    mix = wrk.draw([(3, [("/a?q=écran", "")]), (1, [("/compte/", 'sessionid=abc"1')]), (1, [("/absent", "")])], 300)
    assert {path for path, _ in mix} == {"/a?q=écran", "/compte/", "/absent"}
    figures = wrk.run(server, "test", mix, workers=lambda: [os.getpid()], duration=1, connections=2, threads=1)
    # wrk counts the answers it had when time ran out: one per connection may still be on its way.
    assert len(Handler.seen) - 2 <= figures["requests"] <= len(Handler.seen) and figures["requests"] > 10
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    absent = sum(1 for path, *_ in Handler.seen if path == "/absent")
    assert absent - 2 <= figures["error_kinds"]["status"] <= absent
    assert figures["errors"] >= figures["error_kinds"]["status"]
    assert ("/compte/", 'sessionid=abc"1', "https") in Handler.seen
    assert ("/a?q=%C3%A9cran", None, "https") in Handler.seen
    assert figures["worker_cpu_ms_per_request"] > 0  # this process served them


def test_parse_refuses_an_output_without_figures():
    with pytest.raises(ValueError, match="no figures"):
        wrk.parse("Running 1s test @ http://127.0.0.1:1/\n  0 requests in 1.00s\n")
    figures = wrk.parse("WRK-SUMMARY 500 2000000 0 1 0 4 0\nWRK-LATENCY 1500 9000 12000 2500 30000\n")
    assert figures["rps"] == 250.0 and figures["p95_ms"] == 9.0 and figures["errors"] == 5
