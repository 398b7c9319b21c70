"""What the catalogue's tests read from a response, and markets added in number."""

from django.utils import timezone

from markets.access import Audience
from tests.factories.markets import MarketPageFactory, holder_entry, lot, piece

TODAY = timezone.localdate()


def titles(response):
    return [market.title for market in response.context["catalogue"].page]


def facet(response, name):
    return {value.name: value.count for value in getattr(response.context["catalogue"], name)}


def add_markets(market_index, count, holders, themes, document):
    for i in range(count):
        market = MarketPageFactory(
            parent=market_index,
            holders=[("holder", holder_entry(holders[i % len(holders)]))],
            lots=[lot(1, "Lot", holder_entry(holders[(i + 1) % len(holders)]))],
            documents=[piece(document, "summary", Audience.PUBLIC)],
        )
        market.themes.set([themes[i % len(themes)]])
        market.save()
