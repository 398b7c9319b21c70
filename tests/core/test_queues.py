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
    assert page.count("Validation CANUT") >= 1
    for label, url in (
        # Accounts reach staff once their address is confirmed (members.wagtail_hooks).
        ("Comptes à valider", reverse("accounts_admin:index") + "?status=pending&amp;email_confirmed=true"),
        ("Groupements à valider", reverse("groupements_admin:index") + "?status=pending"),
    ):
        assert f'<a href="{url}"><strong class="review-queues__count">1</strong> {label}</a>' in page


def test_a_member_sees_no_queue(member_client):
    assert member_client.get(reverse("wagtailadmin_home")).status_code == 302
