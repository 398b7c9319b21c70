"""Reads of the holders' side: whose account is whose, what a holder sees, who bought."""

from markets.models import MarketPage
from subscriptions.models import Subscription

from .lots import holder_lots
from .models import HolderContact, Report, SalesLine


def contact_for(*, user) -> HolderContact | None:
    """The active holder contact behind `user`, or None."""
    if not getattr(user, "is_holder", False):
        return None
    return (
        HolderContact.objects.select_related("holder")
        .filter(user=user, accepted_at__isnull=False, revoked_at__isnull=True)
        .first()
    )


def holder_markets(*, holder):
    return MarketPage.objects.live().filter(holder_links__holder=holder).distinct().order_by("title")


def holder_reports(*, holder):
    return (
        Report.objects.filter(holder=holder)
        .select_related("campaign", "market", "holder")
        .order_by("-campaign__year", "-campaign__half", "market__title")
    )


def holder_report(*, holder, pk) -> Report:
    """One of `holder`'s reports (Report.DoesNotExist for anyone else's)."""
    return Report.objects.select_related("campaign", "market", "holder").get(holder=holder, pk=pk)


def subscribed_establishments(*, market):
    """(SIRET, name) of every establishment with a finalized subscription to `market`,
    directly or as a member of a subscribed groupement."""
    finalized = Subscription.objects.finalized().filter(market=market)
    rows = {}
    for siret, name in finalized.values_list("establishment__siret", "establishment__name"):
        rows[siret] = name
    for siret, name in finalized.filter(groupement__isnull=False).values_list(
        "groupement__members__establishment__siret", "groupement__members__name"
    ):
        if siret:
            rows.setdefault(siret, name)
    return sorted(rows.items(), key=lambda item: (item[1].casefold(), item[0]))


def template_rows(*, report):
    market = report.market.specific
    lots = holder_lots(market=market, holder=report.holder)
    return [(siret, name, lot) for siret, name in subscribed_establishments(market=report.market) for lot in lots]


def member_purchases(*, establishment_ids, market):
    """What holders reported (accepted reports) as sold to these establishments on
    `market` (a MarketPage or its id), newest half-year first."""
    return list(
        SalesLine.objects.filter(
            establishment_id__in=establishment_ids,
            report__market=market,
            report__status=Report.Status.ACCEPTED,
        )
        .select_related("report__campaign", "report__holder")
        .order_by("-report__campaign__year", "-report__campaign__half", "lot")
    )
