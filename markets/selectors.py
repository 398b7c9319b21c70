"""Reads of the catalogue: the faceted search of "Tous les marchés"."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from .models import Holder, MarketHolder, MarketPage, MarketStatus, Theme
from .search_text import fold_query

CARD_PIECE_KINDS = ("summary", "cctp", "bpu", "catalogue")


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

    status_choices = [*MarketStatus.choices, ("tous", "Tous")]

    @property
    def has_filters(self):
        return bool(self.query or self.selected_holders or self.selected_themes)


def market_status_filter(status, today=None):
    today = today or timezone.localdate()
    if status == MarketStatus.ENDED:
        return Q(ends_on__lt=today)
    if status == MarketStatus.UPCOMING:
        return Q(notified_on__gt=today)
    if status == "tous":
        return Q()
    return Q(notified_on__lte=today, ends_on__gte=today)


def _clean_status(value):
    return value if value in {*MarketStatus.values, "tous"} else MarketStatus.CURRENT


def catalogue_search(*, index_page, params, per_page=None):
    """Search the live markets below `index_page` from GET `params`.

    Filters combine as the catalogue promises: values of one facet with OR, facets with
    AND, and each facet counts the markets matching every filter but its own. The work is a
    fixed handful of queries whatever the number of markets: candidate ids, the market-holder
    and market-theme pairs, the facet labels, then the one page of results.
    """
    query = (params.get("q") or "").strip()[:200]
    status = _clean_status(params.get("statut"))

    markets = MarketPage.objects.live().child_of(index_page)
    candidates = markets.filter(market_status_filter(status))
    folded = fold_query(query)
    if folded:
        hits = candidates.search(folded, operator="and", order_by_relevance=True)
        ordered_ids = [hit.pk for hit in hits]
    elif query:
        ordered_ids = []  # only punctuation or stop words: nothing to look for
    else:
        ordered_ids = list(candidates.order_by("path").values_list("pk", flat=True))
    candidate_ids = set(ordered_ids)

    holder_pairs = MarketHolder.objects.filter(market_id__in=candidate_ids).values_list("market_id", "holder_id")
    theme_pairs = MarketPage.themes.through.objects.filter(marketpage_id__in=candidate_ids).values_list(
        "marketpage_id", "theme_id"
    )
    holders_by_market, themes_by_market = _group(holder_pairs), _group(theme_pairs)

    themes = list(Theme.objects.all())
    holders = list(Holder.objects.filter(Q(market_links__market_id__in=candidate_ids) | Q(slug__in=params.getlist("titulaire"))).distinct())
    theme_by_slug = {t.slug: t for t in themes}
    holder_by_slug = {h.slug: h for h in holders}
    selected_holders = [holder_by_slug[s] for s in dict.fromkeys(params.getlist("titulaire")) if s in holder_by_slug]
    selected_themes = [theme_by_slug[s] for s in dict.fromkeys(params.getlist("theme")) if s in theme_by_slug]

    # A theme stands for itself and its sub-themes.
    family = {t.pk: {t.pk} for t in themes}
    for t in themes:
        if t.parent_id:
            family.setdefault(t.parent_id, set()).add(t.pk)
    wanted_theme_ids = set().union(*(family[t.pk] for t in selected_themes)) if selected_themes else None
    wanted_holder_ids = {h.pk for h in selected_holders} or None

    def holder_ok(pk):
        return wanted_holder_ids is None or bool(holders_by_market.get(pk, set()) & wanted_holder_ids)

    def theme_ok(pk):
        return wanted_theme_ids is None or bool(themes_by_market.get(pk, set()) & wanted_theme_ids)

    result_ids = [pk for pk in ordered_ids if holder_ok(pk) and theme_ok(pk)]
    holder_counts = _count((holders_by_market.get(pk, ()) for pk in candidate_ids if theme_ok(pk)))
    theme_counts = _count(
        ({t for theme_id in themes_by_market.get(pk, ()) for t in _with_parent(theme_id, themes)} for pk in candidate_ids if holder_ok(pk))
    )

    holder_facet = sorted(
        (
            FacetValue(h.slug, h.name, holder_counts.get(h.pk, 0), h in selected_holders)
            for h in holders
            if holder_counts.get(h.pk) or h in selected_holders
        ),
        key=lambda v: (-v.count, v.name.lower()),
    )
    theme_facet = []
    for theme in themes:
        if theme.parent_id is None:
            value = FacetValue(theme.slug, theme.name, theme_counts.get(theme.pk, 0), theme in selected_themes)
            value.children = [
                FacetValue(child.slug, child.name, theme_counts.get(child.pk, 0), child in selected_themes)
                for child in themes
                if child.parent_id == theme.pk and (theme_counts.get(child.pk) or child in selected_themes)
            ]
            if value.count or value.selected or value.children:
                theme_facet.append(value)

    page = Paginator(result_ids, per_page or index_page.per_page).get_page(params.get("page"))
    page.object_list = _load_cards(page.object_list)
    return Catalogue(
        query=query,
        status=status,
        page=page,
        total=len(result_ids),
        holder_facet=holder_facet,
        theme_facet=theme_facet,
        selected_holders=selected_holders,
        selected_themes=selected_themes,
    )


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


def _with_parent(theme_id, themes):
    parent = {t.pk: t.parent_id for t in themes}.get(theme_id)
    return {theme_id, parent} - {None}


def _load_cards(ids):
    """The markets of one result page, in order, with what a card shows."""
    from django.db.models import Prefetch

    from .access import Audience
    from .models import MarketPiece

    public_pieces = MarketPiece.objects.filter(audience=Audience.PUBLIC, kind__in=CARD_PIECE_KINDS).select_related(
        "document"
    )
    markets = MarketPage.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("pieces", queryset=public_pieces, to_attr="card_pieces"),
        Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder"), to_attr="card_holder_links"),
    )
    by_id = {m.pk: m for m in markets}
    return [by_id[pk] for pk in ids if pk in by_id]


def catalogue_figures():
    """Key figures of the showcase, computed from the data."""
    live = MarketPage.objects.live().filter(market_status_filter(MarketStatus.CURRENT))
    return {
        "markets": live.count(),
        "holders": MarketHolder.objects.filter(market__in=live).values("holder").distinct().count(),
        "themes": Theme.objects.filter(parent__isnull=True, markets__in=live).distinct().count(),
    }


def latest_markets(*, limit):
    return list(
        MarketPage.objects.live()
        .filter(market_status_filter(MarketStatus.CURRENT))
        .order_by("-notified_on", "title")[:limit]
    )
