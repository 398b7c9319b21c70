"""What the guide shows on "Mes établissements" and "Mon compte": "Supprimer" (a user
leaves an establishment) and changing one's password."""

import pytest
from django.urls import reverse

from groupements.models import Groupement
from members.models import Establishment
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketPageFactory
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db

PASSWORD_CHANGE = reverse("members:password_change")


def leave_url(establishment):
    return reverse("members:establishment_leave", args=[establishment.pk])


def test_a_user_leaves_an_establishment_after_confirming(member_client, member, colleague, establishment):
    page = member_client.get(reverse("members:establishments")).content.decode()
    assert f'href="{leave_url(establishment)}"' in page and "Supprimer" in page
    confirm = member_client.get(leave_url(establishment)).content.decode()
    assert "Supprimer « COMMUNE DE NYONS » de mes établissements" in confirm
    assert establishment.users.filter(pk=member.pk).exists()  # a GET changes nothing

    response = member_client.post(leave_url(establishment), follow=True)
    assert "Vous n&#x27;êtes plus rattaché(e) à « COMMUNE DE NYONS »" in response.content.decode()
    assert list(establishment.users.all()) == [colleague]
    assert Establishment.objects.filter(pk=establishment.pk).exists()  # the establishment stays


def test_the_last_user_of_an_establishment_with_live_subscriptions_cannot_leave(member_client, member, home_page):
    alone = EstablishmentFactory(name="CCAS DE NYONS", users=[member])
    SubscriptionFactory(establishment=alone, market=MarketPageFactory(parent=home_page, title="Logiciels"))
    # Said on the confirmation page, before "Confirmer" (which it does not offer)...
    confirm = member_client.get(leave_url(alone)).content.decode()
    assert "dernier utilisateur de « CCAS DE NYONS », qui a des souscriptions en cours" in confirm
    assert "Confirmer" not in confirm and "Contacter la CANUT" in confirm
    # ...and refused by the service if posted anyway.
    response = member_client.post(leave_url(alone))
    assert response.status_code == 409
    assert "dernier utilisateur de « CCAS DE NYONS », qui a des souscriptions en cours" in response.content.decode()
    assert alone.users.filter(pk=member.pk).exists()


def test_the_last_user_without_subscriptions_may_leave(member_client, member):
    alone = EstablishmentFactory(name="CCAS DE NYONS", users=[member])
    assert member_client.post(leave_url(alone)).status_code == 302
    assert not alone.users.exists()


def test_the_last_user_of_a_groupement_child_may_leave(member_client, member, home_page):
    """The groupement's subscription is the parent's: its users follow it, not the child's."""
    child = EstablishmentFactory(name="CCAS DE NYONS", users=[member])
    parent = EstablishmentFactory(users=[UserFactory()])
    groupement = GroupementFactory(parent=parent, status=Groupement.Status.VALIDATED, members=0)
    groupement.members.create(establishment=child, name=child.name, contact_email="ccas@nyons.fr", row_number=2)
    SubscriptionFactory(establishment=parent, groupement=groupement, market=MarketPageFactory(parent=home_page))
    assert member_client.post(leave_url(child)).status_code == 302
    assert not child.users.exists()


def test_nobody_leaves_for_someone_else(client, outsider, establishment, member):
    client.force_login(outsider)
    assert client.get(leave_url(establishment)).status_code == 404
    assert client.post(leave_url(establishment)).status_code == 404
    assert establishment.users.filter(pk=member.pk).exists()
    client.logout()
    assert client.post(leave_url(establishment)).status_code == 302  # to the login
    assert establishment.users.filter(pk=member.pk).exists()


def test_a_member_changes_their_password_and_stays_logged_in(member_client, member):
    assert "Changer mon mot de passe" in member_client.get(reverse("members:account")).content.decode()
    page = member_client.post(
        PASSWORD_CHANGE, {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    ).content.decode()
    assert "Votre ancien mot de passe est incorrect" in page
    member.set_password("Ancien-mot-de-passe-2026")
    member.save()
    member_client.force_login(member)
    new = "Nouveau-Secret-Canut-42"
    response = member_client.post(
        PASSWORD_CHANGE,
        {"old_password": "Ancien-mot-de-passe-2026", "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Votre mot de passe a été changé." in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(new)
    assert member_client.get(reverse("members:account")).status_code == 200  # still logged in


def test_a_weak_new_password_is_refused_next_to_the_field(member_client, member):
    member.set_password("Ancien-mot-de-passe-2026")
    member.save()
    member_client.force_login(member)
    page = member_client.post(
        PASSWORD_CHANGE,
        {"old_password": "Ancien-mot-de-passe-2026", "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "Ce mot de passe est trop courant" in page or "trop court" in page
