"""The fee a simulation shows is the one the invoice run issues: same establishment, date, rank."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from billing import services as billing_services
from billing.models import InvoiceKind, MarketFee
from simulations.models import Simulation, SimulationLine
from simulations.selectors import simulation_figures
from simulations.store import AccountStore
from tests.factories.billing import fee_schedule, finalized_subscription
from tests.simulations.conftest import line

D = datetime.date
pytestmark = pytest.mark.django_db


def figures_for(simulation, user, today):
    request = RequestFactory().get("/")
    request.user, request.session = user, SessionStore()
    return simulation_figures(request=request, store=AccountStore(simulation), today=today)


def simulation_of(member, establishment, *price_lines, non_member=False):
    simulation = Simulation.objects.create(
        owner=member, name="Achat", establishment=establishment, non_member=non_member
    )
    for price_line in price_lines:
        SimulationLine.objects.create(
            simulation=simulation, price_line=price_line, quantity=Decimal("2"), price_at_add=price_line.net_price
        )
    return simulation


def test_each_new_agreement_s_fee_is_what_the_first_invoice_run_issues(member, commune, licences, services):
    fee_schedule(2026)
    simulation = simulation_of(member, commune, line(licences, "LIC-2"), line(services, "PRE-1"))
    figures = figures_for(simulation, member, D(2026, 5, 20))
    fees = {a.market.pk: a.estimate.fee for a in figures.agreements}
    assert [fee.rank for fee in fees.values()] == [1, 2]  # the second subscription of the year: −20 %

    # The member goes ahead the same day, in the page's order; the June run invoices both.
    for agreement in figures.agreements:
        finalized_subscription(market=agreement.market, establishment=commune, finalized_on=D(2026, 5, 20))
    invoices = billing_services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    assert {invoice.market_id: invoice.total_excl_vat for invoice in invoices} == {
        pk: fee.total_excl_vat for pk, fee in fees.items()
    }
    assert figures.fees_excl_vat == sum(invoice.total_excl_vat for invoice in invoices)
    # 350 € a year, 7 months: 204,17 €; then 204,17 € − 20 % = 163,34 €.
    assert sorted(fee.total_excl_vat for fee in fees.values()) == [Decimal("163.34"), Decimal("204.17")]


def test_a_non_member_pays_the_non_member_amount_as_invoiced(member, commune, licences):
    fee_schedule(2026)
    simulation = simulation_of(member, commune, line(licences, "LIC-2"), non_member=True)
    [agreement] = figures_for(simulation, member, D(2026, 5, 20)).agreements
    finalized_subscription(
        market=licences, establishment=commune, finalized_on=D(2026, 5, 20), association_standing="neither"
    )
    [invoice] = billing_services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    assert agreement.estimate.fee.annual_amount == Decimal("450.00")
    assert agreement.fee_excl_vat == invoice.total_excl_vat == Decimal("262.50")  # 450 € × 7/12


def test_an_agreement_already_used_or_free_adds_no_fee(member, commune, licences, services):
    fee_schedule(2026)
    finalized_subscription(market=licences, establishment=commune, finalized_on=D(2026, 2, 1))
    MarketFee.objects.create(market=services, free=True)
    simulation = simulation_of(member, commune, line(licences, "LIC-2"), line(services, "PRE-1"))
    figures = figures_for(simulation, member, D(2026, 5, 20))
    by_title = {a.market.title: a for a in figures.agreements}
    assert by_title["Licences bureautiques"].used and by_title["Licences bureautiques"].estimate is None
    assert by_title["Prestations de services"].estimate.free
    assert figures.fees_excl_vat == Decimal("0.00")
    assert [a.market.title for a in figures.new_agreements] == ["Prestations de services"]


def test_the_gain_is_net_of_the_fee(member, commune, services):
    fee_schedule(2026)
    simulation = simulation_of(member, commune, line(services, "PRE-1"))  # 2 × 650 € = 1 300 € HT
    simulation.quotes.create(market=services, amount=Decimal("1800"))
    [agreement] = figures_for(simulation, member, D(2026, 5, 20)).agreements
    assert agreement.fee_excl_vat == Decimal("204.17")
    assert agreement.gain == Decimal("1800") - Decimal("1300.00") - Decimal("204.17")
    assert agreement.gain_percent == Decimal("16.4")  # 295,83 / 1 800


def test_an_establishment_the_member_left_gets_no_fee(member, commune, outsider, licences):
    fee_schedule(2026)
    simulation = simulation_of(member, commune, line(licences, "LIC-2"))
    commune.users.remove(member)
    [agreement] = figures_for(simulation, member, D(2026, 5, 20)).agreements
    assert agreement.estimate is None and not agreement.buyer_known
