# ruff: noqa: E501  (XML written as it reads: one element per line)
"""The invoice's structured data: a Factur-X (UN/CEFACT CII D16B) document, BASIC profile.

Chorus Pro reads the buyer's SIRET (scheme 0009) and its service code (BuyerReference,
BT-10). A discount line is written as a negative quantity at a positive price: EN 16931
forbids negative net prices (BR-27).
"""

from decimal import Decimal
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.conf import settings

BASIC = "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"
NAMESPACES = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"'
)
DEFAULT_SELLER = {
    "name": "CANUT — Centrale d'achat du numérique et des télécoms",
    "siren": "130005481",
    "vat_number": "FR61130005481",
    "street": "4 place Amédée Bonnet",
    "postcode": "69002",
    "city": "Lyon",
}


def seller() -> dict:
    return {**DEFAULT_SELLER, **getattr(settings, "BILLING_SELLER", {})}


def _date(value) -> str:
    return f'<udt:DateTimeString format="102">{value:%Y%m%d}</udt:DateTimeString>'


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _line(position, line, rate) -> str:
    quantity = "-1" if line.amount_excl_vat < 0 else "1"
    return f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{position}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{escape(line.label)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{_amount(abs(line.amount_excl_vat))}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{_amount(line.amount_excl_vat)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>"""


def invoice_xml(invoice) -> bytes:
    """The Factur-X XML of an issued invoice (type 380), from its frozen data only."""
    return _document_xml(
        invoice,
        number=invoice.number,
        type_code="380",
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        lines=list(invoice.lines.all()),
        totals=(invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat),
    )


def credit_note_xml(note) -> bytes:
    """The Factur-X XML of a credit note (type 381): one line, referring to its invoice."""
    invoice = note.invoice
    line = SimpleNamespace(
        position=1,
        label=f"Avoir sur la facture {invoice.number} : {note.reason}"[:255],
        amount_excl_vat=note.amount_excl_vat,
    )
    return _document_xml(
        invoice,
        number=note.number,
        type_code="381",
        issued_on=note.issued_on,
        due_on=note.issued_on,
        lines=[line],
        totals=(note.amount_excl_vat, note.vat_amount, note.total_incl_vat),
        referenced=invoice.number,
    )


def _document_xml(invoice, *, number, type_code, issued_on, due_on, lines, totals, referenced="") -> bytes:
    company = seller()
    rate = _amount(invoice.vat_rate)
    total_excl_vat, vat_amount, total_incl_vat = totals
    lines = "".join(_line(line.position, line, rate) for line in lines)
    buyer_lines = invoice.buyer_address.splitlines()
    postcode_city = buyer_lines[-1] if buyer_lines else ""
    postcode, _, city = postcode_city.partition(" ")
    street = buyer_lines[0] if len(buyer_lines) > 1 else ""
    buyer_address = (
        "<ram:PostalTradeAddress>"
        + (f"<ram:PostcodeCode>{escape(postcode)}</ram:PostcodeCode>" if postcode.isdigit() else "")
        + (f"<ram:LineOne>{escape(street)}</ram:LineOne>" if street else "")
        + (f"<ram:CityName>{escape(city)}</ram:CityName>" if postcode.isdigit() and city else "")
        + "<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>"
    )
    buyer_reference = (
        f"<ram:BuyerReference>{escape(invoice.buyer_chorus_code)}</ram:BuyerReference>"
        if invoice.buyer_chorus_code
        else ""
    )
    reference = (
        f"\n      <ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{escape(referenced)}</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>"
        if referenced
        else ""
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice {NAMESPACES}>
  <rsm:ExchangedDocumentContext>
    <ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>A1</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{BASIC}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{escape(number)}</ram:ID>
    <ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime>{_date(issued_on)}</ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>
      {buyer_reference}
      <ram:SellerTradeParty>
        <ram:Name>{escape(company["name"])}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{company["siren"]}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>{company["postcode"]}</ram:PostcodeCode>
          <ram:LineOne>{escape(company["street"])}</ram:LineOne>
          <ram:CityName>{escape(company["city"])}</ram:CityName>
          <ram:CountryID>FR</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{company["vat_number"]}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{escape(invoice.buyer_name)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">{invoice.buyer_siret}</ram:ID></ram:SpecifiedLegalOrganization>
        {buyer_address}
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{_amount(vat_amount)}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{_amount(total_excl_vat)}</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>{_date(due_on)}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{_amount(total_excl_vat)}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{_amount(total_excl_vat)}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">{_amount(vat_amount)}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{_amount(total_incl_vat)}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{_amount(total_incl_vat)}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>{reference}
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
    return xml.encode("utf-8")
