"""Reads for open data: what a market lacks for the DECP files, and the files' records."""

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone

from markets.models import CatalogueStamp, MarketHolder, MarketPage

from .models import DECP_SINCE, DECP_THRESHOLD, MarketEssentialData, OpenDataSettings

REQUIRED = [
    "identifier", "nature", "procedure", "techniques", "execution_modes", "cpv_code", "place_code", "place_kind",
    "duration_months", "amount", "price_form", "price_types", "ccag", "offers_received", "operators_grouping",
    "social_considerations", "environmental_considerations",
]  # fmt: skip
CACHE_SECONDS = 24 * 3600


def buyer_siret():
    return OpenDataSettings.load().buyer_siret


def holders_of(data):
    return [link.holder for link in data.market.holder_links.all()]


def essential_data_missing(data, *, buyer=None):
    """The French labels of what `data` lacks for the DECP files (empty: complete)."""
    missing = [str(MarketEssentialData._meta.get_field(name).verbose_name) for name in REQUIRED
               if getattr(data, name) in (None, "", [])]  # fmt: skip
    holders = holders_of(data)
    if not holders:
        missing.append("titulaires")
    missing += [f"SIRET de {holder.name}" for holder in holders if getattr(holder, "decp", None) is None]
    if not (buyer if buyer is not None else buyer_siret()):
        missing.append("SIRET de l'acheteur (Paramètres › Données ouvertes)")
    return missing


def in_scope(data, today=None):
    """Notified since 2024 (and not in the future), for €40,000 excl. VAT or more."""
    today = today or timezone.localdate()
    notified_on = data.market.notified_on
    return DECP_SINCE <= notified_on <= today and data.amount is not None and data.amount >= DECP_THRESHOLD


def essential_data_queryset():
    holders = MarketHolder.objects.select_related("holder__decp").order_by("sort_order")
    return MarketEssentialData.objects.select_related("market").prefetch_related(
        Prefetch("market__holder_links", queryset=holders)
    )


def publishable_essential_data(*, today=None):
    """The essential data the files carry: live, public markets in scope with complete data.

    Stamps `first_published_on` on the ones published for the first time (the format's
    datePublicationDonnees, which never changes afterwards).
    """
    today = today or timezone.localdate()
    buyer = buyer_siret()
    rows = essential_data_queryset().filter(
        market__in=MarketPage.objects.live().public(),
        market__notified_on__gte=DECP_SINCE,
        market__notified_on__lte=today,
        amount__gte=DECP_THRESHOLD,
    )
    rows = [
        row
        for row in rows.order_by("market__notified_on", "identifier")
        if not essential_data_missing(row, buyer=buyer)
    ]
    new = [row.pk for row in rows if row.first_published_on is None]
    if new:
        MarketEssentialData.objects.filter(pk__in=new, first_published_on__isnull=True).update(first_published_on=today)
        for row in rows:
            row.first_published_on = row.first_published_on or today
    return rows, buyer


def decp_file(fmt, *, today=None):
    """(the file's bytes, its publication date), cached until the catalogue or the day changes."""
    from .decp import to_json, to_xml

    today = today or timezone.localdate()
    key = f"opendata:decp:{CatalogueStamp.current()}:{today.isoformat()}:{fmt}"
    cached = cache.get(key)
    if cached is None:
        rows, buyer = publishable_essential_data(today=today)
        body = (to_json if fmt == "json" else to_xml)(rows, buyer=buyer)
        cached = (body, today)
        cache.set(key, cached, CACHE_SECONDS)
    return cached
