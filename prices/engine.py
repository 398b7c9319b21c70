"""Price lines in the search engine: "Produits et prix" answered by OpenSearch when one is
configured (the site search's engine, WAGTAILSEARCH_BACKENDS["engine"], on opensearch-py).

What a reader may see is not stored in the index: every line of every price source is
indexed with its source's id, and each search is filtered at query time by the ids of the
sources the reader may read, computed by the one rule (selectors.visible_sources: a live
market, a piece listed for an audience of the reader's). So a restricted line is indexed
but never matched, counted or listed for a reader who may not read its piece, and a
changed audience, a withdrawn subscription or an unpublished market applies at once,
with nothing to reindex.

Words are matched as the database matches them: the lines' folded text (core.text, the
one folding rule: accents, plurals, stop words) is indexed word by word, and every query
word (or one of its usual spellings) must start a word; whole words count twice for the
relevance order. So both paths give the same lines and the same counts. The four facets
are the engine's aggregations, disjunctive as in the database: each counts the lines that
pass every filter but its own.

The index is kept up to date by prices.signals (a source saved when an import is applied,
a source deleted) and rebuilt by `manage.py index_prices` (a new index, then the alias
moved: searches read the old one meanwhile). Any engine error is logged and the search
answers from the database (None from `search_lines`): an outage costs speed, never a page.
"""

import copy
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django_tasks import task

from core.search import engine_answer
from markets.models import Holder

from .models import PriceLine

logger = logging.getLogger(__name__)

ENGINE_ALIAS = "engine"
INDEX_NAME = "prices_priceline"
BULK_CHUNK = 2000
# Deep pages (page 4,000 of 100,000 lines) are legitimate: the window covers every line.
MAX_WINDOW = 1_000_000

DOCUMENT_FIELDS = (
    "pk",
    "source_id",
    "market_id",
    "holder_id",
    "publisher",
    "category",
    "designation",
    "search_text",
    "net_price",
    "active",
)

# The folded text is already words separated by spaces (core.text.fold): the engine splits
# it there and keeps each word as it is, so it meets the query words folded the same way.
FOLDED_ANALYSIS = {"analyzer": {"folded_words": {"type": "custom", "tokenizer": "whitespace"}}}

MAPPING = {
    "dynamic": "strict",
    "properties": {
        "line_id": {"type": "long"},
        "source_id": {"type": "long"},
        "market_id": {"type": "long"},
        "holder_id": {"type": "long"},
        "publisher": {"type": "keyword"},
        "category": {"type": "keyword"},
        # Sorted on as a keyword; read as French text (the shared `default` analyzer) by
        # anyone querying the index directly.
        "designation": {"type": "keyword", "fields": {"text": {"type": "text"}}},
        "search_text": {"type": "text", "analyzer": "folded_words", "norms": False, "index_options": "docs"},
        "net_price": {"type": "double"},
        "active": {"type": "boolean"},
    },
}


class EngineUnavailable(Exception):
    """The engine did not answer, or answered with an error."""


# Configuration and client ------------------------------------------------------------------


def engine_params():
    """The engine's settings when it is an OpenSearch (the client used here), else None."""
    params = settings.WAGTAILSEARCH_BACKENDS.get(ENGINE_ALIAS)
    if not params or "opensearch" not in params.get("BACKEND", ""):
        return None
    return params


def configured():
    return engine_params() is not None


def alias_name(params=None):
    params = params or engine_params()
    return f"{params.get('INDEX_PREFIX', '')}{INDEX_NAME}"


@lru_cache(maxsize=8)
def _client(urls, timeout):
    from opensearchpy import OpenSearch

    # No retry: a node that refuses answers "down" at once and the database takes over.
    return OpenSearch(hosts=list(urls), timeout=timeout, max_retries=0, retry_on_timeout=False)


def client(params=None):
    params = params or engine_params()
    return _client(tuple(params["URLS"]), params.get("TIMEOUT", 5))


def engine_errors():
    from opensearchpy.exceptions import ImproperlyConfigured, OpenSearchException

    return (OpenSearchException, ImproperlyConfigured, OSError)


def index_body(params):
    """The index's settings: the shared French analysis (the engine's INDEX_SETTINGS), the
    folded words' analyzer, one shard, no replica, and the mapping."""
    body = copy.deepcopy(params.get("INDEX_SETTINGS") or {})
    index = body.setdefault("settings", {})
    analysis = index.setdefault("analysis", {})
    analysis.setdefault("analyzer", {}).update(FOLDED_ANALYSIS["analyzer"])
    index.update({"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": MAX_WINDOW})
    body["mappings"] = MAPPING
    return body


# Indexing ------------------------------------------------------------------------------------


def document(values):
    return {
        "_id": values["pk"],
        "line_id": values["pk"],
        "source_id": values["source_id"],
        "market_id": values["market_id"],
        "holder_id": values["holder_id"],
        "publisher": values["publisher"] or None,
        "category": values["category"] or None,
        "designation": values["designation"],
        "search_text": values["search_text"],
        "net_price": float(values["net_price"]) if values["net_price"] is not None else None,
        "active": values["active"],
    }


def _documents(lines, index):
    for values in lines.values(*DOCUMENT_FIELDS).iterator(chunk_size=BULK_CHUNK):
        yield {"_index": index, **document(values)}


def _bulk(connection, lines, index, refresh):
    from opensearchpy.helpers import bulk

    indexed, _ = bulk(connection, _documents(lines, index), chunk_size=BULK_CHUNK, refresh=refresh, max_retries=0)
    return indexed


def ensure_index(params=None):
    """The alias, created on a first index if there is none yet; its name."""
    params = params or engine_params()
    connection, alias = client(params), alias_name(params)
    if not connection.indices.exists_alias(name=alias):
        new_index = f"{alias}_{time.time_ns()}"
        connection.indices.create(index=new_index, body={**index_body(params), "aliases": {alias: {}}})
    return alias


def rebuild(*, lines=None, params=None):
    """Indexes `lines` (every line by default) into a new index, then moves the alias to it
    at once and drops the old indexes: searches read the old index until the swap."""
    params = params or engine_params()
    if params is None:
        raise EngineUnavailable("Aucun moteur OpenSearch n'est configuré (OPENSEARCH_URL).")
    connection, alias = client(params), alias_name(params)
    new_index = f"{alias}_{time.time_ns()}"
    body = index_body(params)
    body["settings"]["refresh_interval"] = "-1"  # one refresh at the end: a faster bulk
    connection.indices.create(index=new_index, body=body)
    lines = PriceLine.objects.all() if lines is None else lines
    count = _bulk(connection, lines.order_by("pk"), new_index, refresh=False)
    connection.indices.put_settings(index=new_index, body={"index": {"refresh_interval": "1s"}})
    connection.indices.refresh(index=new_index)
    old = list(connection.indices.get_alias(name=alias)) if connection.indices.exists_alias(name=alias) else []
    if connection.indices.exists(index=alias) and not old:
        connection.indices.delete(index=alias)  # a plain index under the alias's name
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    connection.indices.update_aliases(body={"actions": [*actions, {"add": {"index": new_index, "alias": alias}}]})
    if old:
        connection.indices.delete(index=",".join(old))
    return count


def drop(params=None):
    """Deletes the alias's indexes (tests, benchmarks)."""
    params = params or engine_params()
    connection, alias = client(params), alias_name(params)
    if connection.indices.exists_alias(name=alias):
        connection.indices.delete(index=",".join(connection.indices.get_alias(name=alias)))


def index_source(source_id):
    """Writes the source's lines (removed ones as inactive) and forgets those it no longer has."""
    params = engine_params()
    if params is None:
        return
    connection, alias = client(params), ensure_index(params)
    lines = PriceLine.objects.filter(source_id=source_id)
    kept = list(lines.values_list("pk", flat=True))
    _bulk(connection, lines, alias, refresh=False)
    stale = {"bool": {"filter": [{"term": {"source_id": source_id}}], "must_not": [{"ids": {"values": kept}}]}}
    _delete_matching(connection, alias, stale)


def forget_source(source_id):
    params = engine_params()
    if params is None:
        return
    connection, alias = client(params), ensure_index(params)
    _delete_matching(connection, alias, {"term": {"source_id": source_id}})


def _delete_matching(connection, alias, query):
    """Deletes the documents `query` matches, then makes the index show it. (The node runs
    without the reindex module, so no _delete_by_query: their ids are read, then deleted.)"""
    from opensearchpy.helpers import bulk, scan

    hits = scan(connection, index=alias, query={"query": query, "_source": False}, size=BULK_CHUNK)
    actions = ({"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]} for hit in hits)
    bulk(connection, actions, chunk_size=BULK_CHUNK, max_retries=0, raise_on_error=False)
    connection.indices.refresh(index=alias)


@task()
def update_source(source_id: int, deleted: bool = False) -> str:
    """The engine's copy of one source, after an import or a deletion. A failure is logged and
    left to `manage.py index_prices`: searches never read a line the reader may not see, since
    visibility is checked at query time, but they may miss a change until the rebuild."""
    try:
        (forget_source if deleted else index_source)(source_id)
    except engine_errors() as error:
        logger.error(
            "Price lines of source %s not updated in the search engine (%s): run manage.py index_prices.",
            source_id,
            error,
        )
        return "failed"
    return "done"


def source_changed(source_id, *, deleted=False):
    """Queues the engine's update for when the current transaction commits (nothing if no engine)."""
    if configured():
        transaction.on_commit(lambda: update_source.enqueue(source_id=source_id, deleted=deleted))


# Searching -----------------------------------------------------------------------------------


def _word_clause(word, variants):
    """A line matches when one of the spellings starts one of its words; the word itself
    as a whole word scores 2, a word start 1 (selectors.relevance)."""
    starts = [{"prefix": {"search_text": spelling}} for spelling in (word, *variants)]
    return {
        "bool": {
            "must": [{"constant_score": {"filter": {"bool": {"should": starts}}, "boost": 1}}],
            "should": [{"constant_score": {"filter": {"term": {"search_text": word}}, "boost": 1}}],
        }
    }


def _sort(sort, words):
    if sort == "pertinence" and words:
        return [{"_score": "desc"}, {"designation": "asc"}, {"line_id": "asc"}]
    order = "desc" if sort == "prix-desc" else "asc"
    return [{"net_price": {"order": order, "missing": "_last"}}, {"designation": "asc"}, {"line_id": "asc"}]


def search_body(*, source_ids, words, spellings, filters, sort, start, size, facet_limit):
    """One request: the page of line ids, the total and the four facets' counts.

    `filters`: facet name -> (field, allowed values) for the facets chosen. The chosen
    filters apply to the hits (post_filter); each facet's aggregation applies all but its own.
    """
    base = [{"terms": {"source_id": source_ids}}, {"term": {"active": True}}]
    query = {"bool": {"filter": base, "must": [_word_clause(w, spellings.get(w, [])) for w in words]}}
    clauses = {name: {"terms": {field: list(values)}} for name, (field, values) in filters.items()}
    aggregations = {}
    for name, field in (("market", "market_id"), ("holder", "holder_id"), ("publisher", "publisher")) + (
        ("category", "category"),
    ):
        others = [clause for other, clause in clauses.items() if other != name]
        terms = {"terms": {"field": field, "size": facet_limit, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
        aggregations[name] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}}
    body = {
        "query": query,
        "sort": _sort(sort, words),
        "from": start,
        "size": size,
        "_source": False,
        "track_total_hits": True,
        "aggs": aggregations,
    }
    if clauses:
        body["post_filter"] = {"bool": {"filter": list(clauses.values())}}
    return body


def _counts(aggregations):
    return {
        name: [(bucket["key"], bucket["doc_count"]) for bucket in aggregations[name]["values"]["buckets"]]
        for name in ("market", "holder", "publisher", "category")
    }


def answer(search, *, per_page, spellings, facet_limit):
    """The engine's (total, counts, line ids) for a selectors._Search, or None (no engine,
    or it failed): the same words, filters, sort and page as the database path."""
    if not configured():
        return None
    params = search.params
    words = search.words if not params.query or search.words else None
    if words is None:  # words given, none searchable ("*:*"): nothing matches, as in the database
        return 0, {name: [] for name in ("market", "holder", "publisher", "category")}, []
    filters = {}
    if params.markets:
        filters["market"] = ("market_id", search.market_ids)
    if params.holders:
        filters["holder"] = (
            "holder_id",
            list(Holder.objects.filter(slug__in=params.holders).values_list("pk", flat=True)),
        )
    if params.publishers:
        filters["publisher"] = ("publisher", params.publishers)
    if params.categories:
        filters["category"] = ("category", params.categories)
    found = search_lines(
        source_ids=[source["pk"] for source in search.sources],
        words=words,
        spellings=spellings,
        filters=filters,
        sort=params.sort,
        page=params.page or 1,
        per_page=per_page,
        facet_limit=facet_limit,
    )
    if found is None:
        return None
    total, counts, _, ids = found
    return total, counts, ids


def search_lines(*, source_ids, words, spellings, filters, sort, page, per_page, facet_limit):
    """(total, counts, page number, line ids) from the engine, or None when it is not
    configured or fails (logged: the caller answers from the database).

    `counts` has the shape of selectors._Search.counts: facet name -> [(value, count)], the
    most frequent first. A page past the last reads the last one, as the database path does.
    """
    params = engine_params()
    if params is None:
        return None
    if not source_ids:
        return 0, {name: [] for name in ("market", "holder", "publisher", "category")}, 1, []
    connection, alias = client(params), alias_name(params)

    def ask(number, with_counts=True):
        body = search_body(
            source_ids=source_ids,
            words=words,
            spellings=spellings,
            filters=filters,
            sort=sort,
            start=(number - 1) * per_page,
            size=per_page,
            facet_limit=facet_limit,
        )
        if not with_counts:
            body.pop("aggs")
        return connection.search(index=alias, body=body)

    def run():
        asked = min(page, MAX_WINDOW // per_page)
        answer = ask(asked)
        total = answer["hits"]["total"]["value"]
        number = min(page, max(1, -(-total // per_page)))
        counts = _counts(answer["aggregations"])
        if number != asked:
            answer = ask(number, with_counts=False)
        return total, counts, number, [int(hit["_id"]) for hit in answer["hits"]["hits"]]

    return engine_answer(run, what="the price lines", errors=engine_errors())
