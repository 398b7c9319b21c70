"""Joining an establishment that already has users is a request: its users hear of it and
may object, staff read plainly what is asked, and nothing of the establishment shows before
approval."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Establishment, JoinObjection, PendingChange, User
from tests.factories.directory import directory_entries
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory
from tests.members.test_registration import NYONS_SIRET
from tests.members.test_staff_validation import decide_url
from tests.members.trust_helpers import link_in, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def nyons(member, colleague, market_index):
    """COMMUNE DE NYONS with 3 users and 2 live subscriptions (one more, cancelled)."""
    third = UserFactory(email="dgs@nyons.fr")
    establishment = EstablishmentFactory(
        name="COMMUNE DE NYONS", siret=NYONS_SIRET, siren=NYONS_SIRET[:9], users=[member, colleague, third]
    )
    for n, cancelled_on in enumerate([None, None, "2026-01-05"]):
        SubscriptionFactory(
            establishment=establishment,
            market=MarketPageFactory(parent=market_index, title=f"Marché {n}"),
            sent_on="2026-01-02",
            cancelled_on=cancelled_on,
            cancel_reason="Doublon" if cancelled_on else "",
        )
    return establishment


def _login(client, email):
    client.logout()
    response = client.post(reverse("members:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_registering_with_the_siret_of_an_establishment_with_users_is_a_request(
    client, nyons, staff, django_capture_on_commit_callbacks
):
    [confirm] = register(client, django_capture_on_commit_callbacks, email="intrus@nyons.fr")
    user = User.objects.get(email="intrus@nyons.fr")
    assert not nyons.users.filter(pk=user.pk).exists() and not user.establishments.exists()
    change = PendingChange.objects.get(kind=PendingChange.Kind.ATTACHMENT, requested_by=user)
    assert change.establishment == nyons and change.is_pending

    # Nobody is told of an address nobody has proved yet; the users are once it is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(confirm, "/compte/confirmer/"))
    told = {message.to[0]: message for message in mail.outbox[1:]}
    assert set(told) == {"agent@nyons.fr", "collegue@nyons.fr", "dgs@nyons.fr"}
    notice = told["agent@nyons.fr"]
    assert notice.subject == "Demande de rattachement à COMMUNE DE NYONS"
    assert "Anne Quentin" in notice.body  # who asks, by name and nothing else they typed
    assert "intrus@nyons.fr" not in notice.body and "DGS" not in notice.body

    # A user of the establishment objects through the emailed link.
    objection_path = link_in(notice, "/compte/etablissements/demandes/")
    _login(client, "agent@nyons.fr")
    assert "intrus@nyons.fr" in client.get(reverse("members:establishments")).content.decode()
    page = client.get(objection_path).content.decode()
    assert "demande à rejoindre COMMUNE DE NYONS" in page
    response = client.post(objection_path, {"reason": "Inconnu dans nos services."})
    assert response.status_code == 302
    assert JoinObjection.objects.get().reason == "Inconnu dans nos services."

    # Staff read it plainly.
    client.force_login(staff)
    decision = client.get(decide_url(change)).content.decode().replace("&#x27;", "'")
    assert "Anne Quentin rejoint COMMUNE DE NYONS, qui a déjà 3 utilisateurs et 2 souscriptions." in decision
    assert "Inconnu dans nos services." in decision and "Agnès Martin" in decision
    assert "Confirmée le" in decision


def test_nothing_of_the_establishment_shows_before_approval(client, nyons, staff, django_capture_on_commit_callbacks):
    [confirm] = register(client, django_capture_on_commit_callbacks, email="nouvelle@nyons.fr")
    client.get(link_in(confirm, "/compte/confirmer/"))
    user = User.objects.get(email="nouvelle@nyons.fr")
    User.objects.filter(pk=user.pk).update(status=User.Status.ACTIVE)  # staff approved the account alone
    _login(client, "nouvelle@nyons.fr")
    page = client.get(reverse("members:establishments")).content.decode()
    assert "agent@nyons.fr" not in page and "collegue@nyons.fr" not in page
    assert "Votre rattachement à « COMMUNE DE NYONS » est en attente" in page.replace("&#x27;", "'")
    assert client.get(reverse("members:establishment_edit", args=[nyons.pk])).status_code == 404
    assert "COMMUNE DE NYONS" not in client.get(reverse("groupements:create")).content.decode()

    change = PendingChange.objects.get(requested_by=user)
    client.force_login(staff)
    client.post(decide_url(change), {"decision": "approve", "reason": ""})
    _login(client, "nouvelle@nyons.fr")
    assert "agent@nyons.fr" in client.get(reverse("members:establishments")).content.decode()


def test_a_request_to_join_cannot_be_approved_before_the_address_is_confirmed(
    client, nyons, staff, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks, email="pressee@nyons.fr")
    change = PendingChange.objects.get(requested_by__email="pressee@nyons.fr")
    client.force_login(staff)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong class="review-queues__count">0</strong> Modifications à valider' in dashboard
    response = client.post(decide_url(change), {"decision": "approve", "reason": ""})
    assert "n&#x27;est pas encore confirmée" in response.content.decode()
    change.refresh_from_db()
    assert change.is_pending and not nyons.users.filter(email="pressee@nyons.fr").exists()


def test_only_a_user_of_the_establishment_may_object(client, nyons, outsider, django_capture_on_commit_callbacks):
    requester = UserFactory(email="demandeur@nyons.fr")
    change = PendingChange.objects.create(
        kind=PendingChange.Kind.ATTACHMENT, requested_by=requester, establishment=nyons
    )
    url = reverse("members:join_objection", args=[change.pk])
    for email in ["agent@visan.fr", "demandeur@nyons.fr"]:
        _login(client, email)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Non"}).status_code == 404
    assert not JoinObjection.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the login


def test_add_an_establishment_with_users_tells_them_at_once(client, nyons, django_capture_on_commit_callbacks):
    UserFactory(email="agent@mairie-voisine.fr")
    _login(client, "agent@mairie-voisine.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:establishment_add"), {"name": nyons.name, "siren": nyons.siren, "siret": nyons.siret}
        )
    assert response.status_code == 302
    assert not nyons.users.filter(email="agent@mairie-voisine.fr").exists()
    assert {m.to[0] for m in mail.outbox} == {"agent@nyons.fr", "collegue@nyons.fr", "dgs@nyons.fr"}


def test_add_from_the_directory_an_establishment_nobody_registered_waits_for_staff(
    client, member, staff, django_capture_on_commit_callbacks
):
    directory_entries({"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "city": "LYON"})
    _login(client, "agent@nyons.fr")
    response = client.post(
        reverse("members:establishment_add"), {"name": "CANUT", "siren": "924435951", "siret": "92443595100018"}
    )
    assert "sa création est soumise à la validation" in client.get(response.url).content.decode()
    establishment = Establishment.objects.get(siret="92443595100018")
    assert establishment.status == Establishment.Status.PENDING and establishment.created_by == member
    client.force_login(staff)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong class="review-queues__count">1</strong> Établissements à valider' in dashboard


def test_the_list_of_requests_to_join_costs_the_same_queries_for_one_or_many(client, nyons, member):
    def ask(n):
        for i in range(n):
            PendingChange.objects.create(
                kind=PendingChange.Kind.ATTACHMENT,
                requested_by=UserFactory(email=f"demandeur{PendingChange.objects.count()}.{i}@nyons.fr"),
                establishment=nyons,
            )

    client.force_login(member)
    ask(1)
    client.get(reverse("members:establishments"))  # warm the site-settings cache
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("members:establishments")).content.decode()
    assert page.replace("&#x27;", "'").count("Je m'oppose") == 1
    ask(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("members:establishments")).content.decode()
    assert page.count("demande à rejoindre COMMUNE DE NYONS") == 4
    assert len(four) == len(one)
