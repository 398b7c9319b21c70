"""Members: the estimate before subscribing, "Mes factures" and the PDF download."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing import selectors, services
from billing.models import InvoiceKind, MarketFee
from tests.factories.billing import fee_schedule, finalized_subscription
from tests.factories.members import EstablishmentFactory

D = datetime.date


@pytest.fixture
def schedules(db):
    """This year's and next year's: the estimate in December is for next year."""
    year = timezone.localdate().year
    return fee_schedule(year), fee_schedule(year + 1)


def estimate_year():
    today = timezone.localdate()
    return today.year + 1 if today.month == 12 else today.year


def test_estimate_the_issue_example_finalized_in_may_is_seven_months(schedule, markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 1))
    estimate = selectors.fee_estimate(market=markets[1], establishment=commune, today=D(2026, 5, 20))
    fee = estimate.fee
    assert (fee.year, fee.annual_amount, fee.months, fee.prorated_amount, fee.rank) == (
        2026,
        Decimal("350.00"),
        7,
        Decimal("204.17"),
        2,
    )
    assert fee.total_excl_vat == Decimal("163.34")
    assert estimate.non_member_annual == Decimal("450.00")


def test_estimate_and_invoice_come_from_the_same_computation(schedule, markets, commune):
    estimate = selectors.fee_estimate(market=markets[0], establishment=commune, today=D(2026, 5, 20))
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    [invoice] = services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    assert invoice.total_excl_vat == estimate.fee.total_excl_vat
    invoiced = [line.amount_excl_vat for line in invoice.lines.all()]
    assert invoiced == [line.amount_excl_vat for line in estimate.fee.lines]


def test_estimate_in_december_is_next_year_s_full_fee(markets, commune):
    fee_schedule(2026)
    fee_schedule(2027)
    estimate = selectors.fee_estimate(market=markets[0], establishment=commune, today=D(2026, 12, 3))
    assert estimate.next_year and (estimate.fee.year, estimate.fee.months) == (2027, 12)


def test_subscription_request_page_shows_the_estimate_and_the_rule(client, member, commune, markets, schedules):
    client.force_login(member)
    response = client.get(reverse("subscriptions:subscription_request", args=[markets[0].pk]))
    content = response.content.decode()
    assert "Frais d'utilisation estimés pour COMMUNE DE NYONS" in content
    assert f"350,00\u00a0€ HT pour {estimate_year()}" in content
    assert "−20 % pour la 2e souscription de l'année, −40 % à partir de la 3e" in content
    assert "Sans adhésion à l'association : 450,00\u00a0€ HT par an." in content


def test_market_page_shows_the_estimate_to_members_only_and_says_sans_frais(
    client, member, commune, markets, schedules
):
    response = client.get(markets[0].url)
    assert "Frais d'utilisation" not in response.content.decode()
    client.force_login(member)
    assert "Frais d'utilisation estimés" in client.get(markets[0].url).content.decode()
    MarketFee.objects.create(market=markets[1], free=True)
    content = client.get(markets[1].url).content.decode()
    assert "<strong>sans frais</strong>" in content and "estimés" not in content


@pytest.fixture
def invoice(schedule, markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    [invoice] = services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    return invoice


def test_other_members_and_visitors_never_get_the_invoice(client, outsider, invoice):
    url = reverse("billing:invoice_pdf", args=[invoice.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "F2026-00001" not in client.get(reverse("billing:invoices")).content.decode()


def test_my_invoices_query_count_does_not_grow_with_invoices(
    client, member, commune, schedule, markets, django_assert_num_queries
):
    other = EstablishmentFactory(users=[member])
    client.force_login(member)
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    client.get(reverse("billing:invoices"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("billing:invoices"))
    for n, market in enumerate(markets[1:]):
        finalized_subscription(market=market, establishment=other if n % 2 else commune, finalized_on=D(2026, 7, 2 + n))
    services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 8, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("billing:invoices"))
    assert response.content.decode().count("Télécharger") == 4


def test_estimate_counts_a_subscription_finalized_the_same_day_in_december(markets, commune):
    """The invoice ranks it after the one finalized earlier that day: the estimate must too."""
    fee_schedule(2026)
    fee_schedule(2027)
    today = D(2026, 12, 7)
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=today)
    estimate = selectors.fee_estimate(market=markets[1], establishment=commune, today=today)
    assert estimate.fee.rank == 2 and estimate.fee.discount == Decimal("20")


def test_estimate_follows_the_association_standing(schedule, markets, commune):
    member = selectors.fee_estimate(market=markets[0], establishment=commune, today=D(2026, 5, 20))
    neither = selectors.fee_estimate(market=markets[0], establishment=commune, today=D(2026, 5, 20), non_member=True)
    assert (member.fee.annual_amount, neither.fee.annual_amount) == (Decimal("350.00"), Decimal("450.00"))
    assert (member.non_member_annual, neither.other_annual) == (Decimal("450.00"), Decimal("350.00"))
    # The same computation as the invoice of a subscription that does not join.
    subscription = finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    subscription.association_standing = "neither"
    subscription.save()
    assert selectors.subscription_fee(subscription=subscription, year=2026).total_excl_vat == neither.fee.total_excl_vat


def test_request_page_renders_both_estimates_the_posted_choice_shown(client, member, commune, markets, schedules):
    client.force_login(member)
    url = reverse("subscriptions:subscription_request", args=[markets[0].pk])
    content = client.post(url, {"mode": "establishment", "association_standing": "neither", "action": "mode"})
    content = content.content.decode()
    assert '<div class="fee-variant" data-fee-for="member" hidden>' in content
    assert '<div class="fee-variant" data-fee-for="neither">' in content
    assert "Tarif sans adhésion à l'association ; avec adhésion : 350,00\u00a0€ HT par an." in content
