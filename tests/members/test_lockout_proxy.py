"""Lockout behind the TLS proxy: five failures from one client lock that client, not the others.

Every request reaches Django from the proxy (REMOTE_ADDR 10.0.0.2), which appends the
client's address to X-Forwarded-For.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.proxy import client_ip
from tests.factories.members import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ALICE, BOB = "203.0.113.7", "198.51.100.1"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def login(client, email, password, forwarded_for):
    return client.post(
        reverse("members:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_one_clients_failures_do_not_lock_out_another(client, settings):
    UserFactory(email="bob@nyons.fr")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu{n}@nyons.fr", "mauvais-mot-de-passe", ALICE)
    assert login(client, "bob@nyons.fr", PASSWORD, ALICE).status_code == 429  # Alice is locked
    assert login(client, "bob@nyons.fr", PASSWORD, BOB).status_code == 302  # Bob, behind the same proxy, is not


def test_a_client_cannot_pick_the_address_it_is_counted_under(client, settings):
    UserFactory(email="bob@nyons.fr")
    # Alice writes Bob's address into X-Forwarded-For; the proxy appends hers.
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu{n}@nyons.fr", "mauvais-mot-de-passe", f"{BOB}, {ALICE}")
    assert login(client, "bob@nyons.fr", PASSWORD, BOB).status_code == 302
    assert login(client, "bob@nyons.fr", PASSWORD, f"{BOB}, {ALICE}").status_code == 429


def test_without_the_setting_the_proxy_address_would_be_everyones(client, settings):
    """What the setting prevents: counted by REMOTE_ADDR, Alice's failures lock out Bob."""
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(email="bob@nyons.fr")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu{n}@nyons.fr", "mauvais-mot-de-passe", ALICE)
    assert login(client, "bob@nyons.fr", PASSWORD, BOB).status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: not through them
        (1, "pas-une-adresse", PROXY),
        (1, "", PROXY),
        (0, "203.0.113.7", PROXY),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
