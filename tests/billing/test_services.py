"""Invoice runs: what is due, the amounts, the rank, numbering, idempotence, concurrency."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from billing import selectors, services
from billing.models import CreditNote, Invoice, InvoiceKind, InvoiceStatus, MarketFee
from subscriptions.models import AssociationStanding
from tests.factories.billing import fee_schedule, finalized_subscription
from tests.factories.groupements import GroupementFactory
from tests.factories.members import EstablishmentFactory

D = datetime.date
FIRST, YEARLY = InvoiceKind.FIRST, InvoiceKind.YEARLY


def test_first_run_the_month_after_finalization_issues_the_prorated_invoice(schedule, markets, commune):
    subscription = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 31))
    assert services.invoices_due(kind=FIRST, today=D(2026, 5, 31)) == []  # not before the next month
    drafts = services.invoices_due(kind=FIRST, today=D(2026, 6, 1))
    assert [(d.subscription, d.year, d.fee.total_excl_vat) for d in drafts] == [(subscription, 2026, Decimal("204.17"))]

    [invoice] = services.invoices_issue(kind=FIRST, today=D(2026, 6, 1))
    assert invoice.number == "F2026-00001"
    assert (invoice.fee_year, invoice.months, invoice.kind) == (2026, 7, FIRST)
    assert (invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat) == (
        Decimal("204.17"),
        Decimal("40.83"),
        Decimal("245.00"),
    )
    assert invoice.buyer_siret == commune.siret and invoice.buyer_chorus_code == commune.chorus_code
    assert invoice.due_on == D(2026, 7, 1)
    assert [line.label for line in invoice.lines.all()] == [
        "Frais d'utilisation 2026 — 1\u202f000 à 4\u202f999 habitants — 7 mois sur 12 — Marché 1"
    ]
    # Running again (or next month) issues nothing twice.
    assert services.invoices_issue(kind=FIRST, today=D(2026, 6, 1)) == []
    assert services.invoices_issue(kind=FIRST, today=D(2026, 7, 1)) == []
    assert Invoice.objects.count() == 1


def test_december_finalization_has_no_first_invoice_and_is_invoiced_in_full_next_year(markets, commune):
    fee_schedule(2026)
    fee_schedule(2027)
    subscription = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 12, 31))
    assert services.invoices_issue(kind=FIRST, today=D(2027, 1, 4)) == []
    [invoice] = services.invoices_issue(kind=YEARLY, today=D(2027, 1, 15))
    assert (invoice.subscription, invoice.fee_year, invoice.months, invoice.total_excl_vat) == (
        subscription,
        2027,
        12,
        Decimal("350.00"),
    )
    assert invoice.number == "F2027-00001"


def test_november_finalization_is_invoiced_in_january_for_its_one_month(markets, commune):
    fee_schedule(2026)
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 11, 30))
    [invoice] = services.invoices_issue(kind=FIRST, today=D(2027, 1, 4))
    assert (invoice.fee_year, invoice.months, invoice.total_excl_vat) == (2026, 1, Decimal("29.17"))
    assert invoice.number == "F2027-00001"  # numbered in the year it is issued


def test_yearly_run_in_a_test_clock_issues_every_full_year_invoice_once(markets, commune):
    fee_schedule(2026)
    fee_schedule(2027)
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 10))
    finalized_subscription(market=markets[1], establishment=commune, finalized_on=D(2026, 4, 10))
    this_year = finalized_subscription(market=markets[2], establishment=commune, finalized_on=D(2027, 1, 5))
    services.invoices_issue(kind=FIRST, today=D(2026, 5, 1))
    issued = services.invoices_issue(kind=YEARLY, today=D(2027, 2, 1))
    assert [(i.fee_year, i.total_excl_vat) for i in issued] == [(2027, Decimal("350.00")), (2027, Decimal("280.00"))]
    assert [i.number for i in issued] == ["F2027-00001", "F2027-00002"]
    assert services.invoices_issue(kind=YEARLY, today=D(2027, 3, 31)) == []
    assert not this_year.invoices.filter(fee_year=2027, kind=YEARLY).exists()


def test_cancelled_subscription_stops_future_invoices(schedule, markets, commune):
    fee_schedule(2027)
    subscription = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 3, 2))
    services.invoices_issue(kind=FIRST, today=D(2026, 4, 1))
    subscription.cancelled_on = D(2026, 9, 1)
    subscription.cancel_reason = "Fin d'usage"
    subscription.save()
    assert services.invoices_due(kind=YEARLY, today=D(2027, 1, 10)) == []
    assert subscription.invoices.count() == 1  # the issued one stays


def test_markets_sans_frais_generate_no_invoice_and_do_not_count_in_the_rank(schedule, markets, commune):
    MarketFee.objects.create(market=markets[0], free=True)
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 2))
    paying = finalized_subscription(market=markets[1], establishment=commune, finalized_on=D(2026, 3, 2))
    [draft] = services.invoices_due(kind=FIRST, today=D(2026, 4, 1))
    assert draft.subscription == paying and draft.fee.rank == 1


def test_rank_in_the_year_discounts_the_second_and_later_subscriptions(schedule, markets, commune):
    for month, market in zip((2, 3, 4, 5), markets, strict=True):
        finalized_subscription(market=market, establishment=commune, finalized_on=D(2026, month, 10))
    drafts = services.invoices_due(kind=FIRST, today=D(2026, 6, 1))
    assert [(d.fee.rank, d.fee.discount, d.fee.total_excl_vat) for d in drafts] == [
        (1, Decimal("0"), Decimal("291.67")),
        (2, Decimal("20"), Decimal("210.00")),  # 262.50 − 52.50
        (3, Decimal("40"), Decimal("140.00")),  # 233.33 − 93.33
        (4, Decimal("40"), Decimal("122.50")),  # 204.17 − 81.67
    ]


def test_a_groupement_subscription_counts_once_for_its_parent_and_never_for_its_children(schedule, markets, commune):
    groupement = GroupementFactory(parent=commune, members=2, status="validated")
    child = groupement.members.first().establishment
    own = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 1))
    for_group = finalized_subscription(
        market=markets[1], establishment=commune, groupement=groupement, finalized_on=D(2026, 3, 1)
    )
    childs = finalized_subscription(market=markets[2], establishment=child, finalized_on=D(2026, 3, 15))
    assert selectors.subscription_rank(subscription=own, year=2026) == 1
    assert selectors.subscription_rank(subscription=for_group, year=2026) == 2
    assert selectors.subscription_rank(subscription=childs, year=2026) == 1
    drafts = {d.subscription: d for d in services.invoices_due(kind=FIRST, today=D(2026, 4, 1))}
    assert drafts[for_group].fee.total_excl_vat == Decimal("210.00")  # 9 months of 350 = 262.50, −20 %
    assert drafts[childs].fee.band_label == "tranche par défaut"  # the child's own size (unknown)


def test_a_schedule_change_mid_year_applies_to_invoices_issued_after_it_and_never_to_issued_ones(
    schedule, markets, commune
):
    early = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 10))
    [first] = services.invoices_issue(kind=FIRST, today=D(2026, 3, 1))
    assert first.total_excl_vat == Decimal("291.67")
    schedule.bands.filter(low=1000).update(amount=Decimal("420.00"))
    later = finalized_subscription(market=markets[1], establishment=commune, finalized_on=D(2026, 6, 10))
    [second] = services.invoices_issue(kind=FIRST, today=D(2026, 7, 1))
    assert second.subscription == later
    assert second.total_excl_vat == Decimal("168.00")  # 6/12 of 420 = 210, 2nd: −20 %
    first.refresh_from_db()
    assert first.total_excl_vat == Decimal("291.67")
    assert [line.amount_excl_vat for line in early.invoices.get().lines.all()] == [Decimal("291.67")]


def test_non_members_pay_the_non_member_amount(schedule, markets, commune):
    finalized_subscription(
        market=markets[0],
        establishment=commune,
        finalized_on=D(2026, 5, 1),
        association_standing=AssociationStanding.NEITHER,
    )
    [draft] = services.invoices_due(kind=FIRST, today=D(2026, 6, 1))
    assert draft.fee.total_excl_vat == Decimal("262.50")  # 7/12 of 450


def test_no_schedule_for_the_year_is_shown_in_the_preview_and_issues_nothing(markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 1))
    [draft] = services.invoices_due(kind=FIRST, today=D(2026, 6, 1))
    assert draft.problem == "Aucun barème des frais pour 2026."
    assert services.invoices_issue(kind=FIRST, today=D(2026, 6, 1)) == []


def test_numbers_are_chronological_without_gaps_per_year_across_runs(markets, commune):
    fee_schedule(2026)
    fee_schedule(2027)
    other = EstablishmentFactory()
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 1))
    finalized_subscription(market=markets[1], establishment=other, finalized_on=D(2026, 3, 1))
    finalized_subscription(market=markets[2], establishment=other, finalized_on=D(2026, 9, 1))
    services.invoices_issue(kind=FIRST, today=D(2026, 3, 1))
    services.invoices_issue(kind=FIRST, today=D(2026, 4, 1))
    services.invoices_issue(kind=FIRST, today=D(2026, 10, 1))
    services.invoices_issue(kind=YEARLY, today=D(2027, 1, 10))
    numbers = list(Invoice.objects.order_by("issued_on", "number").values_list("issued_on", "number"))
    assert [n for _, n in numbers] == [
        "F2026-00001",
        "F2026-00002",
        "F2026-00003",
        "F2027-00001",
        "F2027-00002",
        "F2027-00003",
    ]


def test_mark_paid_and_credit_note_never_edit_the_invoice(schedule, markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 1))
    [invoice] = services.invoices_issue(kind=FIRST, today=D(2026, 6, 1))
    note = services.credit_note_issue(
        invoice=invoice, amount_excl_vat=Decimal("100"), reason="Erreur de tranche", today=D(2026, 6, 5)
    )
    assert (note.number, note.amount_excl_vat, note.vat_amount, note.total_incl_vat) == (
        "A2026-00001",
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    with pytest.raises(ValidationError) as error:
        services.credit_note_issue(
            invoice=invoice, amount_excl_vat=Decimal("104.18"), reason="Encore", today=D(2026, 6, 6)
        )
    assert "ne pas dépasser le reste de la facture" in str(error.value)
    with pytest.raises(ValidationError):
        services.credit_note_issue(invoice=invoice, amount_excl_vat=Decimal("1"), reason=" ", today=D(2026, 6, 6))
    assert CreditNote.objects.count() == 1
    paid = services.invoice_mark_paid(invoice=invoice, paid_on=D(2026, 6, 20))
    assert (paid.status, paid.paid_on, paid.total_excl_vat) == (InvoiceStatus.PAID, D(2026, 6, 20), Decimal("204.17"))
    with pytest.raises(ValidationError):
        services.invoice_mark_paid(invoice=invoice, paid_on=D(2026, 6, 21))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_issue_each_invoice_once_with_numbers_without_gaps(market_index, establishment):
    """Two workers start the same run at once, each on its own database connection."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent transactions")
    from tests.factories.markets import MarketPageFactory

    fee_schedule(2026)
    for n in range(6):
        market = MarketPageFactory(parent=market_index, title=f"Marché concurrent {n}")
        finalized_subscription(market=market, establishment=EstablishmentFactory(), finalized_on=D(2026, 3, 2))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.invoices_issue(kind=FIRST, today=D(2026, 4, 1)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(len(r) for r in results) == 6
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [f"F2026-{n:05d}" for n in range(1, 7)]
