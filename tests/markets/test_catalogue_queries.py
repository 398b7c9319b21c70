"""'Tous les marchés': the SQL queries of a request, cold and warm, do not grow with the markets."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    ThemeFactory,
    indexing_deferred,
)
from tests.markets.catalogue_helpers import add_markets

# Wagtail's routing: the index page, read by the id its path is cached under (core.routing:
# the site and the route from the cache, the privacy restrictions read once below).
ROUTING_QUERIES = 1
# Every catalogue request: the catalogue's stamp and the page privacy restrictions, which
# the cache keys hold and Wagtail's check of the page reads too (once per request).
# Labels and the header and footer menus come from the cache.
KEY_QUERIES = 2
# A search not cached yet: the total and both facets (one query), then one page of cards
# and their holders and pieces (two queries); with keywords, first the matching ids with
# their filters (one more), which give the total.
SEARCH_QUERIES = 3
KEYWORD_QUERIES = 1
# A logged-in visitor: the session and the user, and the Wagtail userbar's two permission
# reads (model and group permissions). Nothing else differs: the results are shared.
LOGGED_IN_QUERIES = 4
COLD, WARM = ROUTING_QUERIES + KEY_QUERIES + SEARCH_QUERIES, ROUTING_QUERIES + KEY_QUERIES


def test_query_count_does_not_grow_with_markets(client, market_index, member):
    holders = [HolderFactory() for _ in range(5)]
    themes = [ThemeFactory() for _ in range(4)]
    document = MarketDocumentFactory()
    requests = [{}, {"theme": themes[0].slug, "titulaire": holders[1].slug}, {"q": "licences"}, {"statut": "tous"}]

    def count(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(market_index.url, params).status_code == 200
        return len(captured.captured_queries)

    def cold_then_warm():
        client.get(market_index.url, {"statut": "a-venir"})  # caches site root paths, labels, menus
        return [(count(params), count(params)) for params in requests]

    add_markets(market_index, 10, holders, themes, document)
    at_10 = cold_then_warm()
    with indexing_deferred():
        add_markets(market_index, 190, holders, themes, document)
    expected = [(COLD + KEYWORD_QUERIES, WARM) if "q" in params else (COLD, WARM) for params in requests]
    assert cold_then_warm() == at_10 == expected
    # The second page reads the cached counts: only its cards are new.
    assert count({"statut": "tous", "page": 2}) == WARM + 2

    client.force_login(member)
    assert [count(params) for params in requests] == [WARM + LOGGED_IN_QUERIES] * len(requests)
