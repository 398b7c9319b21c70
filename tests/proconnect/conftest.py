"""A real OpenID Connect provider on loopback (proconnect.devprovider), configured as the
portal's ProConnect for the test; and a helper that walks the flow over HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from proconnect.devprovider import LocalProvider

CLIENT_ID = "canut-test"
CLIENT_SECRET = "secret-de-test"


@pytest.fixture
def provider(settings):
    server = LocalProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).start()
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PROCONNECT_DISCOVERY_URL = server.discovery_url
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], server.url]},
    }
    yield server
    server.stop()


def query_of(url):
    return {name: values[-1] for name, values in parse_qs(urlsplit(url).query).items()}


class Journey:
    """The browser's part of the flow, over HTTP: the portal through Django's test client,
    the provider through requests."""

    def __init__(self, client, provider):
        self.client = client
        self.provider = provider
        self.authorize = None

    def start(self, next_url=""):
        response = self.client.post("/compte/proconnect/connexion/", {"next": next_url} if next_url else {})
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(self.provider.issuer + "/authorize?")
        self.authorize = query_of(response["Location"])
        return self.authorize

    def consent(self, **identity):
        """The agent picks who they are at the provider; returns the callback URL it sends back."""
        answer = requests.post(
            self.provider.issuer + "/authorize",
            data={**self.authorize, **identity},
            allow_redirects=False,
            timeout=5,
        )
        assert answer.status_code == 303, answer.text
        return answer.headers["Location"]

    def back(self, callback_url):
        parts = urlsplit(callback_url)
        return self.client.get(parts.path, query_of(callback_url))

    def sign_in(self, **identity):
        self.start()
        return self.back(self.consent(**identity))


@pytest.fixture
def journey(client, provider, home_page):
    return Journey(client, provider)
