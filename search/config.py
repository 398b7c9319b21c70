"""Search backend configuration, kept free of Django imports so settings can build it.

The database backend (SQLite FTS5 or PostgreSQL full-text search) is the default; setting
ELASTICSEARCH_URL switches to the Elasticsearch 9 backend with a French analysis.
"""

# Elision ("l'accord" -> "accord"), lowercase, accent folding and the French stemmer, so
# "sécurité" and "securite", "logiciel" and "logiciels" meet in the index. Declared as the
# index's default analyzer, it applies to every text field Wagtail maps.
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
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "french_elision",
                        "lowercase",
                        "asciifolding",
                        "french_stop",
                        "french_stemmer",
                    ],
                },
            },
        }
    }
}


def search_backends(*, elasticsearch_url=None, index_prefix="canut_"):
    """The WAGTAILSEARCH_BACKENDS setting for the given environment."""
    if not elasticsearch_url:
        return {
            "default": {
                "BACKEND": "wagtail.search.backends.database",
                # Used by PostgreSQL only; SQLite's FTS5 has no language configuration.
                "SEARCH_CONFIG": "french",
            }
        }
    return {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [elasticsearch_url],
            "INDEX_PREFIX": index_prefix,
            "TIMEOUT": 5,
            "INDEX_SETTINGS": FRENCH_ANALYSIS,
        }
    }
