"""Reads: the schedule of a year, an establishment's size, a subscription's rank and fee,
the member's estimate, the invoices a user may see, and the staff figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from subscriptions.models import AssociationStanding, Subscription

from .fees import Fee, billable_months, fee_compute
from .models import EstablishmentSize, FeeSchedule, Invoice, InvoiceStatus, MarketFee


def schedule_for(*, year: int):
    return FeeSchedule.objects.filter(year=year).prefetch_related("bands").first()


def market_is_free(*, market) -> bool:
    return MarketFee.objects.filter(market=market, free=True).exists()


def establishment_size(*, establishment) -> dict:
    size = EstablishmentSize.objects.filter(establishment=establishment).first()
    if size is None:
        return {"population": None, "headcount_band": ""}
    return {"population": size.population, "headcount_band": size.headcount_band}


def ranked_subscriptions(*, establishment, year: int):
    """The payer's subscriptions that count in `year`'s degressive rule, in rank order.

    A subscription counts from the year it is finalized (unless in December: nothing is
    billed that year) while it is live, except on markets "sans frais". A groupement's
    subscription is one subscription of its parent, who signs and pays: the children's own
    subscriptions count for each child, never for the parent (see README).
    """
    return (
        Subscription.objects.live()
        .filter(establishment=establishment, finalized_on__lt=datetime.date(year, 12, 1))
        .exclude(market__billing_fee__free=True)
        .order_by("finalized_on", "pk")
    )


def subscription_rank(*, subscription, year: int) -> int:
    ids = list(
        ranked_subscriptions(establishment=subscription.establishment_id, year=year).values_list("pk", flat=True)
    )
    return ids.index(subscription.pk) + 1 if subscription.pk in ids else len(ids) + 1


def subscription_fee(*, subscription, year: int, schedule=None) -> Fee | None:
    """What `subscription` owes for `year` (None: nothing, or no schedule for that year)."""
    schedule = schedule or schedule_for(year=year)
    months = billable_months(finalized_on=subscription.finalized_on, year=year)
    if schedule is None or months == 0:
        return None
    return fee_compute(
        schedule=schedule,
        bands=list(schedule.bands.all()),
        year=year,
        months=months,
        rank=subscription_rank(subscription=subscription, year=year),
        non_member=subscription.association_standing == AssociationStanding.NEITHER,
        **establishment_size(establishment=subscription.establishment),
    )


@dataclass(frozen=True)
class Estimate:
    free: bool
    fee: Fee | None = None
    next_year: bool = False  # finalized in December: the first invoice is next year's
    non_member_annual: object = None
    schedule: FeeSchedule | None = None


def fee_estimate(*, market, establishment, today: datetime.date) -> Estimate | None:
    """The fee `establishment` would pay if its subscription to `market` were finalized
    today: the same computation as the invoice (None: no schedule published)."""
    if market_is_free(market=market):
        return Estimate(free=True)
    year = today.year
    months = billable_months(finalized_on=today, year=year)
    next_year = months == 0
    if next_year:
        year, months = year + 1, 12
    schedule = schedule_for(year=year)
    if schedule is None:
        return None
    counted = ranked_subscriptions(establishment=establishment, year=year).exclude(market=market)
    if next_year:
        counted = counted.filter(finalized_on__lt=today)
    rank = counted.count() + 1
    size = establishment_size(establishment=establishment)
    bands = list(schedule.bands.all())
    fee = fee_compute(schedule=schedule, bands=bands, year=year, months=months, rank=rank, **size)
    non_member = fee_compute(schedule=schedule, bands=bands, year=year, months=12, rank=1, non_member=True, **size)
    return Estimate(
        free=False,
        fee=fee,
        next_year=next_year,
        non_member_annual=non_member.annual_amount if non_member.annual_amount != fee.annual_amount else None,
        schedule=schedule,
    )


def invoices_for_user(*, user):
    """Invoices of the user's validated establishments (émises or payées)."""
    return (
        Invoice.objects.filter(establishment__users=user, establishment__status="validated")
        .select_related("market", "establishment")
        .distinct()
        .order_by("-issued_on", "-number")
    )


def invoice_figures(*, today: datetime.date, due_first: int, due_yearly: int) -> dict:
    month_start = today.replace(day=1)
    return {
        "to_issue": due_first + due_yearly,
        "issued_this_month": Invoice.objects.filter(issued_on__gte=month_start).count(),
        "issued_this_year": Invoice.objects.filter(issued_on__year=today.year).count(),
        "unpaid_over_30_days": Invoice.objects.filter(
            Q(status=InvoiceStatus.ISSUED), issued_on__lt=today - datetime.timedelta(days=30)
        ).count(),
    }
