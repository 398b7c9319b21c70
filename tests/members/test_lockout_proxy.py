"""Lockout behind the TLS proxy: five failures from one client lock that client, not the others.

Requests reach Django from the proxy (REMOTE_ADDR 10.0.0.2), which appends the client's
address to X-Forwarded-For; a client that reaches gunicorn directly is counted under its
own address whatever it writes there.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.test import RequestFactory
from django.urls import reverse

from core.proxy import client_ip
from tests.factories.members import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ALICE, BOB = "203.0.113.7", "198.51.100.1"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


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
    settings.TRUSTED_PROXIES = []
    UserFactory(email="bob@nyons.fr")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu{n}@nyons.fr", "mauvais-mot-de-passe", ALICE)
    assert login(client, "bob@nyons.fr", PASSWORD, BOB).status_code == 429


def test_a_client_talking_to_gunicorn_directly_cannot_rotate_its_address(client, settings):
    UserFactory(email="bob@nyons.fr")
    direct = "192.0.2.50"
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("members:login"),
            {"username": f"inconnu{n}@nyons.fr", "password": "mauvais-mot-de-passe"},
            REMOTE_ADDR=direct,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    locked = client.post(
        reverse("members:login"),
        {"username": "bob@nyons.fr", "password": PASSWORD},
        REMOTE_ADDR=direct,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert locked.status_code == 429


def age(minutes):
    """Every recorded attempt happened `minutes` earlier (as if that time had passed)."""
    shift = timedelta(minutes=minutes)
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - shift)
    for row in AccessAttemptExpiration.objects.all():
        AccessAttemptExpiration.objects.filter(pk=row.pk).update(expires_at=row.expires_at - shift)


def test_each_new_lockout_of_a_client_lasts_twice_as_long(client, settings):
    UserFactory(email="bob@nyons.fr")

    def fail_until_locked(start):
        for n in range(settings.AXES_FAILURE_LIMIT):
            login(client, f"inconnu{start + n}@nyons.fr", "mauvais-mot-de-passe", ALICE)

    def locked():
        return login(client, "bob@nyons.fr", PASSWORD, ALICE).status_code == 429

    fail_until_locked(0)
    assert locked()
    age(16)
    assert not locked()  # the first lockout: 15 minutes
    client.logout()
    fail_until_locked(10)
    assert locked()
    age(16)
    assert locked()  # the second: 30 minutes
    age(15)
    assert not locked()


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([PROXY], PROXY, "203.0.113.7", "203.0.113.7"),
        ([PROXY], PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left entry is the client's word
        (["10.0.0.0/8"], PROXY, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies
        ([PROXY], PROXY, "pas-une-adresse", PROXY),
        ([PROXY], PROXY, "", PROXY),
        ([PROXY], "192.0.2.50", "203.0.113.7", "192.0.2.50"),  # not from the proxy: the header is ignored
        ([], PROXY, "203.0.113.7", PROXY),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_failed_login_with_a_huge_username_is_recorded_cut(client):
    # Wagtail's login for private pages hands any length to authenticate() (ours refuses it first).
    response = client.post("/_util/login/", {"username": "x" * 10_000, "password": "faux"})
    assert response.status_code == 200
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [255]
