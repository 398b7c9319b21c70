"""What accepted reports tell staff, the home page and members."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from holders import figures, reports
from holders.campaigns import campaign_open
from holders.models import Report
from tests.factories.holders import sales_xlsx
from tests.factories.members import EstablishmentFactory
from tests.holders.conftest import LOT_1, LOT_2

FILLED = {"commercial_actions": "x", "return_on_investment": "y"}


def _accepted(report, staff, rows):
    reports.report_save(report=report, data={**FILLED, "volume": sum(Decimal(str(r[3])) for r in rows)})
    reports.sales_upload(report=report, file=io.BytesIO(sales_xlsx(rows)))
    reports.report_submit(report=report, by=None)
    reports.report_decide(report=report, approve=True, decided_by=staff)


@pytest.fixture
def history(report, staff, subscribed, market, holder):
    hospital = EstablishmentFactory(name="CENTRE HOSPITALIER DE VALENCE", postcode="26000")
    lille = EstablishmentFactory(name="COMMUNE DE LILLE", postcode="59000")
    _accepted(
        report, staff, [(subscribed.siret, subscribed.name, LOT_1, 1000, 1), (hospital.siret, "CH", LOT_2, 500, 2)]
    )
    second = Report.objects.get(campaign=campaign_open(year=2025, half=2), market=market, holder=holder)
    _accepted(second, staff, [(lille.siret, lille.name, LOT_1, 2_500_000, None)])
    # A draft's sales never count.
    draft = Report.objects.get(campaign=campaign_open(year=2026, half=1), market=market, holder=holder)
    reports.sales_upload(report=draft, file=io.BytesIO(sales_xlsx([(lille.siret, "L", LOT_1, 999, None)])))
    return {"hospital": hospital, "lille": lille}


def test_figures_by_every_axis(history):
    result = figures.sales_figures()
    assert result.total == Decimal("2501500.00")
    assert result.by_half == [("S1 2025", Decimal("1500.00")), ("S2 2025", Decimal("2500000.00"))]
    assert dict(result.by_category) == {"Commune": Decimal("2501000.00"), "Hôpital": Decimal("500.00")}
    assert dict(result.by_region) == {
        "Hauts-de-France": Decimal("2500000.00"),
        "Auvergne-Rhône-Alpes": Decimal("1500.00"),
    }
    assert result.out_of_subscription == Decimal("2500500.00")
    assert dict(result.by_holder) == {"TELECOM SUD": Decimal("2501500.00")}
    assert [key for key, _ in result.by_lot] == [("Téléphonie", LOT_1), ("Téléphonie", LOT_2)]


def test_staff_page_chart_table_and_export(staff_client, history):
    page = staff_client.get(reverse("holder_figures:index")).content.decode()
    assert "<svg" in page and "<rect" in page and "S2 2025" in page
    assert "Hauts-de-France" in page
    export = staff_client.get(reverse("holder_figures:export"))
    assert "no-store" in export["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == figures.HEADERS
    assert len(rows) == 4
    assert {row[6] for row in rows[1:]} == {"Commune", "Hôpital"}


def test_figures_are_for_staff_only(member_client, history):
    assert member_client.get(reverse("holder_figures:index")).status_code in (302, 403)
    assert member_client.get(reverse("holder_figures:export")).status_code in (302, 403)


def test_figures_page_queries_do_not_grow(staff_client, history, staff, market, holder):
    count = _count(staff_client)
    third = Report.objects.get(campaign=campaign_open(year=2024, half=2), market=market, holder=holder)
    buyers = [EstablishmentFactory(postcode="13001") for _ in range(3)]
    _accepted(third, staff, [(buyer.siret, buyer.name, LOT_1, 10, None) for buyer in buyers])
    assert _count(staff_client) == count


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("holder_figures:index"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("holder_figures:index"))
    return len(captured)


def test_home_shows_the_accepted_volume_rounded(client, history, home_page):
    home_page.save_revision().publish()
    page = client.get(home_page.url).content.decode()
    assert "plus de 2 M€" in page and "de ventes HT" in page


def test_rounding():
    assert figures.rounded_amount(Decimal("40999999")) == "40 M€"
    assert figures.rounded_amount(Decimal("850500")) == "850 k€"


def test_members_see_their_own_purchases_only(member_client, member, history, subscribed):
    from subscriptions.models import Subscription

    subscription = Subscription.objects.get(establishment=subscribed)
    page = member_client.get(reverse("subscriptions:subscription_detail", args=[subscription.pk])).content.decode()
    assert "Mes achats déclarés par les titulaires" in page
    page = re.sub(r"[\s\u00a0\u202f]", "", page.split('id="purchases-title"')[1].split("</section>")[0])
    assert "1000,00" in page  # its own purchase
    assert "2500000" not in page and "500,00" not in page.replace("1000,00", "")  # nobody else's
