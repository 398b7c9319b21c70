"""Search backend configuration, kept free of Django imports so settings can build it.

The database backend (SQLite FTS5 or PostgreSQL full-text search) is the default. Setting
OPENSEARCH_URL switches the site and catalogue searches to OpenSearch 2 (Wagtail's
`opensearch2` backend, `opensearch-py` 2.x: the engine CI runs, scripts/opensearch);
ELASTICSEARCH_URL to Elasticsearch 9 (its client refuses an OpenSearch server). Both
engines get the same French analysis.

The database backend stays "default", indexed always: Wagtail's admin searches it (drafts,
private pages, documents, images, users), and the public searches fall back to it while
the engine does not answer (core.search). The engine is "engine": it holds only what the
public may find (search.backends: live pages under no privacy restriction).
"""

ENGINE_BACKENDS = {
    "opensearch": "search.backends.opensearch2",
    "elasticsearch": "search.backends.elasticsearch9",
}
ENGINE_ALIAS = "engine"

# Elision ("l'accord" -> "accord"), lowercase, accent folding: the start of every French
# analyzer below, so "sécurité" and "securite", "l'accord" and "accord" meet.
_FRENCH_START = ["french_elision", "lowercase", "asciifolding"]

# One analysis for every index and engine. `default` (the French stemmer after the start)
# applies to every text field Wagtail maps: "logiciels" finds "logiciel", "accords"
# "l'accord". `edgengram_analyzer` (Wagtail's name, used by AutocompleteField: titles and
# holders) indexes the prefixes of each folded word for the suggestions "as you type";
# `french_prefix` reads what the visitor typed the same way, without cutting it.
FRENCH_ANALYSIS = {
    "settings": {
        "analysis": {
            "filter": {
                "french_elision": {
                    "type": "elision",
                    "articles_case": True,
                    "articles": [
                        "l",
                        "m",
                        "t",
                        "qu",
                        "n",
                        "s",
                        "j",
                        "d",
                        "c",
                        "jusqu",
                        "quoiqu",
                        "lorsqu",
                        "puisqu",
                    ],
                },
                "french_stop": {"type": "stop", "stopwords": "_french_"},
                "french_stemmer": {"type": "stemmer", "language": "light_french"},
                "prefixes": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [*_FRENCH_START, "french_stop", "french_stemmer"],
                },
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [*_FRENCH_START, "prefixes"],
                },
                "french_prefix": {"type": "custom", "tokenizer": "standard", "filter": list(_FRENCH_START)},
            },
        }
    }
}


def database_backend():
    return {
        "BACKEND": "wagtail.search.backends.database",
        # Used by PostgreSQL only; SQLite's FTS5 has no language configuration.
        "SEARCH_CONFIG": "french",
    }


def engine_backend(*, engine, url, index_prefix="canut_", timeout=5, models=("wagtailcore.page", "markets.holder")):
    """One engine's settings: `engine` "opensearch" or "elasticsearch". `models`: the root
    models (app_label.model) it indexes, nothing else (another index, e.g. the price
    lines', is one more label here)."""
    return {
        "BACKEND": ENGINE_BACKENDS[engine],
        "URLS": [url],
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        # update_index builds a new index and swaps the alias: searches read the old one meanwhile.
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": FRENCH_ANALYSIS,
        "PUBLIC_MODELS": list(models),
    }


def search_backends(*, opensearch_url=None, elasticsearch_url=None, index_prefix="canut_", timeout=5):
    """The WAGTAILSEARCH_BACKENDS setting for the given environment (OpenSearch when both
    URLs are set)."""
    if opensearch_url:
        engine = engine_backend(engine="opensearch", url=opensearch_url, index_prefix=index_prefix, timeout=timeout)
    elif elasticsearch_url:
        engine = engine_backend(
            engine="elasticsearch", url=elasticsearch_url, index_prefix=index_prefix, timeout=timeout
        )
    else:
        return {"default": database_backend()}
    return {"default": database_backend(), ENGINE_ALIAS: engine}
