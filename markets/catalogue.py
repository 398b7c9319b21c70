""" "Tous les marchés": the faceted search of the live markets below the index page.

Four steps: read the GET parameters, match the markets (status and keywords), count the
facets, paginate into cards. Values of one facet combine with OR, facets with AND, and
each facet counts the markets matching every filter but its own (ticking SCC still shows
how many E.S.I. has). Unknown values are ignored.

The database does the work: without keywords the matching markets stay a subquery,
each facet is one GROUP BY over them, and only the columns a card shows are read, for one
page. Keywords are matched once (`_keyword_hits`: the ids in relevance order, with whether
each passes the holder and theme filters): matching costs far more than reading a list of
ids, so the ids then stand for the set in the page and the facets. With a search engine
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
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
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
        counts, labels = cache.get_or_set(key, search.counts, RESULTS_CACHE_SECONDS), facet_labels()
        known_holders, known_themes = {h.pk for h in labels.holders}, {t.pk for t in labels.themes}
        if not known_holders.issuperset(counts.holders) or not known_themes.issuperset(counts.themes):
            forget_facet_labels()  # a holder or theme saved in another worker: read them again
            labels = facet_labels()
        page = Paginator(range(counts.total), per_page).get_page(wanted.page)
        page_key, first = f"{key}:{per_page}:{page.number}", (page.number - 1) * per_page
        page.object_list = cache.get_or_set(
            page_key, lambda: search.cards(first, first + per_page, index_url, labels), RESULTS_CACHE_SECONDS
        )
        return page_key, page, counts, labels

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
        if self.query:
            for_holders = [pk for pk, _, in_theme in self.hits if in_theme]
            for_themes = [pk for pk, in_holder, _ in self.hits if in_holder]
            return Counts(len(self.matches), *_facet_counts(for_holders, for_themes))
        for_holders = self.candidates.filter(self.by_theme).order_by().values("pk")
        for_themes = self.candidates.filter(self.by_holder).order_by().values("pk")
        matching = self.candidates.filter(self.by_holder & self.by_theme)
        return Counts(*_facet_counts(for_holders, for_themes, matching=matching))

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


def _facet_counts(for_holders, for_themes, matching=None):
    """({holder id: markets}, {theme id: markets}): one query, three GROUP BYs (`for_…`: market
    ids, or a subquery of them); with `matching` (markets), (their number, the same) from
    that one query.

    A holder counts the markets it holds. A theme counts its markets, a top-level theme
    the markets of its sub-themes once: the top-level themes grouped by family (distinct
    markets), then the sub-themes, which are never a family.
    """
    holders = (
        MarketHolder.objects.filter(market_id__in=for_holders)
        .annotate(facet=Value(HOLDER_FACET))
        .values_list("facet", "holder_id")
        .annotate(n=Count("market_id"))
        .order_by()
    )
    tags = MarketPage.themes.through.objects.filter(marketpage_id__in=for_themes)
    families = (
        tags.annotate(facet=Value(THEME_FACET), key=Coalesce(F("theme__parent_id"), F("theme_id")))
        .values_list("facet", "key")
        .annotate(n=Count("marketpage_id", distinct=True))
        .order_by()
    )
    sub_themes = (
        tags.filter(theme__parent__isnull=False)
        .annotate(facet=Value(THEME_FACET), key=F("theme_id"))
        .values_list("facet", "key")
        .annotate(n=Count("marketpage_id"))
        .order_by()
    )
    parts = [families, sub_themes]
    if matching is not None:
        total = matching.annotate(facet=Value(TOTAL), key=Value(0)).values_list("facet", "key")
        parts.append(total.annotate(n=Count("pk")).order_by())
    counts = {HOLDER_FACET: {}, THEME_FACET: {}, TOTAL: {0: 0}}
    for facet, key, n in holders.union(*parts, all=True):
        counts[facet][key] = n
    facets = counts[HOLDER_FACET], counts[THEME_FACET]
    return facets if matching is None else (counts[TOTAL][0], *facets)


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
