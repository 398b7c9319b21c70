"""Only an account staff validated authenticates, through every door: the member login,
Wagtail's /admin/login/, the password reset and an existing session."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
MEMBER_PAGES = [
    reverse("members:account"),
    reverse("members:establishments"),
    reverse("groupements:list"),
    reverse("groupements:create"),
]


def _refused(status, **fields):
    user = UserFactory(email="intrus@nyons.fr", status=status, **fields)
    EstablishmentFactory(name="COMMUNE DE NYONS", users=[user, UserFactory(email="maire@nyons.fr")])
    return user


@pytest.mark.parametrize("status", [User.Status.PENDING, User.Status.REJECTED])
def test_wagtail_login_gives_no_session_to_an_account_not_validated(client, status):
    _refused(status)
    response = client.post(ADMIN_LOGIN, {"username": "intrus@nyons.fr", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    for url in MEMBER_PAGES:
        page = client.get(url)
        assert page.status_code == 302 and page.url.startswith(reverse("members:login")), url


@pytest.mark.parametrize("status", [User.Status.PENDING, User.Status.REJECTED])
def test_member_login_gives_no_session_to_an_account_not_validated(client, status):
    _refused(status)
    client.post(reverse("members:login"), {"username": "intrus@nyons.fr", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("members:establishments")).status_code == 302


def test_an_active_member_logs_in_through_either_form(client):
    UserFactory(email="agent@nyons.fr")
    client.post(ADMIN_LOGIN, {"username": "agent@nyons.fr", "password": PASSWORD})
    assert client.get(reverse("members:account")).status_code == 200


def test_a_session_stops_working_once_the_account_is_refused(client):
    user = UserFactory(email="agent@nyons.fr")
    response = client.post(reverse("members:login"), {"username": "agent@nyons.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("members:establishments")).status_code == 200
    User.objects.filter(pk=user.pk).update(status=User.Status.REJECTED)
    response = client.get(reverse("members:establishments"))
    assert response.status_code == 302 and response.url.startswith(reverse("members:login"))


def test_a_staff_account_created_in_the_admin_logs_in(client):
    UserFactory(email="equipe@canut.org", is_staff=True, is_superuser=True, status=User.Status.PENDING)
    client.post(ADMIN_LOGIN, {"username": "equipe@canut.org", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("status", [User.Status.PENDING, User.Status.REJECTED])
def test_password_reset_mails_no_account_that_may_not_log_in(client, status, django_capture_on_commit_callbacks):
    _refused(status)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:password_reset"), {"email": "intrus@nyons.fr"})
    assert response.url == reverse("members:password_reset_done")
    assert mail.outbox == []


def test_wagtail_password_reset_is_off_the_members_one_serves_everyone(client):
    assert client.get("/admin/password_reset/").status_code == 404
