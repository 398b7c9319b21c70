"""The note (.docx) and the spreadsheet, opened again: their figures are the page's, to the cent."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from billing.fees import euros
from simulations.models import Simulation, SimulationLine
from tests.downloads import assert_private_download
from tests.factories.billing import fee_schedule
from tests.simulations.conftest import docx_text, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulation(member, commune, licences, services):
    today = timezone.localdate()
    fee_schedule(today.year)
    fee_schedule(today.year + 1)  # in December the first invoice is next year's
    simulation = Simulation.objects.create(owner=member, name="Licences 2027", establishment=commune)
    for price_line, quantity, paid in (
        (line(licences, "LIC-1"), "12.5", None),
        (line(licences, "LIC-2"), "40", "15.00"),
        (line(services, "PRE-1"), "3", None),
    ):
        SimulationLine.objects.create(
            simulation=simulation,
            price_line=price_line,
            quantity=Decimal(quantity),
            price_at_add=price_line.net_price,
            paid_unit_price=Decimal(paid) if paid else None,
        )
    simulation.quotes.create(market=services, amount=Decimal("2500"))
    return simulation


def test_the_note_opens_and_says_what_the_page_says(client, member, simulation, commune):
    client.force_login(member)
    page = client.get(reverse("simulations:detail", args=[simulation.pk]))
    figures = page.context["figures"]
    response = client.get(reverse("simulations:note", args=[simulation.pk]))
    assert_private_download(response, f"note-simulation-licences-2027-{timezone.localdate():%Y-%m-%d}.docx")
    text = docx_text(response.content)
    html = page.content.decode()
    for label, amount in page.context["summary"]:
        assert f"{label} | {amount}" in text
        assert amount in html
    assert f"{commune.name} — SIRET {commune.siret}" in text
    for agreement in figures.agreements:
        assert agreement.market.title in text
        assert f"Total de l'accord-cadre : {euros(agreement.total_excl_vat)} HT" in text
        assert euros(agreement.fee_excl_vat) in text and euros(agreement.fee_excl_vat) in html
    for figure in figures.lines:
        assert f"{figure.line.designation} | {figure.line.reference} | {euros(figure.unit_price)}" in text
        assert euros(figure.total_incl_vat) in text and euros(figure.total_incl_vat) in html
    assert "Lot 1 — titulaire : Titulaire Licences bureautiques" in text
    assert "L2113-2" in text and "L2113-4" in text
    assert "Préparer sa souscription" in text
    assert "n'engage ni l'établissement ni la centrale" in text
    assert figures.gain is not None and f"Gain net des frais HT | {euros(figures.gain)}" in text


def test_the_spreadsheet_holds_the_lines_with_the_page_s_amounts(client, member, simulation):
    client.force_login(member)
    figures = client.get(reverse("simulations:detail", args=[simulation.pk])).context["figures"]
    response = client.get(reverse("simulations:lines", args=[simulation.pk]))
    assert_private_download(response, f"simulation-licences-2027-{timezone.localdate():%Y-%m-%d}.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Accord-cadre" and len(rows) == 1 + len(figures.lines)
    totals = [Decimal(str(row[9])) for row in rows[1:]]
    assert totals == [figure.total_excl_vat for figure in figures.lines]
    assert sum(totals) == figures.total_excl_vat


def test_a_visitor_downloads_the_note_of_the_session_simulation(client, licences):
    client.post(reverse("simulations:add", args=[line(licences, "LIC-2").pk]), {"quantity": "3"})
    response = client.get(reverse("simulations:visitor_note"))
    text = docx_text(response.content)
    assert "Messagerie — licence annuelle" in text and "Total HT | 37,02\u00a0€" in text
    assert "Établissement acheteur non choisi" in text
