"""Wagtail's Elasticsearch 9 backend for those who run Elasticsearch (see search.backends)."""

from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend

from search.backends import french_backend

SearchBackend = french_backend(Elasticsearch9SearchBackend)
