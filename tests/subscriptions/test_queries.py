"""Member pages run a fixed number of queries, whatever the number of subscriptions."""

import pytest
from django.urls import reverse

from subscriptions import services
from tests.factories.markets import MarketPageFactory
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db

# Every page: session and user (2), then the layout (7: the user's model and group
# permissions for the Wagtail userbar, the site, its settings, the header's catalogue link,
# the site's root page and its menu pages).
BASE = 2 + 7
DASHBOARD_QUERIES = BASE + 4  # establishments with their market counts, subscriptions, groupements, catalogue link
MY_MARKETS_QUERIES = BASE + 2  # subscriptions, catalogue link
# Each tab: the subscription with its market, establishment and groupement, then whether
# the user signs for it (a groupement child's users do not).
DETAIL_QUERIES = BASE + 2
CONTACTS_QUERIES = BASE + 3  # + the lots' holders, read in bulk
PIECES_QUERIES = BASE + 5  # + object permissions of the user and of their groups, the pieces


def warm_up(client):
    """The first page ever rendered creates the site settings row: not the page's own cost."""
    client.get(reverse("subscriptions:dashboard"))


def add_subscriptions(*, market_index, establishment, count):
    """`count` subscriptions of `establishment`, to as many markets, in every status."""
    for index in range(count):
        fields = {}
        if index % 3 == 1:
            fields = {"received_on": "2024-02-23"}
        elif index % 3 == 2:
            fields = {"received_on": "2024-02-23", "finalized_on": "2024-03-01", "countersigned_convention": "c.pdf"}
        SubscriptionFactory(
            market=MarketPageFactory(parent=market_index), establishment=establishment, sent_on="2024-02-22", **fields
        )


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_queries(client, market_index, count, django_assert_num_queries):
    user = UserFactory()
    establishments = [EstablishmentFactory(users=[user]) for _ in range(2)]
    add_subscriptions(market_index=market_index, establishment=establishments[0], count=count)
    client.force_login(user)
    warm_up(client)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("subscriptions:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("Gérer mon marché<span") == count
    assert f"{count} marché(s)" in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_my_markets_queries(client, market_index, count, django_assert_num_queries):
    user = UserFactory()
    add_subscriptions(market_index=market_index, establishment=EstablishmentFactory(users=[user]), count=count)
    client.force_login(user)
    warm_up(client)
    with django_assert_num_queries(MY_MARKETS_QUERIES):
        response = client.get(reverse("subscriptions:my_markets"))
    assert response.content.decode().count("Gérer mon marché<span") == count


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("subscription_detail", DETAIL_QUERIES),
        ("subscription_contacts", CONTACTS_QUERIES),
        ("subscription_pieces", PIECES_QUERIES),
    ],
)
def test_gerer_mon_marche_queries(
    client, market, market_index, member, establishment, count, name, expected, django_assert_num_queries
):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    # Other subscriptions of the same establishment, and other establishments on the same market.
    add_subscriptions(market_index=market_index, establishment=establishment, count=count - 1)
    for _ in range(count - 1):
        SubscriptionFactory(market=market, establishment=EstablishmentFactory(users=[UserFactory()]))
    client.force_login(member)
    warm_up(client)
    with django_assert_num_queries(expected):
        response = client.get(reverse(f"subscriptions:{name}", args=[subscription.pk]))
    assert response.status_code == 200
