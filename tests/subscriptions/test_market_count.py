"""The market count of an establishment's card ("Mes établissements", the dashboard): its own
live subscriptions and those of the groupements it belongs to, each market once."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groupements.models import Groupement
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketPageFactory
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db


def card_counts(html):
    """{establishment name: "N marché(s)"} as the cards read."""
    card = (
        r'(?s)(?:<h2 id="establishment-\d+">|<p><strong>)([^<]+)</(?:h2|strong)>(?:(?!<h2|<strong).)*?<p>(\d+) marché'
    )
    return dict(re.findall(card, html))


def groupement_with_child(*, parent, child):
    groupement = GroupementFactory(parent=parent, status=Groupement.Status.VALIDATED, members=2)
    groupement.members.create(establishment=child, name=child.name, contact_email="dgs@visan.fr", row_number=9)
    return groupement


def test_a_child_establishment_counts_the_markets_of_its_groupement(client, market_index):
    parent = EstablishmentFactory(name="COMMUNE DE NYONS", users=[UserFactory()])
    user = UserFactory()
    child = EstablishmentFactory(name="COMMUNE DE VISAN", users=[user])
    bystander = EstablishmentFactory(name="COMMUNE DE TULETTE", users=[user])
    groupement = groupement_with_child(parent=parent, child=child)
    other = GroupementFactory(parent=parent, status=Groupement.Status.VALIDATED)  # without the child
    shared, own, cancelled, elsewhere = (MarketPageFactory(parent=market_index) for _ in range(4))

    SubscriptionFactory(market=shared, establishment=parent, groupement=groupement)
    SubscriptionFactory(market=shared, establishment=child)  # also its own: one market still
    SubscriptionFactory(market=own, establishment=child)
    SubscriptionFactory(
        market=cancelled,
        establishment=parent,
        groupement=groupement,
        cancelled_on=datetime.date(2026, 3, 1),
        cancel_reason="Plus de besoin",
    )
    SubscriptionFactory(market=elsewhere, establishment=parent, groupement=other)
    client.force_login(user)

    expected = {"COMMUNE DE VISAN": "2", "COMMUNE DE TULETTE": "0"}
    assert card_counts(client.get(reverse("members:establishments")).content.decode()) == expected
    assert card_counts(client.get(reverse("subscriptions:dashboard")).content.decode()) == expected
    assert bystander.pk  # in no groupement: nothing reached


def test_the_parent_counts_its_groupements_subscriptions_once(client, market_index):
    user = UserFactory()
    parent = EstablishmentFactory(name="COMMUNE DE NYONS", users=[user])
    groupement = groupement_with_child(parent=parent, child=EstablishmentFactory(name="COMMUNE DE VISAN"))
    market = MarketPageFactory(parent=market_index)
    SubscriptionFactory(market=market, establishment=parent, groupement=groupement)
    SubscriptionFactory(market=market, establishment=parent)  # its own beside the groupement's
    client.force_login(user)
    assert card_counts(client.get(reverse("members:establishments")).content.decode()) == {"COMMUNE DE NYONS": "1"}


@pytest.mark.parametrize("name", ["members:establishments", "subscriptions:dashboard"])
def test_counting_through_groupements_costs_no_query_per_establishment(
    client, market_index, name, django_assert_num_queries
):
    user = UserFactory()
    client.force_login(user)
    parent = EstablishmentFactory(users=[UserFactory()])

    def child_with_markets():
        child = EstablishmentFactory(users=[user])
        groupement = groupement_with_child(parent=parent, child=child)
        for _ in range(2):
            SubscriptionFactory(
                market=MarketPageFactory(parent=market_index), establishment=parent, groupement=groupement
            )

    child_with_markets()
    client.get(reverse(name))  # warm the cached header and footer menus, the site settings
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(name))
    for _ in range(3):
        child_with_markets()
    with django_assert_num_queries(len(one)):
        html = client.get(reverse(name)).content.decode()
    assert html.count("<p>2 marché(s)</p>") == 4
