""" "Tous les marchés": the faceted search of the live markets below the index page.

Four steps: read the GET parameters, match the markets (status and keywords), count the
facets, paginate into cards. Values of one facet combine with OR, facets with AND, and
each facet counts the markets matching every filter but its own (ticking SCC still shows
how many E.S.I. has). Unknown values are ignored.

The database does the work: the markets, with whether each passes the holder and the
theme filter, are one common table expression that the total and each facet's GROUP BY
read (`_facet_counts`), and only the columns a card shows are read, for one page.
Keywords are matched once (`_keyword_hits`: the ids in relevance order, with whether each
passes the holder and theme filters): matching costs far more than reading a list of ids,
so the ids then stand for the set in the page and the facets. With a search engine
configured, the engine finds and counts (markets.catalogue_engine); while it does not
answer, the database does (core.search). The holder and theme labels come from a
cache emptied when a holder or theme changes (`facet_labels`). A request costs the same
handful of queries whatever the number of markets.

What a search found (its counts, each page of its cards) is cached under a key that
changes with anything it shows (`_cache_key`): served again, a search costs two queries
(the key's stamp and the reader's privacy restrictions) and the template caches its
filters and cards under the same key.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils import timezone

from core.forms import ListField, ParamsForm, TruncatedCharField
from core.search import DATABASE, ENGINE, engine_or_database
from core.text import MAX_QUERY_LENGTH, fold_query

from .access import hidden_paths, outside
from .catalogue_cards import CARD_FIELDS, card_rows, cards
from .catalogue_engine import EngineSearch
from .models.market import ALL_STATUSES, MarketHolder, MarketPage, MarketStatus, market_status_filter
from .models.snippets import Holder, Theme
from .models.stamp import CatalogueStamp

STATUS_CHOICES = [*MarketStatus.choices, (ALL_STATUSES, "Tous")]
LABELS_CACHE_KEY = "markets:facet-labels:v1"
# Signals empty the cache when a holder or theme changes; with a per-process cache (no
# REDIS_URL) other workers see the change within this many seconds.
LABELS_CACHE_SECONDS = 300
# The results' keys change with the catalogue (`_cache_key`): the expiry only bounds memory.
RESULTS_CACHE_SECONDS = 10 * 60
HOLDER_FACET, THEME_FACET, TOTAL = "titulaire", "theme", "total"


@dataclass
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class CatalogueParams:
    query: str
    status: str
    holder_slugs: list
    theme_slugs: list
    page: int


@dataclass
class Catalogue:
    key: str  # changes with anything the results show: the template caches its fragments under it
    query: str
    status: str
    page: object
    total: int
    holder_facet: list
    theme_facet: list
    selected_holders: list
    selected_themes: list
    status_choices = STATUS_CHOICES

    @property
    def has_filters(self):
        return bool(self.query or self.selected_holders or self.selected_themes or self.status != MarketStatus.CURRENT)

    @property
    def holder_more_open(self):
        """ "Voir plus" starts open when a value it hides is ticked."""
        return any(value.selected for value in self.holder_facet[6:])

    @property
    def active_filter_count(self):
        """The filters a visitor set, for "Filtrer (2)": keywords, status, each holder and theme."""
        return (
            bool(self.query)
            + (self.status != MarketStatus.CURRENT)
            + len(self.selected_holders)
            + len(self.selected_themes)
        )


@dataclass(frozen=True)
class Label:
    pk: int
    slug: str
    name: str
    parent_id: int | None = None


@dataclass(frozen=True)
class FacetLabels:
    """Every holder and theme, as the facets name them (the theme tree in display order)."""

    holders: tuple
    themes: tuple

    def holder_by_slug(self):
        return {label.slug: label for label in self.holders}

    def theme_by_slug(self):
        return {label.slug: label for label in self.themes}


def facet_labels() -> FacetLabels:
    """The holder and theme labels, cached until a holder or theme is saved or deleted."""

    def read():
        return FacetLabels(
            holders=tuple(Label(pk, slug, name) for pk, slug, name in Holder.objects.values_list("pk", "slug", "name")),
            themes=tuple(Label(*row) for row in Theme.objects.values_list("pk", "slug", "name", "parent_id")),
        )

    return cache.get_or_set(LABELS_CACHE_KEY, read, LABELS_CACHE_SECONDS)


def forget_facet_labels():
    cache.delete(LABELS_CACHE_KEY)


class CatalogueParamsForm(ParamsForm):
    q = TruncatedCharField(length=MAX_QUERY_LENGTH, initial="")
    statut = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial=MarketStatus.CURRENT)
    titulaire = ListField(item=forms.SlugField(max_length=255))
    theme = ListField(item=forms.SlugField(max_length=255))
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False, initial=1)


def read_params(params) -> CatalogueParams:
    values = CatalogueParamsForm(params).values()
    return CatalogueParams(
        query=values["q"],
        status=values["statut"] or MarketStatus.CURRENT,
        holder_slugs=values["titulaire"],
        theme_slugs=values["theme"],
        page=values["page"] or 1,
    )


def catalogue_search(*, index_page, params, request, per_page=None, index_url=None) -> Catalogue:
    """Search the live markets below `index_page` from the GET `params`, as `request` may see them.

    `index_url` is the index page's URL for the request (cards link below it).
    """
    wanted = read_params(params)
    labels = facet_labels()
    holders_by_slug, themes_by_slug = labels.holder_by_slug(), labels.theme_by_slug()
    selected_holders = [holders_by_slug[s] for s in dict.fromkeys(wanted.holder_slugs) if s in holders_by_slug]
    selected_themes = [themes_by_slug[s] for s in dict.fromkeys(wanted.theme_slugs) if s in themes_by_slug]
    hidden = hidden_paths(request)
    index_url = index_url if index_url is not None else index_page.url
    per_page = per_page or index_page.per_page

    def run(backend):
        if backend == ENGINE:
            search = _OnEngine(EngineSearch(_candidates(index_page, hidden, wanted), wanted.query, *pks))
        else:
            search = _Search(index_page, hidden, wanted, by_holder, by_theme)
        key = _cache_key(index_page, index_url, hidden, wanted, selected_holders, selected_themes, backend)
        # The counts and the page asked for in one round trip, and what was missing stored in one.
        found = cache.get_many([key, f"{key}:{per_page}:{wanted.page}"])
        counts, fresh = found.get(key), {}
        if counts is None:
            counts = fresh[key] = search.counts()
        page = Paginator(range(counts.total), per_page).get_page(wanted.page)  # past the end: the last
        page_key, first = f"{key}:{per_page}:{page.number}", (page.number - 1) * per_page
        page.object_list, known = found.get(page_key), _labels_knowing(labels, counts)
        if page.object_list is None:
            page.object_list = fresh[page_key] = search.cards(first, first + per_page, index_url, known)
        if fresh:
            cache.set_many(fresh, RESULTS_CACHE_SECONDS)
        return page_key, page, counts, known

    by_holder, by_theme = _holder_filter(selected_holders), _theme_filter(selected_themes, labels)
    pks = [h.pk for h in selected_holders], _theme_pks(selected_themes, labels)
    page_key, page, counts, labels = engine_or_database(run, what="catalogue")
    return Catalogue(
        key=page_key,
        query=wanted.query,
        status=wanted.status,
        page=page,
        total=counts.total,
        holder_facet=_holder_facet(labels, counts.holders, selected_holders),
        theme_facet=_theme_facet(labels, counts.themes, selected_themes),
        selected_holders=selected_holders,
        selected_themes=selected_themes,
    )


def _labels_knowing(labels, counts):
    """`labels`, read again when `counts` name a holder or theme they lack: one saved in
    another worker since they were cached."""
    known_holders, known_themes = {h.pk for h in labels.holders}, {t.pk for t in labels.themes}
    if known_holders.issuperset(counts.holders) and known_themes.issuperset(counts.themes):
        return labels
    forget_facet_labels()
    return facet_labels()


def _cache_key(index_page, index_url, hidden, wanted, holders, themes, backend):
    """Where a search's results are cached: they hold until the catalogue's stamp changes
    (`CatalogueStamp`) or the day does (the statuses are computed from today)."""
    search_backend = settings.WAGTAILSEARCH_BACKENDS[backend]["BACKEND"]
    parts = (CatalogueStamp.current(), timezone.localdate(), index_page.pk, index_url, hidden, search_backend)
    parts += (wanted.query, wanted.status, sorted(h.pk for h in holders), sorted(t.pk for t in themes))
    return "markets:catalogue:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Counts:
    """How many markets a search finds, and its facets' counts ({holder or theme id: markets})."""

    total: int
    holders: dict
    themes: dict


class _Search:
    """The sets of one search. Its counts and each page of its cards are cached apart; with
    keywords, they read the same hits (matched once per request)."""

    def __init__(self, index_page, hidden, wanted, by_holder, by_theme):
        self.query = wanted.query
        self.candidates = _candidates(index_page, hidden, wanted)
        self.by_holder, self.by_theme = by_holder, by_theme

    @cached_property
    def hits(self):
        # The keywords are matched once: their ids, in relevance order, with whether each
        # passes the holder and the theme filter, then stand for the sets (the matching
        # costs far more than a list of ids; done again as a subquery per count it was
        # four times the work).
        return _keyword_hits(self.candidates, self.query, self.by_holder, self.by_theme)

    @cached_property
    def matches(self):
        """The ids of the hits passing both filters, by relevance."""
        return [pk for pk, in_holder, in_theme in self.hits if in_holder and in_theme]

    def counts(self):
        if not self.query:
            return _facet_counts(self.candidates, self.by_holder, self.by_theme)
        if not self.hits:
            return Counts(0, {}, {})
        return _facet_counts(
            MarketPage.objects.filter(pk__in=[pk for pk, *_ in self.hits]), self.by_holder, self.by_theme
        )

    def cards(self, start, stop, index_url, labels):
        if self.query:
            rows = card_rows(self.matches[start:stop])
        else:
            matching = self.candidates.filter(self.by_holder & self.by_theme)
            rows = matching.order_by("path").values(*CARD_FIELDS)[start:stop]
        return cards(rows, index_url, labels)


class _OnEngine:
    """An EngineSearch's counts and cards, as _Search gives them."""

    def __init__(self, search):
        self.search = search

    def counts(self):
        return Counts(*self.search.counts())

    def cards(self, start, stop, index_url, labels):
        return cards(card_rows(self.search.ids(start, stop)), index_url, labels)


def catalogue_candidates(index_page, hidden, status):
    """The live markets below `index_page` of `status` (None: any), outside the `hidden` paths."""
    markets = MarketPage.objects.live().child_of(index_page).filter(outside(hidden))
    return markets.filter(market_status_filter(status)) if status else markets


def _candidates(index_page, hidden, wanted):
    return catalogue_candidates(index_page, hidden, wanted.status)


def _keyword_hits(candidates, query, by_holder, by_theme):
    """[(market id, passes the holder filter, passes the theme filter)] of the candidates
    matching the keywords on the "default" backend, by relevance: one query.

    The database backends give their search as a queryset, read once; a backend answering
    with objects gives the matching ids, whose filters one query reads.
    """
    folded = fold_query(query)
    if not folded:  # only punctuation or stop words: nothing to look for
        return []
    flags = {"in_holder": _passes(by_holder), "in_theme": _passes(by_theme)}
    hits = candidates.only("pk").search(folded, operator="and", order_by_relevance=True, backend=DATABASE)
    if hasattr(hits, "get_queryset"):
        return list(hits.get_queryset().annotate(**flags).values_list("pk", "in_holder", "in_theme"))
    ids = [hit.pk for hit in hits]
    passes = {pk: rest for pk, *rest in candidates.filter(pk__in=ids).annotate(**flags).values_list("pk", *flags)}
    return [(pk, *passes[pk]) for pk in ids if pk in passes]


def _passes(condition):
    """A filter as a yes/no column."""
    if not condition:
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(condition, output_field=BooleanField())


def _holder_filter(selected):
    if not selected:
        return Q()
    return Q(pk__in=MarketHolder.objects.filter(holder_id__in=[h.pk for h in selected]).values("market_id"))


def _theme_pks(selected, labels):
    """The selected themes and their sub-themes."""
    wanted = {t.pk for t in selected}
    return wanted | {t.pk for t in labels.themes if t.parent_id in wanted}


def _theme_filter(selected, labels):
    """Markets tagged with a selected theme or one of its sub-themes."""
    if not selected:
        return Q()
    tagged = MarketPage.themes.through.objects.filter(theme_id__in=_theme_pks(selected, labels))
    return Q(pk__in=tagged.values("marketpage_id"))


def _facet_counts(markets, by_holder, by_theme) -> Counts:
    """How many of the `markets` pass both filters, and their facets' counts: one query.

    A holder counts the markets it holds among those passing the theme filter; a theme its
    markets among those passing the holder filter, a top-level theme the markets of its
    family once (grouped by family, distinct markets), then the sub-themes, which are never
    a family. The markets, with whether each passes each filter, are a common table
    expression the four counts read: the ORM's union repeated them as a subquery in each
    part, and compiling that was a third of a computed list's time in the view.
    """
    flagged = markets.order_by().annotate(in_holder=_passes(by_holder), in_theme=_passes(by_theme))
    sql, params = flagged.values_list("pk", "in_holder", "in_theme").query.sql_with_params()
    counts = {HOLDER_FACET: {}, THEME_FACET: {}, TOTAL: {0: 0}}
    with connections[markets.db].cursor() as cursor:
        cursor.execute(_facets_sql(sql), params)
        for facet, key, n in cursor.fetchall():
            counts[facet][key] = n
    return Counts(counts[TOTAL][0], counts[HOLDER_FACET], counts[THEME_FACET])


def _facets_sql(markets):
    """The counts' query over `markets`, the SQL of (id, passes the holder filter, passes the
    theme filter) rows: the holders, the theme families, the sub-themes, the total."""
    holder_links, themes = MarketHolder._meta.db_table, Theme._meta.db_table
    theme_links = MarketPage.themes.through._meta.db_table
    return (
        f"WITH found (pk, in_holder, in_theme) AS ({markets}) "
        f"SELECT '{HOLDER_FACET}', l.holder_id, COUNT(*) FROM {holder_links} l "
        "JOIN found ON found.pk = l.market_id WHERE found.in_theme GROUP BY l.holder_id "
        f"UNION ALL SELECT '{THEME_FACET}', COALESCE(t.parent_id, t.id), COUNT(DISTINCT l.marketpage_id) "
        f"FROM {theme_links} l JOIN {themes} t ON t.id = l.theme_id JOIN found ON found.pk = l.marketpage_id "
        "WHERE found.in_holder GROUP BY COALESCE(t.parent_id, t.id) "
        f"UNION ALL SELECT '{THEME_FACET}', l.theme_id, COUNT(*) "
        f"FROM {theme_links} l JOIN {themes} t ON t.id = l.theme_id JOIN found ON found.pk = l.marketpage_id "
        "WHERE found.in_holder AND t.parent_id IS NOT NULL GROUP BY l.theme_id "
        f"UNION ALL SELECT '{TOTAL}', 0, COUNT(*) FROM found WHERE found.in_holder AND found.in_theme"
    )


def _value(label, counts, selected_pks):
    return FacetValue(label.slug, label.name, counts.get(label.pk, 0), label.pk in selected_pks)


def _holder_facet(labels, counts, selected):
    selected_pks = {h.pk for h in selected}
    values = [_value(h, counts, selected_pks) for h in labels.holders if h.pk in counts or h.pk in selected_pks]
    values.sort(key=lambda value: (-value.count, value.name.lower()))
    return [value for value in values if value.count or value.selected]


def _theme_facet(labels, counts, selected):
    selected_pks = {t.pk for t in selected}
    facet = []
    for theme in (t for t in labels.themes if t.parent_id is None):
        value = _value(theme, counts, selected_pks)
        children = (_value(t, counts, selected_pks) for t in labels.themes if t.parent_id == theme.pk)
        value.children = [child for child in children if child.count or child.selected]
        if value.count or value.selected:
            facet.append(value)
    return facet
