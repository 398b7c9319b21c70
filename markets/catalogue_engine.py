""" "Tous les marchés" on the search engine (OpenSearch or Elasticsearch), when one is
configured: the same sets as the database's search (markets.catalogue), found and counted
by the engine.

The filters of a search (live, below the index page, status, privacy) are the Django
filters the database uses, which Wagtail translates for the engine; the holder and theme
filters are terms on two lists each market's document carries. The facets come from the
engine's aggregations on the same lists (`holder_ids`, `theme_ids`: its themes and their
parents, so a theme counts its sub-themes' markets once), each facet computed without its
own filter (values of one facet combine with OR). Three engine requests compute the
counts; each page of cards is one more, then one query.
"""

from wagtail.search.backends import get_search_backend
from wagtail.search.query import MATCH_ALL

from core.search import ENGINE
from core.text import fold_query

from .models.market import MarketHolder
from .models.snippets import Holder

SUGGESTION_LIMIT = 8


class EngineSearch:
    """The sets of one search, read from the engine (counts and ids, as catalogue._Search)."""

    def __init__(self, candidates, query, holder_pks, theme_pks):
        self.candidates = candidates.only("pk")
        self.query, self.folded = query, fold_query(query)
        self.filters = {"holder_ids": sorted(holder_pks), "theme_ids": sorted(theme_pks)}

    def _search(self, *facets):
        """The search, filtered on the selected values of `facets` ("holder_ids", "theme_ids")."""
        if self.query and not self.folded:  # only punctuation or stop words: nothing to look for
            return None
        if self.folded:
            results = self.candidates.search(self.folded, operator="and", order_by_relevance=True, backend=ENGINE)
        else:
            results = self.candidates.order_by("path").search(MATCH_ALL, order_by_relevance=False, backend=ENGINE)
        for name in facets:
            if self.filters[name]:
                results.query_compiler.filter_terms(name, self.filters[name])
        return results

    def counts(self):
        """(markets found, {holder id: markets}, {theme id: markets})."""
        matching = self._search("holder_ids", "theme_ids")
        if matching is None:
            return 0, {}, {}
        holders = self._search("theme_ids").facet("holder_ids")
        themes = self._search("holder_ids").facet("theme_ids")
        return (
            matching.count(),
            {pk: n for pk, n in holders.items() if pk is not None},
            {pk: n for pk, n in themes.items() if pk is not None},
        )

    def ids(self, start, stop):
        """The ids of the markets found from `start` to `stop`, in order."""
        matching = self._search("holder_ids", "theme_ids")
        return [page.pk for page in matching[start:stop]] if matching is not None else []


def suggestions(*, candidates, query, index_url, backend, limit=SUGGESTION_LIMIT):
    """What a visitor typing `query` may be looking for, among the markets `candidates`:
    holders of those markets (first: a filter of the catalogue) and market titles, each
    with a label, a kind and a URL. Prefixes of every word ("secu info" finds "Sécurité
    informatique"), from the engine's edge n-grams or the database's own prefix search."""
    folded = fold_query(query)
    if not folded:
        return []
    base = index_url if index_url.endswith("/") else f"{index_url}/"
    visible = MarketHolder.objects.filter(market__in=candidates.order_by().values("pk")).values("holder_id")
    holders = Holder.objects.filter(pk__in=visible).order_by()
    found_holders = get_search_backend(backend).autocomplete(folded, holders, operator="and")[:limit]
    found = [
        {"label": holder.name, "kind": "Titulaire", "url": f"{base}?titulaire={holder.slug}"}
        for holder in found_holders
    ]
    markets = candidates.only("pk", "title", "slug").autocomplete(folded, operator="and", backend=backend)
    for market in markets[: limit - len(found)]:
        found.append({"label": market.title, "kind": "Marché", "url": f"{base}{market.slug}/"})
    return found
