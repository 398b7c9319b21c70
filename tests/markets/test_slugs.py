"""New market pages get a slug without accents (WAGTAIL_ALLOW_UNICODE_SLUGS = False)."""

import pytest

from tests.factories.markets import MarketPageFactory

pytestmark = pytest.mark.django_db


def test_a_new_market_page_slug_has_no_accents(market_index):
    market = MarketPageFactory(parent=market_index, title="Télécoms et réseaux — lot unique", slug="")
    assert market.slug == "telecoms-et-reseaux-lot-unique"
