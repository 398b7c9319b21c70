"""A row created a moment ago reads "À l'instant", not "Il y a 0 minute"."""

import pytest
from django.urls import reverse

from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_a_fresh_row_reads_just_now(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    UserFactory(email="nouveau@mairie.fr")
    html = client.get(reverse("accounts_admin:index")).content.decode()
    assert "0 minute" not in html
    assert "À l&#x27;instant" in html or "À l'instant" in html
