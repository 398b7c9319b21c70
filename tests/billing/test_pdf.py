"""The invoice PDF opens, reads back, and carries Factur-X XML valid against the schema."""

import datetime
import io
from decimal import Decimal

from facturx import get_level, get_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from billing import services
from billing.models import InvoiceKind
from billing.pdf import credit_note_pdf, invoice_pdf
from tests.factories.billing import finalized_subscription

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def issued(markets, commune, *, rank=1):
    subscriptions = [
        finalized_subscription(market=markets[n], establishment=commune, finalized_on=datetime.date(2026, 5, 10 + n))
        for n in range(rank)
    ]
    invoices = services.invoices_issue(kind=InvoiceKind.FIRST, today=datetime.date(2026, 6, 1))
    return [i for i in invoices if i.subscription == subscriptions[-1]][0]


def test_invoice_pdf_reads_back_and_embeds_valid_facturx_basic(schedule, markets, commune):
    commune.chorus_code = "SERV-FIN-01"
    commune.save()
    invoice = issued(markets, commune, rank=2)
    content = invoice_pdf(invoice)

    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert f"Facture n° {invoice.number}" in text
    assert "COMMUNE DE NYONS" in text and f"SIRET {commune.siret}" in text
    assert "Code service Chorus Pro : SERV-FIN-01" in text
    assert "2e souscription de l'année" in text
    assert "Total TTC" in text and "196,00 €" in text  # (204.17 − 40.83) × 1.2, from the lines

    filename, xml = get_xml_from_pdf(io.BytesIO(content), check_xsd=False)
    assert filename == "factur-x.xml"
    assert xml_check_xsd(xml, flavor="factur-x", level="basic") is True
    tree = etree.fromstring(xml)
    assert get_level(tree) == "basic"
    assert tree.findtext(".//rsm:ExchangedDocument/ram:ID", namespaces=NS) == invoice.number
    assert tree.findtext(".//ram:BuyerReference", namespaces=NS) == "SERV-FIN-01"
    assert tree.findtext(".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", namespaces=NS) == commune.siret
    assert [Decimal(v) for v in tree.xpath(".//ram:LineTotalAmount/text()", namespaces=NS)] == [
        Decimal("204.17"),
        Decimal("-40.83"),
        Decimal("163.34"),
    ]
    assert tree.findtext(".//ram:GrandTotalAmount", namespaces=NS) == "196.00"


def test_credit_note_pdf_is_a_factur_x_381_referring_to_its_invoice(schedule, markets, commune):
    invoice = issued(markets, commune)
    note = services.credit_note_issue(
        invoice=invoice, amount_excl_vat=Decimal("50"), reason="Erreur de tranche", today=datetime.date(2026, 6, 10)
    )
    content = credit_note_pdf(note)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Avoir n° A2026-00001" in text and f"sur la facture {invoice.number}" in text and "60,00 €" in text
    _, xml = get_xml_from_pdf(io.BytesIO(content), check_xsd=False)
    assert xml_check_xsd(xml, flavor="factur-x", level="basic") is True
    tree = etree.fromstring(xml)
    assert tree.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert tree.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS) == invoice.number
    assert tree.findtext(".//ram:GrandTotalAmount", namespaces=NS) == "60.00"
