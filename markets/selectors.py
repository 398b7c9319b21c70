"""Reads of the catalogue: the faceted search of "Tous les marchés" and the showcase figures."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.utils import timezone

from .access import Audience
from .blocks import DocumentKind
from .models import Holder, MarketHolder, MarketPage, MarketPiece, MarketStatus, Theme
from .search_text import MAX_QUERY_LENGTH, fold_query

ALL_STATUSES = "tous"
STATUS_CHOICES = [*MarketStatus.choices, (ALL_STATUSES, "Tous")]


@dataclass
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool
    children: list = field(default_factory=list)


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


def market_status_filter(status, today=None):
    today = today or timezone.localdate()
    if status == MarketStatus.ENDED:
        return Q(ends_on__lt=today)
    if status == MarketStatus.UPCOMING:
        return Q(notified_on__gt=today)
    if status == ALL_STATUSES:
        return Q()
    return Q(notified_on__lte=today, ends_on__gte=today)


def catalogue_search(*, index_page, params, per_page=None):
    """Search the live markets below `index_page` from the GET `params`.

    Values of one facet combine with OR, facets with AND, and each facet counts the markets
    matching every filter but its own (ticking SCC still shows how many E.S.I. has). Unknown
    values are ignored. The work is a fixed handful of queries whatever the number of markets:
    the candidate ids, the market-holder and market-theme pairs, the facet labels, then one
    page of cards. Facets are counted in Python over those pairs, the same on every backend.
    """
    query = (params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    status = params.get("statut")
    if status not in dict(STATUS_CHOICES):
        status = MarketStatus.CURRENT

    candidates = MarketPage.objects.live().child_of(index_page).filter(market_status_filter(status))
    ordered_ids = _matching_ids(candidates, query)
    holders_of = _group(MarketHolder.objects.filter(market_id__in=ordered_ids).values_list("market_id", "holder_id"))
    themes_of = _group(
        MarketPage.themes.through.objects.filter(marketpage_id__in=ordered_ids).values_list("marketpage_id", "theme_id")
    )

    holder_slugs, theme_slugs = params.getlist("titulaire"), params.getlist("theme")
    holders = list(
        Holder.objects.filter(Q(market_links__market_id__in=ordered_ids) | Q(slug__in=holder_slugs)).distinct()
    )
    themes = list(Theme.objects.all())
    selected_holders = [h for h in holders if h.slug in holder_slugs]
    selected_themes = [t for t in themes if t.slug in theme_slugs]

    # A market tagged with a sub-theme also belongs to its parent theme.
    parent_of = {t.pk: t.parent_id for t in themes}
    for market_id, theme_ids in themes_of.items():
        themes_of[market_id] = theme_ids | {parent_of[t] for t in theme_ids if parent_of.get(t)}

    def matches(groups, selected):
        wanted = {item.pk for item in selected}
        return lambda market_id: not wanted or bool(groups.get(market_id, set()) & wanted)

    holder_ok, theme_ok = matches(holders_of, selected_holders), matches(themes_of, selected_themes)
    result_ids = [pk for pk in ordered_ids if holder_ok(pk) and theme_ok(pk)]
    holder_counts = _count(holders_of.get(pk, ()) for pk in ordered_ids if theme_ok(pk))
    theme_counts = _count(themes_of.get(pk, ()) for pk in ordered_ids if holder_ok(pk))

    def facet_value(item, counts, selected):
        return FacetValue(item.slug, item.name, counts.get(item.pk, 0), item in selected)

    holder_facet = sorted(
        (facet_value(h, holder_counts, selected_holders) for h in holders),
        key=lambda value: (-value.count, value.name.lower()),
    )
    theme_facet = []
    for theme in (t for t in themes if t.parent_id is None):
        value = facet_value(theme, theme_counts, selected_themes)
        value.children = [
            child
            for child in (facet_value(t, theme_counts, selected_themes) for t in themes if t.parent_id == theme.pk)
            if child.count or child.selected
        ]
        if value.count or value.selected:
            theme_facet.append(value)

    page = Paginator(result_ids, per_page or index_page.per_page).get_page(params.get("page"))
    page.object_list = _cards(page.object_list)
    return Catalogue(
        query=query,
        status=status,
        page=page,
        total=len(result_ids),
        holder_facet=[value for value in holder_facet if value.count or value.selected],
        theme_facet=theme_facet,
        selected_holders=selected_holders,
        selected_themes=selected_themes,
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


def catalogue_figures():
    """Key figures of the showcase, computed from the data."""
    current = MarketPage.objects.live().filter(market_status_filter(MarketStatus.CURRENT))
    return {
        "markets": current.count(),
        "holders": Holder.objects.filter(market_links__market__in=current).distinct().count(),
        "themes": Theme.objects.filter(parent__isnull=True)
        .filter(Q(markets__in=current) | Q(children__markets__in=current))
        .distinct()
        .count(),
    }


def latest_markets(*, limit):
    current = MarketPage.objects.live().filter(market_status_filter(MarketStatus.CURRENT))
    return list(current.order_by("-notified_on", "title")[:limit])
