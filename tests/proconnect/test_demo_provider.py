"""`manage.py proconnect_provider`: the demo's ProConnect answers like the real one's discovery."""

import subprocess
import sys

import requests
from django.conf import settings

from tests.servers import free_port, wait_for_port


def test_the_demo_provider_command_serves_a_discovery_document():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "proconnect_provider", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=90)
        issuer = f"http://127.0.0.1:{port}/api/v2"
        document = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
        assert document["issuer"] == issuer and document["end_session_endpoint"] == f"{issuer}/session/end"
        assert "S256" in document["code_challenge_methods_supported"]
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "PROCONNECT_DISCOVERY_URL=" in output and "canut-demo" in output
