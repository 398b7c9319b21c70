"""The search backends we configure, checked as data; live Elasticsearch tests need its URL."""

import os

import pytest

from markets.models import MarketPage
from search.config import FRENCH_ANALYSIS, search_backends


def test_database_backend_by_default():
    assert search_backends() == {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}}


def test_elasticsearch_9_when_a_url_is_given():
    backend = search_backends(elasticsearch_url="https://search.internal:9200")["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert backend["URLS"] == ["https://search.internal:9200"]
    assert backend["INDEX_SETTINGS"] is FRENCH_ANALYSIS


def test_french_analyzer_is_the_index_default():
    analysis = FRENCH_ANALYSIS["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["tokenizer"] == "standard"
    assert default["filter"] == ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"]
    for name in default["filter"]:
        assert name in analysis["filter"] or name in {"lowercase", "asciifolding"}
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert "l" in analysis["filter"]["french_elision"]["articles"]


def test_elasticsearch_mapping_covers_the_indexed_fields():
    from wagtail.search.backends.elasticsearch9 import Elasticsearch9Mapping

    properties = Elasticsearch9Mapping(MarketPage).get_mapping()["properties"]
    for field in (
        "title",
        "markets_marketpage__subtitle",
        "markets_marketpage__summary",
        "markets_marketpage__search_text",
    ):
        assert properties[field]["type"] == "text", field
    assert properties["markets_marketpage__notified_on_filter"]["type"] == "date"


def test_backend_settings_merge_our_analysis(settings):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend(**search_backends(elasticsearch_url="http://127.0.0.1:1")["default"])
    analysis = backend.settings["settings"]["analysis"]
    assert "default" in analysis["analyzer"] and "edgengram_analyzer" in analysis["analyzer"]


@pytest.mark.elasticsearch
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs an Elasticsearch server (ELASTICSEARCH_URL)")
def test_french_search_on_a_live_elasticsearch(market_index):
    from django.core.management import call_command
    from wagtail.search.backends import get_search_backend

    from tests.factories.markets import MarketPageFactory

    MarketPageFactory(parent=market_index, title="Sécurité des logiciels")
    call_command("update_index", verbosity=0)
    backend = get_search_backend()
    results = backend.search("securite logiciel", MarketPage.objects.live())
    assert [page.title for page in results] == ["Sécurité des logiciels"]
