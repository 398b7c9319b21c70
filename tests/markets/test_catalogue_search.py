"""'Tous les marchés': what is listed by default, the status filter and the keyword search."""

import pytest

from markets.models import MarketPage
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    ThemeFactory,
    indexing_deferred,
)
from tests.markets.catalogue_helpers import add_markets, facet, titles


def test_lists_current_live_markets_by_default(client, market_index, catalogue):
    response = client.get(market_index.url)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        ["Multi-éditeurs", "Microsoft et alternatives", "Matériels bureautiques neufs", "Cybersécurité"]
    )
    assert "4 marchés trouvés" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [("termines", ["Ancien marché de logiciels"]), ("a-venir", ["Futur marché réseaux"])],
)
def test_status_filter(client, market_index, catalogue, status, expected):
    assert titles(client.get(market_index.url, {"statut": status})) == expected


def test_all_statuses_never_show_drafts(client, market_index, catalogue):
    found = titles(client.get(market_index.url, {"statut": "tous"}))
    assert len(found) == 6
    assert "Brouillon de logiciels" not in found


def test_unpublished_market_disappears(client, market_index, catalogue):
    catalogue["multi"].unpublish()
    assert "Multi-éditeurs" not in titles(client.get(market_index.url))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("securite", ["Cybersécurité"]),  # accents forgiven
        ("SÉCURITÉ", ["Cybersécurité"]),
        ("portable", ["Matériels bureautiques neufs"]),  # "portables" in the summary
        ("solution systeme", ["Cybersécurité"]),
        ("logiciel", ["Multi-éditeurs", "Microsoft et alternatives"]),  # parent theme of their sub-themes
        ("portables ecran", ["Matériels bureautiques neufs"]),  # every word must match
        ("econocom", ["Matériels bureautiques neufs"]),  # holder names are indexed
        ("environnement travail", ["Multi-éditeurs", "Microsoft et alternatives"]),  # theme names too
    ],
)
def test_keyword_search_forgives_accents_and_plurals(client, market_index, catalogue, query, expected):
    assert sorted(titles(client.get(market_index.url, {"q": query}))) == sorted(expected)


def test_keyword_search_respects_status_and_drafts(client, market_index, catalogue):
    assert titles(client.get(market_index.url, {"q": "editeurs"})) == ["Multi-éditeurs"]
    found = titles(client.get(market_index.url, {"q": "logiciels gestion", "statut": "tous"}))
    assert sorted(found) == ["Ancien marché de logiciels", "Multi-éditeurs"]


def test_keyword_search_is_paged_in_relevance_order_without_repeats(client, market_index):
    holder, theme, document = HolderFactory(), ThemeFactory(), MarketDocumentFactory()
    with indexing_deferred():
        add_markets(market_index, 25, [holder], [theme], document)
    seen = []
    for page in (1, 2, 3):
        response = client.get(market_index.url, {"q": "licences", "page": page})
        seen += [card.pk for card in response.context["catalogue"].page]
    assert len(seen) == len(set(seen)) == 25
    assert response.context["catalogue"].total == 25


def test_an_engine_answering_with_objects_gives_the_same_catalogue(client, market_index, catalogue, settings):
    """The Elasticsearch path: the engine's hits, in its order, stand for the set."""
    queries = [{"q": "logiciels"}, {"q": "securite", "statut": "tous"}, {"q": "logiciels", "titulaire": "scc"}]
    by_queryset = [client.get(market_index.url, params) for params in queries]
    # Another engine: other cache keys (the cached results of the first are not read).
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "tests.markets.ids_backend", "SEARCH_CONFIG": "french"}}
    assert not hasattr(MarketPage.objects.search("logiciels"), "get_queryset")  # the other path, then
    for params, expected in zip(queries, by_queryset, strict=True):
        response = client.get(market_index.url, params)
        assert titles(response) == titles(expected), params
        assert facet(response, "holder_facet") == facet(expected, "holder_facet"), params
        assert facet(response, "theme_facet") == facet(expected, "theme_facet"), params
    assert titles(client.get(market_index.url, {"q": "introuvable"})) == []
