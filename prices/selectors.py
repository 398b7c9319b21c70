"""Who sees which price lines, and "Produits et prix": the faceted search over them.

A line is visible when its piece is: the piece is listed for an audience the reader
belongs to on a market the reader may read (live, and no page privacy restriction the
request fails: markets.access.readable_markets). The visible sources are computed first (one
query, plus the reader's subscribed markets), and every other query is restricted to them:
a restricted line is never listed, counted in a facet, matched by a word or opened by URL.

Keywords are folded (core.text) and match word starts, every word required; a few
common spellings also match ("moniteur" finds "écran"). PostgreSQL answers through a
full-text GIN index (to_tsvector('simple') on the folded text, prefix queries); SQLite
through LIKE on the same space-padded text. The work is a fixed handful of queries: the
visible sources, one GROUP BY for the total and the four facets, the page.

Counting 100,000 lines five ways costs a few hundred milliseconds, and prices change only
when an import is applied: the total, the facet counts and each page's line ids are cached
under the visible sources' ids and update times (applying an import saves its source), the
words and the filters. A changed price, audience, source or market gives another key, so
nothing is ever invalidated by hand and no reader sees another reader's entry.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from guardian.models import UserObjectPermission

from core.forms import IdListField, ListField, ParamsForm, TruncatedCharField
from core.text import MAX_QUERY_LENGTH, fold_query
from markets.access import PIECES_PERMISSION, Audience, is_editor, is_member, readable_markets
from markets.catalogue import FacetValue
from markets.models import CatalogueStamp, Holder, MarketHolder, MarketPage, MarketPiece
from markets.models.market import ALL_STATUSES, MarketStatus, market_status_filter, without_market_bodies

from . import engine as price_engine
from .models import PriceLine, PriceSource

PER_PAGE = 20
MAX_WORDS = 8
MAX_COMPARE = 4
MAX_EXPORT = 5000
FACET_LIMIT = 30
FACET_COLUMNS = {"market": "market_id", "holder": "holder_id", "publisher": "publisher", "category": "category"}
CACHE_SECONDS = 10 * 60
# Without words, "pertinence" is the catalogue's order of markets, each piece's lines as the piece lists them.
SORTS = {"pertinence": "Pertinence", "prix": "Prix croissant", "prix-desc": "Prix décroissant"}
# As the catalogue: the markets in force unless the reader asks for others.
STATUSES = {MarketStatus.CURRENT: "Marchés en cours", MarketStatus.ENDED: "Marchés terminés"}
STATUSES |= {MarketStatus.UPCOMING: "Marchés à venir", ALL_STATUSES: "Tous les marchés"}

# Folded word -> other words that mean the same to a buyer.
SPELLINGS = {
    "ecran": ["moniteur"],
    "moniteur": ["ecran"],
    "antiviru": ["antimalware", "endpoint", "securite", "security"],
    "poste": ["endpoint", "pc", "ordinateur"],
    "ordinateur": ["pc", "poste"],
    "pc": ["ordinateur"],
    "portable": ["laptop"],
    "laptop": ["portable"],
    "acrobate": ["acrobat"],
    "licence": ["license"],
    "license": ["licence"],
    "mail": ["email", "messagerie"],
    "email": ["mail", "messagerie"],
    "messagerie": ["mail", "email"],
    "visio": ["visioconference"],
    "visioconference": ["visio"],
    "tablette": ["ipad"],
}


def subscribed_market_ids(user):
    if not is_member(user):
        return []
    pks = UserObjectPermission.objects.filter(
        user=user,
        permission__codename=PIECES_PERMISSION.split(".")[1],
        permission__content_type__app_label="markets",
    ).values_list("object_pk", flat=True)
    return [int(pk) for pk in pks if str(pk).isdigit()]


def visible_sources(request, market=None):
    """[{pk, market_id, market__title, market__slug, updated_at}] of the sources `request` may
    read (of `market` only, if given)."""
    user = request.user
    sources = PriceSource.objects.filter(readable_markets(request, "market__"))
    if market is not None:
        sources = sources.filter(market=market)
    if not is_editor(user):
        condition = Q(audience=Audience.PUBLIC)
        if is_member(user):
            condition |= Q(audience=Audience.MEMBERS)
            subscribed = subscribed_market_ids(user)
            if subscribed:
                condition |= Q(audience=Audience.SUBSCRIBERS, market_id__in=subscribed)
        readable = MarketPiece.objects.filter(
            condition, market_id=OuterRef("market_id"), document_id=OuterRef("document_id")
        )
        sources = sources.filter(Exists(readable))
    return list(sources.values("pk", "market_id", "market__title", "market__slug", "updated_at").order_by("pk"))


def visible_lines(request, sources=None):
    sources = visible_sources(request) if sources is None else sources
    return PriceLine.objects.filter(active=True, source_id__in=[source["pk"] for source in sources])


def query_words(query):
    """Folded words to look for: letters of 2+ characters or digits, at most MAX_WORDS."""
    words = [w for w in fold_query(query).split() if len(w) > 1 or w.isdigit()]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def keyword_filter(queryset, words):
    """Lines whose folded text has a word starting with each query word (or a variant)."""
    if not words:
        return queryset
    groups = [[word, *SPELLINGS.get(word, [])] for word in words]
    if connection.vendor == "postgresql":
        tsquery = " & ".join("(" + " | ".join(f"{w}:*" for w in group) + ")" for group in groups)
        return queryset.filter(
            RawSQL(
                "to_tsvector('simple'::regconfig, prices_priceline.search_text) @@ to_tsquery('simple'::regconfig, %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )
    for group in groups:
        condition = Q()
        for word in group:
            condition |= Q(search_text__contains=f" {word}")
        queryset = queryset.filter(condition)
    return queryset


def relevance(words):
    """Whole words count twice, word starts once."""
    score = Value(0)
    for word in words:
        score = score + Case(
            When(search_text__contains=f" {word} ", then=Value(2)), default=Value(1), output_field=IntegerField()
        )
    return score


@dataclass
class PriceParams:
    query: str
    markets: list
    holders: list
    publishers: list
    categories: list
    sort: str
    page: str | None
    status: str = MarketStatus.CURRENT


@dataclass
class PriceResults:
    params: PriceParams
    page: object
    total: int
    facets: dict = field(default_factory=dict)
    # The page of results' HTML is cached under this key (the template's `{% cache %}`).
    fragment_key: str = ""
    cache_seconds = CACHE_SECONDS
    sorts = SORTS
    statuses = STATUSES

    @property
    def has_filters(self):
        p = self.params
        filtered = p.query or p.markets or p.holders or p.publishers or p.categories
        return bool(filtered or p.status != MarketStatus.CURRENT)


class PriceParamsForm(ParamsForm):
    q = TruncatedCharField(length=MAX_QUERY_LENGTH, initial="")
    marche = ListField(item=forms.CharField(max_length=100), max_items=20)
    titulaire = ListField(item=forms.CharField(max_length=150), max_items=20)
    editeur = ListField(item=forms.CharField(max_length=150), max_items=20)
    categorie = ListField(item=forms.CharField(max_length=150), max_items=20)
    tri = forms.ChoiceField(choices=[(sort, sort) for sort in SORTS], required=False)
    statut = forms.ChoiceField(choices=[(status, status) for status in STATUSES], required=False)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)


class LinesParamsForm(ParamsForm):
    """?ligne=12&ligne=15: line ids ("²", "-1" or a 5,000-digit number are dropped)."""

    ligne = IdListField(max_items=MAX_EXPORT)


def line_ids(params, limit):
    return LinesParamsForm(params).values()["ligne"][:limit]


def read_params(params) -> PriceParams:
    """The GET parameters, parsed before the database (a NUL byte or junk is dropped)."""
    values = PriceParamsForm(params).values()
    query = values["q"]
    return PriceParams(
        query=query,
        markets=values["marche"],
        holders=values["titulaire"],
        publishers=values["editeur"],
        categories=values["categorie"],
        sort=values["tri"] or "pertinence",
        page=values["page"],
        status=values["statut"] or MarketStatus.CURRENT,
    )


class _Search:
    def __init__(self, request, params: PriceParams):
        self.params = params
        self.sources = visible_sources(request)
        self.words = query_words(params.query)
        self.market_ids = sorted({s["market_id"] for s in self.sources if s["market__slug"] in params.markets})
        self.holder_slugs = params.holders
        base = visible_lines(request, self.sources)
        if params.status != ALL_STATUSES:
            base = base.filter(market__in=MarketPage.objects.filter(market_status_filter(params.status)).values("pk"))
        if params.query and not self.words:
            base = base.none()
        self.base = keyword_filter(base, self.words)

    def filters(self):
        p, condition = self.params, Q()
        if p.markets:
            condition &= Q(market_id__in=self.market_ids)
        if p.holders:
            condition &= Q(holder__slug__in=p.holders)
        if p.publishers:
            condition &= Q(publisher__in=p.publishers)
        if p.categories:
            condition &= Q(category__in=p.categories)
        return condition

    def results(self):
        queryset = self.base.filter(self.filters())
        if self.params.sort == "pertinence" and self.words:
            queryset = queryset.annotate(score=relevance(self.words)).order_by("-score", "designation", "pk")
        elif self.params.sort == "pertinence":
            queryset = queryset.order_by("market__path", "lot", "pk")  # the catalogue's order
        elif self.params.sort == "prix-desc":
            queryset = queryset.order_by(F("net_price").desc(nulls_last=True), "designation", "pk")
        else:
            queryset = queryset.order_by(F("net_price").asc(nulls_last=True), "designation", "pk")
        return queryset

    def counts(self):
        """The total and each facet's (value, count) pairs, from one GROUP BY over the matches.

        Each row is a combination of the four facet values with its number of lines: it counts
        in the total when it passes every filter, and in a facet when it passes every filter
        but that facet's own, so a facet shows what choosing another of its values gives.
        """
        chosen = {
            "market": set(self.market_ids) if self.params.markets else None,
            "holder": set(Holder.objects.filter(slug__in=self.holder_slugs).values_list("pk", flat=True))
            if self.holder_slugs
            else None,
            "publisher": set(self.params.publishers) or None,
            "category": set(self.params.categories) or None,
        }
        checks = [(i, allowed) for i, allowed in enumerate(chosen.values()) if allowed is not None]
        total, tallies = 0, [Counter() for _ in FACET_COLUMNS]
        for *values, n in self.base.order_by().values_list(*FACET_COLUMNS.values()).annotate(n=Count("pk")):
            missed = [i for i, allowed in checks if values[i] not in allowed]
            if not missed:
                total += n
            if len(missed) < 2:
                for i in missed or range(len(values)):
                    if values[i]:
                        tallies[i][values[i]] += n
        ranked = {
            name: sorted(tally.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
            for name, tally in zip(FACET_COLUMNS, tallies, strict=True)
        }
        return total, ranked

    def facets(self, counts):
        titles = {s["market_id"]: (s["market__slug"], s["market__title"]) for s in self.sources}
        market = [
            FacetValue(titles[pk][0], titles[pk][1], n, pk in self.market_ids)
            for pk, n in counts["market"]
            if pk in titles
        ]
        counted = [pk for pk, _ in counts["holder"]]
        holders = {h.pk: h for h in Holder.objects.filter(Q(pk__in=counted) | Q(slug__in=self.holder_slugs))}
        holder = [
            FacetValue(holders[pk].slug, holders[pk].name, n, holders[pk].slug in self.holder_slugs)
            for pk, n in counts["holder"]
            if pk in holders
        ]
        holder += [
            FacetValue(h.slug, h.name, 0, True)
            for h in holders.values()
            if h.slug in self.holder_slugs and h.slug not in {v.slug for v in holder}
        ]
        publisher = self._string_facet(counts["publisher"], self.params.publishers)
        category = self._string_facet(counts["category"], self.params.categories)
        return {"market": market, "holder": holder, "publisher": publisher, "category": category}

    @staticmethod
    def _string_facet(counts, selected):
        values = [FacetValue(v, v, n, v in selected) for v, n in counts if v]
        shown = {v.slug for v in values}
        return values + [FacetValue(v, v, 0, True) for v in selected if v not in shown]

    def cache_key(self, *parts):
        """What the answer depends on: the visible sources as they are now, the words, the filters."""
        p = self.params
        described = [
            [(s["pk"], s["updated_at"].isoformat()) for s in self.sources],
            self.words,
            bool(p.query),  # a query without words matches nothing: not the same as no query
            p.status,
            timezone.localdate().isoformat(),  # the markets' statuses change with the day
            *(sorted(values) for values in (p.markets, p.holders, p.publishers, p.categories)),
            *parts,
        ]
        return "prices:" + hashlib.sha256(json.dumps(described).encode()).hexdigest()


def with_market_holders(lines):
    """The market's holders of lines whose piece names none (the `holders` filter shows them), in one query."""
    markets = [line.market for line in lines if not line.holder_id]
    holders = Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder"))
    prefetch_related_objects(markets, holders)
    return lines


class PageLines(Sequence):
    """A page's lines by id, read from the database the first time they are used: when its
    HTML is in the cache, they never are."""

    def __init__(self, ids):
        self.ids, self._lines = ids, None

    @property
    def lines(self):
        if self._lines is None:
            found = _listed(PriceLine.objects.all()).in_bulk(self.ids) if self.ids else {}
            self._lines = with_market_holders([found[pk] for pk in self.ids if pk in found])
        return self._lines

    def __len__(self):
        return len(self.ids if self._lines is None else self._lines)

    def __getitem__(self, index):
        return self.lines[index]


def fragment_key(search, ids, request):
    """What a page of results' HTML shows beyond its lines' ids: the lines' sources as they
    are (their prices), the markets and holders (the catalogue's stamp, renewed when one is
    saved, deleted or moved), the day (statuses, the subscribe button), the reader's being
    logged in (the subscribe link) and the host (the market links)."""
    parts = ["html", ids, str(CatalogueStamp.current()), request.user.is_authenticated, request.get_host()]
    return search.cache_key(*parts)


def _listed(lines):
    """Lines with what a result shows of their market and holder (not the market's lots and pieces)."""
    return without_market_bodies(lines.select_related("market", "holder"))


def price_search(*, request, params, per_page=PER_PAGE) -> PriceResults:
    wanted = read_params(params)
    search = _Search(request, wanted)
    queryset = search.results()
    # The engine when one is configured and answers (not cached: it is kept up to date as
    # imports are applied), else the database's counts, cached.
    found = price_engine.answer(search, per_page=per_page, spellings=SPELLINGS, facet_limit=FACET_LIMIT)
    total, counts = found[:2] if found else cache.get_or_set(search.cache_key(), search.counts, CACHE_SECONDS)
    paginator = Paginator(queryset, per_page)
    paginator.count = total  # known: the paginator need not count again
    number = min(wanted.page or 1, paginator.num_pages)  # past the end: the last page
    start = (number - 1) * per_page
    ids = (
        found[2]
        if found
        else cache.get_or_set(
            search.cache_key(wanted.sort, number),
            lambda: list(queryset.values_list("pk", flat=True)[start : start + per_page]),
            CACHE_SECONDS,
        )
    )
    page = Page(PageLines(ids), number, paginator)
    return PriceResults(
        params=wanted,
        page=page,
        total=total,
        facets=search.facets(counts),
        fragment_key=fragment_key(search, ids, request),
    )


def export_lines(*, request, params):
    """The lines to export: the `ligne` ids given (visible ones), else the search results."""
    ids = line_ids(params, MAX_EXPORT)
    if ids:
        return list(visible_lines(request).filter(pk__in=ids).select_related("market", "holder").order_by("pk"))
    search = _Search(request, read_params(params))
    return list(search.results().select_related("market", "holder")[:MAX_EXPORT])


def compared_lines(*, request, params):
    wanted = line_ids(params, MAX_COMPARE)
    lines = visible_lines(request).filter(pk__in=wanted).select_related("market", "holder")
    by_id = {line.pk: line for line in lines}
    return [by_id[pk] for pk in wanted if pk in by_id]


def visible_line(*, request, pk):
    """The line `pk` if `request` may read its piece (removed lines included), else None."""
    sources = [s["pk"] for s in visible_sources(request)]
    return (
        PriceLine.objects.filter(pk=pk, source_id__in=sources)
        .select_related("market", "holder", "source__document")
        .prefetch_related("versions")
        .first()
    )
