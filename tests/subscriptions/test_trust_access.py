"""Nothing of an establishment opens to someone before staff approve their joining it, and
nothing is subscribed in the name of an establishment staff have not validated."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from markets.access import PIECES_PERMISSION
from members.decisions import establishment_decide, pending_change_decide
from members.models import Establishment, PendingChange, User
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories.directory import directory_entries
from tests.factories.members import UserFactory
from tests.subscriptions.test_views import submit

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no cached permissions


def test_pieces_open_to_a_newcomer_only_once_staff_approve_the_join(
    client, member, establishment, market, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(user=member, market=market, establishment=establishment)
    assert _fresh(member).has_perm(PIECES_PERMISSION, market)
    newcomer = UserFactory(email="nouveau@nyons.fr")
    client.force_login(newcomer)
    data = {"name": establishment.name, "siren": establishment.siren, "siret": establishment.siret}
    client.post(reverse("members:establishment_add"), data)
    change = PendingChange.objects.get(requested_by=newcomer)

    assert not _fresh(newcomer).has_perm(PIECES_PERMISSION, market)
    assert submit(client, market, establishment).status_code == 404
    dashboard = client.get(reverse("subscriptions:dashboard")).content.decode()
    assert market.title not in dashboard.replace("&#x27;", "'")
    assert Subscription.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        pending_change_decide(change=change, approve=True, decided_by=staff)
    assert _fresh(newcomer).has_perm(PIECES_PERMISSION, market)


def test_an_establishment_taken_from_the_directory_is_subscribed_only_once_validated(
    client, member, market, staff, django_capture_on_commit_callbacks
):
    directory_entries({"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "city": "LYON"})
    client.force_login(member)
    client.post(
        reverse("members:establishment_add"), {"name": "CANUT", "siren": "924435951", "siret": "92443595100018"}
    )
    taken = Establishment.objects.get(siret="92443595100018")
    assert taken.status == Establishment.Status.PENDING

    assert submit(client, market, taken).status_code == 404
    with pytest.raises(PermissionDenied):
        services.subscription_request(user=member, market=market, establishment=taken)
    assert not Subscription.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        establishment_decide(establishment=taken, approve=True, decided_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, market, taken).status_code == 302
    assert Subscription.objects.get().establishment == taken
