"""Member pages run a fixed number of queries, whatever the number of subscriptions."""

import pytest
from django.urls import reverse

from subscriptions import services
from subscriptions.selectors import DASHBOARD_SUBSCRIPTIONS, MY_MARKETS_PER_PAGE
from tests.factories.markets import MarketPageFactory
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db

# Every page: session and user (2), then the layout (2: the user's model and group
# permissions for the Wagtail userbar). The site and the header and footer menus come from
# the cache (core.routing, home.templatetags.navigation.site_chrome).
BASE = 2 + 2
# establishments with their market counts, subscription counts, the first cards, groupements,
# and the markets ending soon (alerts: the user's pieces permissions; with any, their markets and lots)
DASHBOARD_QUERIES = BASE + 4 + 1
MY_MARKETS_QUERIES = BASE + 2  # the number of subscriptions, one page of them
# Each tab: the subscription with its market, establishment and groupement, then whether
# the user signs for it (a groupement child's users do not); the first tab shows the
# contact address of the site settings, for the signatory the convention returned signed in
# the portal (signatures' panel), and the purchases holders reported (holders' hook).
DETAIL_QUERIES = BASE + 2 + 1 + 1 + 1
CONTACTS_QUERIES = BASE + 3  # + the lots' holders, read in bulk
# + object permissions of the user and of their groups, the pieces, the lots' holders (to group them)
PIECES_QUERIES = BASE + 6


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


@pytest.mark.parametrize("count", [1, 25])
def test_dashboard_queries(client, market_index, count, django_assert_num_queries):
    user = UserFactory()
    establishments = [EstablishmentFactory(users=[user]) for _ in range(2)]
    add_subscriptions(market_index=market_index, establishment=establishments[0], count=count)
    client.force_login(user)
    warm_up(client)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("subscriptions:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("Gérer mon marché<span") == min(count, DASHBOARD_SUBSCRIPTIONS)
    assert f"{count} marché(s)" in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_my_markets_queries(client, market_index, count, django_assert_num_queries):
    user = UserFactory()
    add_subscriptions(market_index=market_index, establishment=EstablishmentFactory(users=[user]), count=count)
    client.force_login(user)
    warm_up(client)
    with django_assert_num_queries(MY_MARKETS_QUERIES):
        response = client.get(reverse("subscriptions:my_markets"))
    assert response.content.decode().count("Gérer mon marché<span") == min(count, MY_MARKETS_PER_PAGE)


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


def test_dashboard_shows_the_first_cards_and_links_to_all(client, market_index):
    user = UserFactory()
    add_subscriptions(market_index=market_index, establishment=EstablishmentFactory(users=[user]), count=9)
    client.force_login(user)

    html = client.get(reverse("subscriptions:dashboard")).content.decode()

    assert html.count("Gérer mon marché<span") == DASHBOARD_SUBSCRIPTIONS
    assert "<strong>3</strong> souscription(s) validée(s)" in html  # counted over all 9, not the cards shown
    assert "<strong>6</strong> souscription(s) en cours de traitement" in html
    assert f'href="{reverse("subscriptions:my_markets")}">Voir toutes mes souscriptions (9)' in html


def test_my_markets_pages_through_every_subscription(client, market_index):
    user = UserFactory()
    add_subscriptions(market_index=market_index, establishment=EstablishmentFactory(users=[user]), count=25)
    client.force_login(user)
    url = reverse("subscriptions:my_markets")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert first.count("Gérer mon marché<span") == MY_MARKETS_PER_PAGE
    assert second.count("Gérer mon marché<span") == 25 - MY_MARKETS_PER_PAGE
    assert "Page 1 sur 2" in first and 'href="?page=2" rel="next"' in first
    assert "Page 2 sur 2" in second
    detail_links = {line for page in (first, second) for line in page.split('"') if "/compte/souscriptions/" in line}
    assert len(detail_links) == 25  # no card twice, none missing
    for junk in ("abc", "-1", "999"):
        assert client.get(url, {"page": junk}).status_code == 200
