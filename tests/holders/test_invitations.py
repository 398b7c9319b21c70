"""Staff invite a holder's contact from the admin; the link is signed, expiring, one-use."""

import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from holders.invitations import contact_invite
from holders.models import HolderContact
from members.models import User

PASSWORD = "Un mot de passe solide 2025"


@pytest.fixture
def visitor():
    """A browser of its own (the `client` fixture is the staff's here)."""
    return Client()


def _link(message):
    return re.search(r"http\S+/titulaire/invitation/\S+/", message.body).group(0)


def _path(link):
    return link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(staff_client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("holder_contacts:invite"), {"holder": holder.pk, "email": "Vente@Telecom-Sud.fr"}
        )
    assert response.status_code == 302
    return mail.outbox[-1]


def test_staff_invite_from_the_admin_and_the_contact_sets_a_password(visitor, invited, holder):
    assert invited.to == ["vente@telecom-sud.fr"]
    assert "TELECOM SUD" in invited.body
    path = _path(_link(invited))
    page = visitor.get(path)
    assert page.status_code == 200 and "vente@telecom-sud.fr" in page.content.decode()
    response = visitor.post(
        path, {"first_name": "Véra", "last_name": "Vente", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("holders:home")
    user = User.objects.get(email="vente@telecom-sud.fr")
    assert user.status == User.Status.HOLDER and user.is_holder and not user.is_active_member
    assert user.check_password(PASSWORD)
    assert visitor.get(reverse("holders:home")).status_code == 200
    # One use: the same link again is dead, even logged out.
    visitor.logout()
    assert visitor.get(path).status_code == 410


def test_several_contacts_per_holder(staff, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact_invite(holder=holder, email="un@telecom-sud.fr", invited_by=staff)
        contact_invite(holder=holder, email="deux@telecom-sud.fr", invited_by=staff)
    assert HolderContact.objects.filter(holder=holder).count() == 2
    assert len(mail.outbox) == 2


def test_an_expired_or_forged_link_is_refused(visitor, invited, settings):
    path = _path(_link(invited))
    assert visitor.get(path[:-3] + "xx/").status_code == 410
    settings.HOLDER_INVITATION_DAYS = 0
    assert visitor.get(path).status_code == 410


def test_inviting_again_kills_the_older_link(visitor, invited, staff, holder, django_capture_on_commit_callbacks):
    first = _path(_link(invited))
    with django_capture_on_commit_callbacks(execute=True):
        contact_invite(holder=holder, email="vente@telecom-sud.fr", invited_by=staff)
    assert visitor.get(first).status_code == 410
    assert visitor.get(_path(_link(mail.outbox[-1]))).status_code == 200


def test_staff_revoke_a_pending_invitation(visitor, staff_client, invited):
    contact = HolderContact.objects.get()
    response = staff_client.post(reverse("holder_contacts:revoke", args=[contact.pk]), {"confirm": "on"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.revoked_at and contact.state == "Révoqué"
    assert visitor.get(_path(_link(invited))).status_code == 410


def test_a_member_address_cannot_be_invited(staff_client, member, holder):
    response = staff_client.post(reverse("holder_contacts:invite"), {"holder": holder.pk, "email": member.email})
    assert response.status_code == 200
    assert "déjà celle d'un compte" in html.unescape(response.content.decode())
    assert not HolderContact.objects.exists()


def test_only_staff_invite(client, member_client, holder):
    url = reverse("holder_contacts:invite")
    assert member_client.post(url, {"holder": holder.pk, "email": "x@y.fr"}).status_code in (302, 403)
    assert not HolderContact.objects.exists()


def test_weak_password_is_refused(visitor, invited):
    path = _path(_link(invited))
    response = visitor.post(path, {"first_name": "V", "last_name": "V", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="vente@telecom-sud.fr").exists()


def test_invite_listing_button_on_the_holder_snippets(staff_client, holder):
    page = staff_client.get(reverse("wagtailsnippets_markets_holder:list"))
    assert f"/admin/titulaires/contacts/inviter/?titulaire={holder.pk}" in page.content.decode()
