"""The Factur-X XML on its own: whatever the frozen texts hold, it parses, reads back and
validates against the EN 16931 schema."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from facturx import xml_check_xsd
from lxml import etree

from billing.facturx_xml import credit_note_xml, invoice_xml

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
BUYER = "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
pytestmark = pytest.mark.django_db  # the seller comes from the billing settings


def frozen_invoice(*, address, chorus_code="", name="COMMUNE DE NYONS"):
    """An invoice's frozen data, as billing.models.Invoice holds it once issued."""
    lines = [
        SimpleNamespace(
            position=1, label="Redevance 2026 « tranche 2 » & <b>co</b>", amount_excl_vat=Decimal("204.17")
        ),
        SimpleNamespace(position=2, label="Réduction de la 2e souscription", amount_excl_vat=Decimal("-40.83")),
    ]
    return SimpleNamespace(
        number="F2026-00001",
        issued_on=datetime.date(2026, 6, 1),
        due_on=datetime.date(2026, 7, 1),
        lines=SimpleNamespace(all=lambda: lines),
        total_excl_vat=Decimal("163.34"),
        vat_amount=Decimal("32.67"),
        total_incl_vat=Decimal("196.01"),
        vat_rate=Decimal("20.00"),
        buyer_name=name,
        buyer_siret="21260220100014",
        buyer_address=address,
        buyer_chorus_code=chorus_code,
    )


def read(xml):
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    return etree.fromstring(xml).find("rsm:SupplyChainTradeTransaction", NS)


def test_markup_in_names_and_labels_is_text_and_the_schema_holds():
    xml = invoice_xml(frozen_invoice(address="1 PLACE DE LA MAIRIE\n26110 NYONS", name="SIVOM <Nyons> & Co"))
    transaction = read(xml)
    assert transaction.findtext(f"{BUYER}/ram:Name", namespaces=NS) == "SIVOM <Nyons> & Co"
    labels = transaction.xpath(".//ram:SpecifiedTradeProduct/ram:Name/text()", namespaces=NS)
    assert labels == ["Redevance 2026 « tranche 2 » & <b>co</b>", "Réduction de la 2e souscription"]
    # A discount is a negative quantity at a positive price (EN 16931, BR-27).
    assert transaction.xpath(".//ram:BilledQuantity/text()", namespaces=NS) == ["1", "-1"]
    assert transaction.xpath(".//ram:ChargeAmount/text()", namespaces=NS) == ["204.17", "40.83"]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("1 PLACE DE LA MAIRIE\n26110 NYONS", ["26110", "1 PLACE DE LA MAIRIE", "NYONS", "FR"]),
        ("26110 NYONS", ["26110", "NYONS", "FR"]),
        ("RUE DU STADE\nNYONS CEDEX", ["RUE DU STADE", "FR"]),  # no postcode: no city either
        ("", ["FR"]),
    ],
)
def test_the_buyer_address_keeps_what_its_lines_give(address, expected):
    transaction = read(invoice_xml(frozen_invoice(address=address)))
    assert transaction.xpath(f"{BUYER}/ram:PostalTradeAddress/*/text()", namespaces=NS) == expected


def test_the_chorus_service_code_is_written_only_when_there_is_one():
    assert read(invoice_xml(frozen_invoice(address="26110 NYONS"))).find(".//ram:BuyerReference", NS) is None
    with_code = read(invoice_xml(frozen_invoice(address="26110 NYONS", chorus_code="SERV&FIN")))
    assert with_code.findtext(".//ram:BuyerReference", namespaces=NS) == "SERV&FIN"


def test_a_credit_note_refers_to_its_invoice():
    note = SimpleNamespace(
        invoice=frozen_invoice(address="26110 NYONS"),
        number="A2026-00001",
        issued_on=datetime.date(2026, 6, 10),
        amount_excl_vat=Decimal("50.00"),
        vat_amount=Decimal("10.00"),
        total_incl_vat=Decimal("60.00"),
        reason="Erreur de tranche <2>",
    )
    transaction = read(credit_note_xml(note))
    assert transaction.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS) == "F2026-00001"
    assert transaction.xpath(".//ram:SpecifiedTradeProduct/ram:Name/text()", namespaces=NS) == [
        "Avoir sur la facture F2026-00001 : Erreur de tranche <2>"
    ]
    assert transaction.findtext(".//ram:DueDateDateTime/*", namespaces=NS) == "20260610"
