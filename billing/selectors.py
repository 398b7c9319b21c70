"""Reads: the schedule of a year, an establishment's size, a subscription's rank and fee,
the member's estimate, the invoices a user may see, and the staff figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from members.models import Establishment
from subscriptions.models import AssociationStanding, Subscription

from .fees import Fee, billable_months, fee_compute
from .models import CreditNote, EstablishmentSize, FeeSchedule, Invoice, InvoiceStatus, MarketFee
from .states import invoice_state


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
    subscriptions count for each child, never for the parent (see docs/features.md, "Frais et factures").
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


def _fee(*, establishment, year: int, months: int, rank: int, non_member: bool, schedule=None) -> Fee | None:
    """The one fee computation, for an invoice and for an estimate alike."""
    schedule = schedule or schedule_for(year=year)
    if schedule is None or months == 0:
        return None
    return fee_compute(
        schedule=schedule,
        bands=list(schedule.bands.all()),
        year=year,
        months=months,
        rank=rank,
        non_member=non_member,
        **establishment_size(establishment=establishment),
    )


def subscription_fee(*, subscription, year: int, schedule=None) -> Fee | None:
    """What `subscription` owes for `year` (None: nothing, or no schedule for that year)."""
    return _fee(
        establishment=subscription.establishment,
        year=year,
        months=billable_months(finalized_on=subscription.finalized_on, year=year),
        rank=subscription_rank(subscription=subscription, year=year),
        non_member=subscription.association_standing == AssociationStanding.NEITHER,
        schedule=schedule,
    )


@dataclass(frozen=True)
class Estimate:
    free: bool
    fee: Fee | None = None
    next_year: bool = False  # finalized in December: the first invoice is next year's
    non_member: bool = False  # the fee of an establishment that does not join the association
    other_annual: object = None  # the yearly fee of the other standing, when it differs
    schedule: FeeSchedule | None = None

    @property
    def non_member_annual(self):
        return self.other_annual if not self.non_member else None


def fee_estimate(
    *, market, establishment, today: datetime.date, non_member: bool = False, planned: int = 0
) -> Estimate | None:
    """The fee `establishment` would pay if its subscription to `market` were finalized
    today: the invoice's computation, ranked as the invoice will rank it (after every live
    subscription finalized until today, the same day's included). `non_member`: for an
    establishment that does not join the association ("ne souhaite pas adhérer").
    `planned`: subscriptions with fees it would finalize the same day before this one (a
    purchase simulation over several markets), each ranking this one a step further."""
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
    earlier = ranked_subscriptions(establishment=establishment, year=year).filter(finalized_on__lte=today)
    rank = earlier.exclude(market=market).count() + 1 + planned
    common = {"establishment": establishment, "year": year, "rank": rank, "schedule": schedule}
    fee = _fee(months=months, non_member=non_member, **common)
    other = _fee(months=12, non_member=not non_member, **{**common, "rank": 1})
    return Estimate(
        free=False,
        fee=fee,
        next_year=next_year,
        non_member=non_member,
        other_annual=other.annual_amount if other.annual_amount != fee.annual_amount else None,
        schedule=schedule,
    )


def invoices_for_user(*, user):
    """Invoices of the user's validated establishments, their credit notes prefetched."""
    return (
        Invoice.objects.filter(establishment__users=user, establishment__status="validated")
        .select_related("market", "establishment")
        .prefetch_related(Prefetch("credit_notes", queryset=CreditNote.objects.order_by("issued_on", "number")))
        .distinct()
        .order_by("-issued_on", "-number")
    )


def credit_notes_for_user(*, user):
    return CreditNote.objects.filter(
        invoice__establishment__users=user, invoice__establishment__status="validated"
    ).select_related("invoice")


def establishments_for_user(*, user):
    """The user's validated establishments, with what they asked to see on their invoices."""
    return (
        Establishment.objects.filter(users=user, status="validated")
        .select_related("billing_reference")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    state: tuple
    remaining: Decimal  # TTC still owed (credit notes deducted), zero once paid or credited


def invoice_rows(invoices, *, today: datetime.date) -> list[InvoiceRow]:
    rows = []
    for invoice in invoices:
        state = invoice_state(invoice, today)
        credited = sum((note.total_incl_vat for note in invoice.credit_notes.all()), Decimal("0"))
        owed = state[0] in ("due", "overdue", "issued", "rejected")
        rows.append(InvoiceRow(invoice, state, invoice.total_incl_vat - credited if owed else Decimal("0")))
    return rows


def owed_totals(rows) -> dict:
    return {
        "due": sum((row.remaining for row in rows), Decimal("0")),
        "overdue": sum((row.remaining for row in rows if row.state[0] == "overdue"), Decimal("0")),
    }


def owed_amounts(*, today: datetime.date) -> dict:
    """What members owe (TTC, credit notes deducted): in all, and past the due date. Rejected
    invoices count: they are owed all the same, once corrected."""
    unpaid = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    notes = CreditNote.objects.filter(invoice__status=InvoiceStatus.ISSUED)

    def total(invoices, credit_notes):
        billed = invoices.aggregate(total=Sum("total_incl_vat"))["total"] or Decimal("0")
        credited = credit_notes.aggregate(total=Sum("total_incl_vat"))["total"] or Decimal("0")
        return billed - credited

    return {
        "due": total(unpaid, notes),
        "overdue": total(unpaid.filter(due_on__lt=today), notes.filter(invoice__due_on__lt=today)),
        "overdue_count": unpaid.filter(due_on__lt=today).count(),
    }


def invoice_figures(*, today: datetime.date, due_first: int, due_yearly: int) -> dict:
    month_start = today.replace(day=1)
    return {
        **owed_amounts(today=today),
        "to_issue": due_first + due_yearly,
        "issued_this_month": Invoice.objects.filter(issued_on__gte=month_start).count(),
        "issued_this_year": Invoice.objects.filter(issued_on__year=today.year).count(),
        "unpaid_over_30_days": Invoice.objects.filter(
            Q(status=InvoiceStatus.ISSUED), issued_on__lt=today - datetime.timedelta(days=30)
        ).count(),
    }
