"""Reads: a member's simulations, the store a request works on, and a simulation's figures.

`simulation_figures` is the one place a simulation is computed: the page, the note and the
spreadsheet call it. The reader's visible price sources are asked first (prices.selectors, the
one rule for who sees a line); a line of a piece the reader may not (or may no longer) read is
neither shown nor counted. The work is a fixed number of queries whatever the number of
lines, plus the fee's few per agreement not yet used.
"""

import datetime
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404

from billing.selectors import fee_estimate
from markets.models import MarketHolder
from markets.models.market import without_market_bodies
from prices.models import PriceLine
from prices.selectors import visible_lines, visible_sources
from prices.templatetags.prices import holders
from subscriptions.models import Subscription
from subscriptions.selectors import member_establishments

from .computation import Entry, SimulationFigures, agreement_figures
from .models import Simulation
from .store import AccountStore, VisitorStore


def simulations_for(*, user):
    return Simulation.objects.filter(owner=user).select_related("establishment").order_by("-updated_at", "-pk")


def simulation_for(*, user, pk) -> Simulation:
    """The member's own simulation `pk`, or 404 (another's is not found: no hint)."""
    simulation = simulations_for(user=user).filter(pk=pk).first()
    if simulation is None:
        raise Http404("Simulation introuvable.")
    return simulation


def store_for(request, pk=None):
    """The account's simulation `pk`, or (no pk) the visitor's session simulation."""
    if pk is None:
        return VisitorStore(request.session)
    if not request.user.is_authenticated:
        raise Http404("Simulation introuvable.")
    return AccountStore(simulation_for(user=request.user, pk=pk))


def visible_price_line(*, request, pk):
    """An active price line the reader may see, for adding to a simulation; else 404."""
    sources = [source["pk"] for source in visible_sources(request)]
    line = without_market_bodies(
        PriceLine.objects.filter(pk=pk, active=True, source_id__in=sources).select_related("market", "holder")
    ).first()
    if line is None:
        raise Http404("Ligne de prix introuvable.")
    return line


MARKET_PAGE_SIZE = 25


def market_lines_page(*, request, market_id, page):
    """(market, a page of its active lines the reader may see), or 404 when there is none."""
    lines = without_market_bodies(
        visible_lines(request).filter(market_id=market_id).select_related("market", "holder").order_by("lot", "pk")
    )
    found = Paginator(lines, MARKET_PAGE_SIZE).get_page(page)
    if not found.object_list:
        raise Http404("Aucune ligne de prix visible pour ce marché.")
    return found.object_list[0].market, found


def buyer_establishment(*, store, user):
    """The simulation's establishment if the user still belongs to it (validated)."""
    establishment = store.establishment
    if establishment is None or not user.is_authenticated:
        return None
    return establishment if member_establishments(user=user).filter(pk=establishment.pk).exists() else None


def used_market_ids(*, establishment, market_ids) -> set:
    """Markets the establishment already uses: a live subscription of its own or of a groupement it is in."""
    covering = Q(establishment=establishment) | Q(groupement__members__establishment=establishment)
    return set(
        Subscription.objects.live().filter(covering, market_id__in=market_ids).values_list("market_id", flat=True)
    )


def simulation_figures(*, request, store, today: datetime.date) -> SimulationFigures:
    rows = store.rows()
    visible = {source["pk"] for source in visible_sources(request)}
    lines = without_market_bodies(
        PriceLine.objects.filter(pk__in=[row[1] for row in rows]).select_related("market", "holder")
    ).in_bulk()
    entries = [
        Entry(price_line=lines[line_id], quantity=quantity, price_at_add=price, paid_unit_price=paid, pk=pk)
        for pk, line_id, quantity, price, paid in rows
        if line_id in lines and lines[line_id].source_id in visible
    ]
    hidden = len(rows) - len(entries)
    entries.sort(key=lambda entry: (entry.price_line.market.title, entry.price_line.market_id))
    by_id = {}
    for entry in entries:  # one market instance per market, so one prefetch serves all its lines
        entry.price_line.market = by_id.setdefault(entry.price_line.market_id, entry.price_line.market)
    markets = list(by_id.values())
    prefetch_related_objects(markets, Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder")))
    establishment = buyer_establishment(store=store, user=request.user)
    used = used_market_ids(establishment=establishment, market_ids=[m.pk for m in markets]) if establishment else set()
    quotes = store.quotes()
    agreements, planned = [], 0
    for market_id, group in groupby(entries, key=lambda entry: entry.price_line.market_id):
        group = list(group)
        market = group[0].price_line.market
        estimate = None
        if establishment is not None and market_id not in used:
            estimate = fee_estimate(
                market=market, establishment=establishment, today=today, non_member=store.non_member, planned=planned
            )
            if estimate is not None and not estimate.free:
                planned += 1  # the next market would be the establishment's next subscription of the year
        agreements.append(
            agreement_figures(
                market=market,
                entries=group,
                holders_of=holders,
                used=market_id in used,
                estimate=estimate,
                quote=quotes.get(market_id),
                buyer_known=establishment is not None,
            )
        )
    return SimulationFigures(agreements=agreements, hidden=hidden)
