""" "Tous les marchés": the faceted search of the live markets below the index page.

Four steps: read the GET parameters, match the markets (status and keywords), count the
facets, paginate into cards. Values of one facet combine with OR, facets with AND, and
each facet counts the markets matching every filter but its own (ticking SCC still shows
how many E.S.I. has). Unknown values are ignored. The work is a fixed handful of queries
whatever the number of markets: the candidate ids, the market-holder and market-theme
pairs, the facet labels, then one page of cards.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from core.forms import ListField, ParamsForm, TruncatedCharField
from core.text import MAX_QUERY_LENGTH, fold_query

from .access import Audience, privacy_filter
from .blocks import DocumentKind
from .models.market import ALL_STATUSES, MarketHolder, MarketPage, MarketPiece, MarketStatus, market_status_filter
from .models.snippets import Holder, Theme

STATUS_CHOICES = [*MarketStatus.choices, (ALL_STATUSES, "Tous")]


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


def catalogue_search(*, index_page, params, request, per_page=None) -> Catalogue:
    """Search the live markets below `index_page` from the GET `params`, as `request` may see them."""
    wanted = read_params(params)
    candidates = (
        MarketPage.objects.live()
        .child_of(index_page)
        .filter(market_status_filter(wanted.status))
        .filter(privacy_filter(request))
    )
    ordered_ids = _matching_ids(candidates, wanted.query)
    facets = _Facets(ordered_ids, wanted)
    result_ids = [pk for pk in ordered_ids if facets.holder_ok(pk) and facets.theme_ok(pk)]
    page = Paginator(result_ids, per_page or index_page.per_page).get_page(wanted.page)
    page.object_list = _cards(page.object_list)
    return Catalogue(
        query=wanted.query,
        status=wanted.status,
        page=page,
        total=len(result_ids),
        holder_facet=facets.holder_facet(),
        theme_facet=facets.theme_facet(),
        selected_holders=facets.selected_holders,
        selected_themes=facets.selected_themes,
    )


def _matching_ids(candidates, query):
    """Ids of the candidates matching the keywords, by relevance; all of them in tree order."""
    if not query:
        return list(candidates.order_by("path").values_list("pk", flat=True))
    folded = fold_query(query)
    if not folded:  # only punctuation or stop words: nothing to look for
        return []
    # Only the ids are needed: the cards of one page are loaded afterwards.
    hits = candidates.only("pk").search(folded, operator="and", order_by_relevance=True)
    return [hit.pk for hit in hits]


class _Facets:
    """Holder and theme counts over the matching markets, each without its own selection."""

    def __init__(self, ordered_ids, wanted: CatalogueParams):
        self.ordered_ids = ordered_ids
        self.holders_of = _group(
            MarketHolder.objects.filter(market_id__in=ordered_ids).values_list("market_id", "holder_id")
        )
        pairs = MarketPage.themes.through.objects.filter(marketpage_id__in=ordered_ids)
        self.themes_of = _group(pairs.values_list("marketpage_id", "theme_id"))
        self.holders = list(
            Holder.objects.filter(
                Q(market_links__market_id__in=ordered_ids) | Q(slug__in=wanted.holder_slugs)
            ).distinct()
        )
        self.themes = list(Theme.objects.all())
        self.selected_holders = [h for h in self.holders if h.slug in wanted.holder_slugs]
        self.selected_themes = [t for t in self.themes if t.slug in wanted.theme_slugs]
        # A market tagged with a sub-theme also belongs to its parent theme.
        parent_of = {t.pk: t.parent_id for t in self.themes}
        for market_id, theme_ids in self.themes_of.items():
            self.themes_of[market_id] = theme_ids | {parent_of[t] for t in theme_ids if parent_of.get(t)}
        self.holder_ok = _matches(self.holders_of, self.selected_holders)
        self.theme_ok = _matches(self.themes_of, self.selected_themes)

    def holder_facet(self):
        counts = _count(self.holders_of.get(pk, ()) for pk in self.ordered_ids if self.theme_ok(pk))
        values = [_facet_value(h, counts, self.selected_holders) for h in self.holders]
        values.sort(key=lambda value: (-value.count, value.name.lower()))
        return [value for value in values if value.count or value.selected]

    def theme_facet(self):
        counts = _count(self.themes_of.get(pk, ()) for pk in self.ordered_ids if self.holder_ok(pk))
        facet = []
        for theme in (t for t in self.themes if t.parent_id is None):
            value = _facet_value(theme, counts, self.selected_themes)
            children = (_facet_value(t, counts, self.selected_themes) for t in self.themes if t.parent_id == theme.pk)
            value.children = [child for child in children if child.count or child.selected]
            if value.count or value.selected:
                facet.append(value)
        return facet


def _facet_value(item, counts, selected):
    return FacetValue(item.slug, item.name, counts.get(item.pk, 0), item in selected)


def _matches(groups, selected):
    wanted = {item.pk for item in selected}
    return lambda market_id: not wanted or bool(groups.get(market_id, set()) & wanted)


def _group(pairs):
    grouped = {}
    for key, value in pairs:
        grouped.setdefault(key, set()).add(value)
    return grouped


def _count(groups):
    counts = {}
    for group in groups:
        for key in group:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _cards(ids):
    """The markets of one result page, in the given order, with what a card shows."""
    public_pieces = MarketPiece.objects.filter(
        audience=Audience.PUBLIC, kind__in=DocumentKind.CARD_KINDS
    ).select_related("document")
    markets = MarketPage.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("pieces", queryset=public_pieces, to_attr="card_pieces"),
        Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder"), to_attr="card_holder_links"),
    )
    by_id = {market.pk: market for market in markets}
    return [by_id[pk] for pk in ids if pk in by_id]
