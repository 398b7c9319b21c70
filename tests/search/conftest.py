"""The engine's fixture: the real OpenSearch node of OPENSEARCH_URL (scripts/opensearch),
indexes under a prefix of this session, emptied for each test."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command

from search.config import search_backends

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL")
SESSION_PREFIX = f"test_{uuid.uuid4().hex[:8]}_"

needs_engine = pytest.mark.skipif(not OPENSEARCH_URL, reason="needs an OpenSearch node (OPENSEARCH_URL)")


@pytest.fixture(scope="session")
def engine_session():
    from opensearchpy import OpenSearch

    client = OpenSearch(hosts=[OPENSEARCH_URL], timeout=30)
    yield client
    client.indices.delete(index=f"{SESSION_PREFIX}*", ignore_unavailable=True)


@pytest.fixture
def engine(db, settings, engine_session):
    """The engine configured as the site's, its indexes built empty: use it before any
    fixture that creates pages, so they are indexed as they are published."""
    settings.WAGTAILSEARCH_BACKENDS = search_backends(opensearch_url=OPENSEARCH_URL, index_prefix=SESSION_PREFIX)
    call_command("update_index", backend_name="engine", schema_only=True, verbosity=0)
    cache.clear()
    return engine_session


def refresh(client):
    """Make what was just indexed searchable (the engine publishes writes every second)."""
    client.indices.refresh(index=f"{SESSION_PREFIX}*")


def stored_documents(client):
    """Every document of the session's indexes, as the engine stores them."""
    refresh(client)
    found = client.search(index=f"{SESSION_PREFIX}*", body={"query": {"match_all": {}}, "size": 10_000})
    return [(hit["_index"], hit["_source"]) for hit in found["hits"]["hits"]]
