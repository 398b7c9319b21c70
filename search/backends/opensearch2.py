"""Wagtail's OpenSearch 2 backend (opensearch-py 2.x) for the public searches (see search.backends)."""

from modelsearch.backends.opensearch2 import OpenSearch2SearchBackend

from search.backends import french_backend

SearchBackend = french_backend(OpenSearch2SearchBackend)
