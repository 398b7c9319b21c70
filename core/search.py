"""Which backend answers a public search: the engine when one is configured and answers,
else the database backend, so an engine outage costs relevance, never a page.

An engine error (refused, timed out, or any error of its client) is logged once per
request and the same search runs on the database; for SEARCH_ENGINE_RETRY_SECONDS the
engine is then left alone (a timeout is not waited for on every request), after which it
is tried again: no restart needed.
"""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

ENGINE, DATABASE = "engine", "default"
DOWN_KEY = "search:engine-down:v1"


def _engine_errors():
    errors = []
    try:
        from opensearchpy.exceptions import OpenSearchException

        errors.append(OpenSearchException)
    except ImportError:  # pragma: no cover - opensearch-py is in requirements.txt
        pass
    try:
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        errors += [ApiError, TransportError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


ENGINE_ERRORS = _engine_errors()


def engine_configured():
    return ENGINE in settings.WAGTAILSEARCH_BACKENDS


def engine_answer(run, *, what, errors=ENGINE_ERRORS):
    """`run()` on the engine, or None when none is configured, when it rests after a failure,
    or when it fails now (logged; `what` names the search in the log line)."""
    if not engine_configured() or cache.get(DOWN_KEY):
        return None
    try:
        return run()
    except errors as error:
        logger.warning("Search engine unavailable for %s (%s): answered from the database", what, error)
        seconds = getattr(settings, "SEARCH_ENGINE_RETRY_SECONDS", 10)
        if seconds:
            cache.set(DOWN_KEY, True, seconds)
    return None


def engine_or_database(run, *, what):
    """`run(backend_alias)` on the engine, or on the database when the engine fails. `run`
    must read its results before it returns."""
    found = engine_answer(lambda: run(ENGINE), what=what)
    return run(DATABASE) if found is None else found
