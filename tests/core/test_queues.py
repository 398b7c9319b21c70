"""One dashboard panel lists every validation queue, the groupements' included."""

import pytest
from django.urls import reverse

from groupements.models import Groupement
from members.models import User
from tests.factories.groupements import GroupementFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_the_panel_counts_every_queue(staff_client):
    UserFactory(status=User.Status.PENDING)
    GroupementFactory(status=Groupement.Status.PENDING)
    page = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    # Once as the panel's heading, once as the menu group's label.
    assert '<h2 class="w-panel__heading" id="review-queues-heading">Validation CANUT</h2>' in page
    assert page.count("Validation CANUT") == 2
    for label, url in (
        # Accounts reach staff once their address is confirmed (members.wagtail_hooks).
        ("Comptes à valider", reverse("accounts_admin:index") + "?status=pending&amp;email_confirmed=true"),
        ("Groupements à valider", reverse("groupements_admin:index") + "?status=pending"),
    ):
        assert f'<a href="{url}"><strong class="review-queues__count">1</strong> {label}</a>' in page


def test_a_member_sees_no_queue(member_client):
    pending = UserFactory(status=User.Status.PENDING, email="en.attente@mairie-exemple.fr")
    GroupementFactory(status=Groupement.Status.PENDING, name="Groupement en attente")
    for url in (reverse("wagtailadmin_home"), reverse("accounts_admin:index"), reverse("groupements_admin:index")):
        response = member_client.get(url)  # sent to the admin's login...
        assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login")), url
        page = member_client.get(url, follow=True).content.decode()  # ...and shown nothing of what waits
        assert "Validation CANUT" not in page and "review-queues__count" not in page, url
        assert pending.email not in page and "Groupement en attente" not in page, url
