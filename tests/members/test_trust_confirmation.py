"""The address a member types is confirmed by a signed, expiring, one-use link before the
account reaches staff."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from members import confirmation
from members.models import User
from tests.factories.members import PASSWORD, UserFactory
from tests.members.test_staff_validation import decide_url
from tests.members.trust_helpers import link_in, register

pytestmark = pytest.mark.django_db

CONFIRM_PREFIX = "/compte/confirmer/"
RESEND = reverse("members:email_confirm_resend")


def test_registration_emails_a_link_that_confirms_the_address_once(client, django_capture_on_commit_callbacks):
    [message] = register(client, django_capture_on_commit_callbacks)
    assert message.to == ["a.quentin@nyons.fr"] and "Confirmez votre adresse" in message.subject
    user = User.objects.get(email="a.quentin@nyons.fr")
    assert not user.email_confirmed and user.status == User.Status.PENDING
    link = link_in(message, CONFIRM_PREFIX)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(link)
    assert page.status_code == 200 and "Votre adresse e-mail est confirmée" in page.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed and user.status == User.Status.PENDING  # staff decide next

    reused = client.get(link)  # one use: the second visit changes nothing
    assert "Ce lien a déjà servi" in reused.content.decode()
    assert User.objects.get(pk=user.pk).email_confirmed_at == user.email_confirmed_at


def test_an_expired_link_confirms_nothing_and_offers_a_new_one(client, settings, django_capture_on_commit_callbacks):
    [message] = register(client, django_capture_on_commit_callbacks)
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1  # every link is past its age
    response = client.get(link_in(message, CONFIRM_PREFIX))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce lien de confirmation a expiré" in page and RESEND in page
    assert not User.objects.get(email="a.quentin@nyons.fr").email_confirmed


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature changed
        lambda token: signing.dumps({"u": 1, "e": "a.quentin@nyons.fr"}, salt="autre-chose"),  # another salt
        lambda token: "n-importe-quoi",
    ],
)
def test_a_tampered_link_confirms_nothing(client, tamper, django_capture_on_commit_callbacks):
    [message] = register(client, django_capture_on_commit_callbacks)
    token = link_in(message, CONFIRM_PREFIX).removeprefix(CONFIRM_PREFIX).strip("/")
    response = client.get(reverse("members:email_confirm", args=[tamper(token)]))
    assert response.status_code == 400 and "n'est pas valide" in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.get(email="a.quentin@nyons.fr").email_confirmed


def test_a_link_for_another_address_of_the_same_account_confirms_nothing(client):
    user = UserFactory(email="ancienne@nyons.fr", status=User.Status.PENDING, email_confirmed_at=None)
    token = confirmation.token_for(user)
    User.objects.filter(pk=user.pk).update(email="nouvelle@nyons.fr")
    assert client.get(reverse("members:email_confirm", args=[token])).status_code == 400
    assert not User.objects.get(pk=user.pk).email_confirmed


def test_resend_gives_a_new_link_and_the_same_answer_for_any_address(client, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    answers = []
    for email in ["a.quentin@nyons.fr", "personne@nyons.fr"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESEND, {"email": email}, follow=True)
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()))
    assert answers[0] == answers[1] and "un nouveau lien vient de lui être envoyé" in answers[0]
    [message] = mail.outbox
    assert message.to == ["a.quentin@nyons.fr"]
    client.get(link_in(message, CONFIRM_PREFIX))
    assert User.objects.get(email="a.quentin@nyons.fr").email_confirmed


def test_login_before_confirming_says_to_confirm(client):
    UserFactory(email="anne@nyons.fr", status=User.Status.PENDING, email_confirmed_at=None)
    page = client.post(reverse("members:login"), {"username": "anne@nyons.fr", "password": PASSWORD})
    assert "Confirmez d&#x27;abord votre adresse e-mail" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_queue_shows_confirmation_and_refuses_to_approve_an_unconfirmed_account(
    client, staff, django_capture_on_commit_callbacks
):
    unconfirmed = UserFactory(email="pas.confirme@nyons.fr", status=User.Status.PENDING, email_confirmed_at=None)
    confirmed = UserFactory(email="confirme@nyons.fr", status=User.Status.PENDING)
    client.force_login(staff)
    index = reverse("accounts_admin:index")
    page = client.get(index, {"status": "pending", "email_confirmed": "true"}).content.decode()
    assert "confirme@nyons.fr" in page and "pas.confirme@nyons.fr" not in page
    assert "E-mail confirmé" in client.get(index).content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong class="review-queues__count">1</strong> Comptes à valider' in dashboard
    assert "email_confirmed=true" in dashboard

    decision = client.get(decide_url(unconfirmed)).content.decode()
    assert "Non confirmée" in decision
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(unconfirmed), {"decision": "approve", "reason": ""})
    assert "n&#x27;est pas encore confirmée" in response.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == User.Status.PENDING and mail.outbox == []
    assert "Confirmée le" in client.get(decide_url(confirmed)).content.decode()
