import re

import pytest
from django.core import mail
from django.urls import reverse

from members.forms.auth import PENDING_MESSAGE, REJECTED_MESSAGE
from members.models import User
from tests.factories.members import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("members:login")


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_login_by_email_and_logout(client):
    user = UserFactory(email="anne@nyons.fr")
    response = login(client, "Anne@Nyons.fr")
    assert response.status_code == 302
    assert client.get(reverse("members:account")).context["user"] == user
    client.post(reverse("members:logout"))
    assert client.get(reverse("members:account")).status_code == 302


def test_a_wrong_password_says_nothing_about_the_account(client):
    UserFactory(email="anne@nyons.fr", status=User.Status.PENDING)
    page = login(client, "anne@nyons.fr", "pas-le-bon-2026").content.decode()
    assert "Saisissez une Adresse e-mail et un mot de passe valides" in page or "valides" in page
    assert "attente" not in page


def test_a_pending_account_cannot_log_in_and_is_told_why(client):
    UserFactory(email="anne@nyons.fr", status=User.Status.PENDING)
    response = login(client, "anne@nyons.fr")
    assert response.status_code == 200
    page = response.content.decode()
    assert PENDING_MESSAGE.format(delay="sous 3 heures ouvrées").replace("'", "&#x27;") in page
    assert "Le formulaire contient" not in page  # news about the account, not a mistake in the form
    assert "_auth_user_id" not in client.session


def test_the_pending_message_says_the_site_settings_delay(client, home_page):
    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.validation_delay = "sous 24 heures"
    site_settings.save()
    UserFactory(email="anne@nyons.fr", status=User.Status.PENDING)
    assert "(sous 24 heures)" in login(client, "anne@nyons.fr").content.decode()


def test_a_rejected_account_cannot_log_in(client):
    UserFactory(email="anne@nyons.fr", status=User.Status.REJECTED)
    page = login(client, "anne@nyons.fr").content.decode()
    assert REJECTED_MESSAGE.replace("'", "&#x27;") in page


def test_login_attempts_lock_the_client_not_the_account(client, settings):
    UserFactory(email="anne@nyons.fr")
    stranger = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "anne@nyons.fr", "mauvais-mot-de-passe", **stranger).status_code == 200
    assert login(client, "anne@nyons.fr", "mauvais-mot-de-passe", **stranger).status_code == 429  # the last one
    locked = login(client, "anne@nyons.fr", **stranger)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Anne, from her own office, is not locked out by the stranger who guessed at her account.
    assert login(client, "anne@nyons.fr", REMOTE_ADDR="198.51.100.20").status_code == 302


def test_login_attempts_are_limited_per_address(client, settings):
    UserFactory(email="victime@nyons.fr")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu{n}@nyons.fr", "mauvais-mot-de-passe", REMOTE_ADDR="203.0.113.7")
    assert login(client, "victime@nyons.fr", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert login(client, "victime@nyons.fr", REMOTE_ADDR="198.51.100.1").status_code == 302


def test_forgotten_password_by_email(client, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://portail.canut.example"
    UserFactory(email="anne@nyons.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:password_reset"), {"email": "anne@nyons.fr"})
    assert response.url == reverse("members:password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Réinitialisation de votre mot de passe CANUT" and "anne@nyons.fr" in message.body
    # The link starts with the portal's address, never with the Host the request claimed.
    link = re.search(r"https://portail.canut.example(/compte/reinitialiser/\S+)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session one
    response = client.post(form_url, {"new_password1": "Nouveau-Mot-2026!", "new_password2": "Nouveau-Mot-2026!"})
    assert response.url == reverse("members:password_reset_complete")
    assert login(client, "anne@nyons.fr", "Nouveau-Mot-2026!").status_code == 302


def test_forgotten_password_for_an_unknown_email_looks_the_same(client):
    response = client.post(reverse("members:password_reset"), {"email": "personne@nyons.fr"})
    assert response.url == reverse("members:password_reset_done")
    assert mail.outbox == []
