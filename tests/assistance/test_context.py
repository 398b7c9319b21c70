"""The context captured with a request: the page it came from, the object it concerns when
the user may see it, never what the client claims."""

import pytest
from django.test import RequestFactory

from assistance.context import browser_and_system, origin_path, request_context
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketPageFactory
from tests.factories.subscriptions import SubscriptionFactory

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _request(user, *, agent=FIREFOX_WINDOWS):
    request = RequestFactory().get("/assistance/", HTTP_USER_AGENT=agent, HTTP_HOST="localhost")
    request.user = user
    return request


def test_browser_and_system_come_from_the_user_agent():
    assert browser_and_system(FIREFOX_WINDOWS) == ("Firefox 128.0", "Windows 10")
    assert browser_and_system(SAFARI_IPHONE) == ("Mobile Safari 17.5", "iOS 17")
    assert browser_and_system("") == ("", "")
    assert browser_and_system("x" * 5000) == ("", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/compte/inscription/?q=mon+secret", "/compte/inscription/"),  # the query may hold what was typed
        ("http://localhost/compte/inscription/", "/compte/inscription/"),
        ("https://ailleurs.example/compte/", ""),
        ("//ailleurs.example/compte/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_only_paths_of_this_site_are_kept(value, expected):
    assert origin_path(_request(None), value) == expected


def test_registration_page_for_a_visitor(db, home_page):
    from django.contrib.auth.models import AnonymousUser

    context = request_context(_request(AnonymousUser()), origin="/compte/inscription/")
    assert context.page_label == "Inscription : informations sur l'établissement"
    assert context.concerns is None and context.establishments == []
    assert (context.browser, context.operating_system) == ("Firefox 128.0", "Windows 10")


def test_a_market_page_concerns_that_market(member, market_index):
    market = MarketPageFactory(parent=market_index, title="Multi-éditeurs")
    for origin in (f"/compte/marches/{market.pk}/souscrire/", market.url):
        context = request_context(_request(member), origin=origin)
        assert context.concerns == market
        assert context.concerns_label == "Marché (accord-cadre) : Multi-éditeurs"


def test_an_unpublished_market_is_not_recorded(member, market_index):
    market = MarketPageFactory(parent=market_index, live=False)
    context = request_context(_request(member), origin=f"/compte/marches/{market.pk}/souscrire/")
    assert context.concerns is None


def test_a_groupement_is_recorded_for_its_members_only(member, establishment, outsider):
    groupement = GroupementFactory(parent=establishment, created_by=member)
    origin = f"/compte/groupements/{groupement.pk}/"
    assert request_context(_request(member), origin=origin).concerns == groupement
    assert request_context(_request(outsider), origin=origin).concerns is None


def test_a_subscription_comes_through_the_subscriptions_hook(member, establishment, outsider, market_index):
    market = MarketPageFactory(parent=market_index)
    subscription = SubscriptionFactory(establishment=establishment, requested_by=member, market=market)
    origin = f"/compte/souscriptions/{subscription.pk}/pieces/"
    context = request_context(_request(member), origin=origin)
    assert context.concerns == subscription
    assert context.page_label == "Gérer mon marché : pièces du marché"
    assert request_context(_request(outsider), origin=origin).concerns is None


def test_a_members_establishments_are_in_the_context(member, establishment):
    assert request_context(_request(member), origin="").establishments == [establishment]
