"""What an anonymous request can make the portal email is limited per address and per
client address, with the same answer on screen and a similar time whether or not the
address has an account."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from members.views.limits import TOO_MANY
from tests.factories.members import UserFactory
from tests.members.test_registration import DONE, STEP2, complete_step1, personal_data

pytestmark = pytest.mark.django_db

RESET = reverse("members:password_reset")
RESET_DONE = reverse("members:password_reset_done")
RESEND = reverse("members:email_confirm_resend")
TOO_MANY_HTML = TOO_MANY.replace("'", "&#x27;")


def _page(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _post(client, url, data, capture, **extra):
    with capture(execute=True):
        return client.post(url, data, **extra)


def test_password_reset_mails_an_address_at_most_n_times_an_hour(client, settings, django_capture_on_commit_callbacks):
    settings.MEMBERS_EMAILS_PER_ADDRESS_HOURLY = 2
    UserFactory(email="anne@nyons.fr")
    for n in range(4):
        response = _post(
            client, RESET, {"email": "anne@nyons.fr"}, django_capture_on_commit_callbacks, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert response.status_code == 302 and response.url == RESET_DONE  # the same answer every time
    assert len(mail.outbox) == 2


def test_password_reset_per_client_answers_the_same_for_any_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERS_REQUESTS_PER_CLIENT_HOURLY = 3
    UserFactory(email="anne@nyons.fr")
    for n in range(3):
        _post(client, RESET, {"email": f"inconnu{n}@nyons.fr"}, django_capture_on_commit_callbacks)
    answers = [
        _page(_post(client, RESET, {"email": email}, django_capture_on_commit_callbacks))
        for email in ["anne@nyons.fr", "personne@nyons.fr"]
    ]
    assert TOO_MANY_HTML in answers[0]
    assert answers[0].replace("anne@nyons.fr", "…") == answers[1].replace("personne@nyons.fr", "…")
    assert mail.outbox == []
    # Another client is not held back.
    capture = django_capture_on_commit_callbacks
    response = _post(client, RESET, {"email": "anne@nyons.fr"}, capture, REMOTE_ADDR="10.9.8.7")
    assert response.url == RESET_DONE and len(mail.outbox) == 1


def _register(client, capture, email, **extra):
    complete_step1(client)
    with capture(execute=True):
        return client.post(STEP2, personal_data(email=email), **extra)


def test_registration_with_an_existing_address_mails_its_owner_at_most_n_times(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERS_EMAILS_PER_ADDRESS_HOURLY = 2
    UserFactory(email="anne@nyons.fr")
    for _ in range(4):
        client.cookies.clear()
        assert _register(client, django_capture_on_commit_callbacks, "anne@nyons.fr").url == DONE
    assert [m.subject for m in mail.outbox] == ["Vous avez déjà un compte CANUT"] * 2


def test_registration_per_client_is_limited_whatever_the_address(client, settings, django_capture_on_commit_callbacks):
    settings.MEMBERS_REQUESTS_PER_CLIENT_HOURLY = 2
    UserFactory(email="anne@nyons.fr")
    for n in range(2):
        client.cookies.clear()
        assert _register(client, django_capture_on_commit_callbacks, f"nouveau{n}@nyons.fr").url == DONE
    for email in ["anne@nyons.fr", "nouveau9@nyons.fr"]:
        client.cookies.clear()
        response = _register(client, django_capture_on_commit_callbacks, email)
        assert response.status_code == 200 and TOO_MANY_HTML in response.content.decode()
    assert not mail.outbox[2:]  # two confirmation links, then nothing


def test_resend_link_is_limited_per_address_and_per_client(client, settings, django_capture_on_commit_callbacks):
    settings.MEMBERS_EMAILS_PER_ADDRESS_HOURLY = 1
    settings.MEMBERS_REQUESTS_PER_CLIENT_HOURLY = 3
    UserFactory(email="anne@nyons.fr", status="pending", email_confirmed_at=None)
    for _ in range(3):
        assert _post(client, RESEND, {"email": "anne@nyons.fr"}, django_capture_on_commit_callbacks).status_code == 302
    assert len(mail.outbox) == 1
    response = _post(client, RESEND, {"email": "x@nyons.fr"}, django_capture_on_commit_callbacks)
    assert TOO_MANY_HTML in response.content.decode()


def test_registration_takes_a_similar_time_whether_or_not_the_address_has_an_account(
    client, settings, django_capture_on_commit_callbacks
):
    # The real hasher (tests use a fast one): creating an account costs one password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(email="anne@nyons.fr")

    def timed(email):
        client.cookies.clear()
        complete_step1(client)
        start = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(STEP2, personal_data(email=email)).url == DONE
        return time.perf_counter() - start

    new = min(timed(f"nouveau{n}@nyons.fr") for n in range(3))
    existing = min(timed("anne@nyons.fr") for _ in range(3))
    assert 0.5 < existing / new < 2, (existing, new)
