"""The search backends we configure, checked as data; live Elasticsearch tests need its URL."""

import os

import pytest

from markets.models import MarketPage
from search.config import FRENCH_ANALYSIS, search_backends


def test_database_backend_by_default():
    assert search_backends() == {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}}


def test_elasticsearch_9_when_a_url_is_given():
    backends = search_backends(elasticsearch_url="https://search.internal:9200")
    assert backends["default"]["BACKEND"] == "wagtail.search.backends.database"  # the admin's, the fallback
    engine = backends["engine"]
    assert engine["BACKEND"] == "search.backends.elasticsearch9"
    assert engine["URLS"] == ["https://search.internal:9200"]
    assert engine["INDEX_SETTINGS"] is FRENCH_ANALYSIS


def test_opensearch_when_its_url_is_given_with_the_same_analysis():
    engine = search_backends(opensearch_url="http://127.0.0.1:9200", index_prefix="x_")["engine"]
    assert engine["BACKEND"] == "search.backends.opensearch2"
    assert (engine["INDEX_PREFIX"], engine["ATOMIC_REBUILD"]) == ("x_", True)
    assert engine["INDEX_SETTINGS"] is FRENCH_ANALYSIS
    assert engine["PUBLIC_MODELS"] == ["wagtailcore.page", "markets.holder"]


def test_french_analyzer_is_the_index_default():
    analysis = FRENCH_ANALYSIS["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["tokenizer"] == "standard"
    assert default["filter"] == ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"]
    assert analysis["analyzer"]["edgengram_analyzer"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "prefixes",
    ]
    for name in default["filter"]:
        assert name in analysis["filter"] or name in {"lowercase", "asciifolding"}
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert "l" in analysis["filter"]["french_elision"]["articles"]


def test_elasticsearch_mapping_covers_the_indexed_fields():
    from search.backends.elasticsearch9 import SearchBackend

    properties = SearchBackend.mapping_class(MarketPage).get_mapping()["properties"]
    for field in (
        "title",
        "markets_marketpage__subtitle",
        "markets_marketpage__summary",
        "markets_marketpage__search_text",
    ):
        assert properties[field]["type"] == "text", field
    assert properties["markets_marketpage__notified_on_filter"]["type"] == "date"
    assert properties["markets_marketpage__holder_ids_filter"]["type"] == "integer"
    assert properties["_edgengrams"]["search_analyzer"] == "french_prefix"


def test_backend_settings_merge_our_analysis(settings):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend(**search_backends(opensearch_url="http://127.0.0.1:1")["engine"])
    analysis = backend.settings["settings"]["analysis"]
    assert "default" in analysis["analyzer"] and "edgengram_analyzer" in analysis["analyzer"]


@pytest.mark.elasticsearch
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs an Elasticsearch server (ELASTICSEARCH_URL)")
def test_french_search_on_a_live_elasticsearch(market_index, settings):
    from django.core.management import call_command
    from wagtail.search.backends import get_search_backend

    from tests.factories.markets import MarketPageFactory

    settings.WAGTAILSEARCH_BACKENDS = search_backends(
        elasticsearch_url=os.environ["ELASTICSEARCH_URL"], index_prefix="t_"
    )
    MarketPageFactory(parent=market_index, title="Sécurité des logiciels")
    call_command("update_index", backend_name="engine", verbosity=0)
    results = get_search_backend("engine").search("securite logiciel", MarketPage.objects.live())
    assert [page.title for page in results] == ["Sécurité des logiciels"]
