"""Reads of the catalogue for the showcase: key figures and the latest agreements."""

from django.db.models import Q

from .models import Holder, MarketPage, MarketStatus, Theme
from .models.market import market_status_filter


def _current():
    # The showcase is the same for everyone: markets under page privacy stay out of it.
    return MarketPage.objects.live().public().filter(market_status_filter(MarketStatus.CURRENT))


def catalogue_figures():
    """Key figures of the showcase, computed from the data."""
    current = _current()
    return {
        "markets": current.count(),
        "holders": Holder.objects.filter(market_links__market__in=current).distinct().count(),
        "themes": Theme.objects.filter(parent__isnull=True)
        .filter(Q(markets__in=current) | Q(children__markets__in=current))
        .distinct()
        .count(),
    }


def latest_markets(*, limit):
    return list(_current().order_by("-notified_on", "title")[:limit])
