"""The invoice's structured data: a Factur-X 1.0 (UN/CEFACT CII D16B) document, profile
EN 16931 ("comfort"), checked in the tests against the XSD and the EN 16931 and Factur-X
Schematron rules.

Chorus Pro reads the buyer's SIRET (scheme 0009), its service code (BuyerReference, BT-10)
and the legal engagement number (BuyerOrderReferencedDocument, BT-13). The French legal
mentions travel as notes (PMT: fixed recovery indemnity, PMD: late penalties, AAB: no
discount). A discount line is written as a negative quantity at a positive price: EN 16931
forbids negative net prices (BR-27). The XML is built with lxml, which escapes every text;
the elements come in the order the schema requires.
"""

from decimal import Decimal
from types import SimpleNamespace

from lxml import etree

from .mentions import EARLY_PAYMENT, LATE_PENALTIES, RECOVERY_INDEMNITY, payment_terms
from .seller import seller

PROFILE = "urn:cen.eu:en16931:2017"
LEVEL = "en16931"
NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
# A zero rate on our fees can only be an exemption: the category and the reason EN 16931 asks.
EXEMPT_REASON = "Exonération de TVA"


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
        referenced=invoice,
    )


# The document, part by part ---------------------------------------------------------------


def _document_xml(invoice, *, number, type_code, issued_on, due_on, lines, totals, referenced=None) -> bytes:
    company = seller()
    tax = _Tax(invoice.vat_rate)
    root = etree.Element(_tag("rsm:CrossIndustryInvoice"), nsmap=NAMESPACES)
    context = _add(root, "rsm:ExchangedDocumentContext")
    _add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "A1")
    _add(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", PROFILE)
    document = _add(root, "rsm:ExchangedDocument")
    _add(document, "ram:ID", number)
    _add(document, "ram:TypeCode", type_code)
    _date(_add(document, "ram:IssueDateTime"), issued_on)
    for code, text in (("PMD", LATE_PENALTIES), ("PMT", RECOVERY_INDEMNITY), ("AAB", EARLY_PAYMENT)):
        note = _add(document, "ram:IncludedNote")
        _add(note, "ram:Content", text)
        _add(note, "ram:SubjectCode", code)
    transaction = _add(root, "rsm:SupplyChainTradeTransaction")
    for line in lines:
        _line(transaction, line, tax)
    _agreement(transaction, invoice, company)
    _add(transaction, "ram:ApplicableHeaderTradeDelivery")
    _settlement(transaction, company, tax=tax, totals=totals, due_on=due_on, number=number, referenced=referenced)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _Tax:
    """Standard rate, or exempt when the schedule's rate is zero."""

    def __init__(self, rate: Decimal):
        self.rate = _amount(rate)
        self.category = "S" if rate > 0 else "E"

    def write(self, parent, *, calculated=None, basis=None):
        tax = _add(parent, "ram:ApplicableTradeTax")
        if calculated is not None:
            _add(tax, "ram:CalculatedAmount", _amount(calculated))
        _add(tax, "ram:TypeCode", "VAT")
        if basis is not None and self.category == "E":
            _add(tax, "ram:ExemptionReason", EXEMPT_REASON)
        if basis is not None:
            _add(tax, "ram:BasisAmount", _amount(basis))
        _add(tax, "ram:CategoryCode", self.category)
        _add(tax, "ram:RateApplicablePercent", self.rate)


def _line(transaction, line, tax):
    item = _add(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _add(item, "ram:AssociatedDocumentLineDocument/ram:LineID", line.position)
    _add(item, "ram:SpecifiedTradeProduct/ram:Name", line.label)
    price = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"
    _add(item, price, _amount(abs(line.amount_excl_vat)))
    quantity = "-1" if line.amount_excl_vat < 0 else "1"
    _add(item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", quantity, unitCode="C62")
    settlement = _add(item, "ram:SpecifiedLineTradeSettlement")
    tax.write(settlement)
    total = "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
    _add(settlement, total, _amount(line.amount_excl_vat))


def _agreement(transaction, invoice, company):
    """The buyer's service code, the seller, the buyer, the engagement number."""
    agreement = _add(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_chorus_code:
        _add(agreement, "ram:BuyerReference", invoice.buyer_chorus_code)
    party = _add(agreement, "ram:SellerTradeParty")
    _add(party, "ram:Name", company.name)
    _add(party, "ram:SpecifiedLegalOrganization/ram:ID", company.siren, schemeID="0002")
    _address(party, postcode=company.postcode, street=company.street, city=company.city)
    _add(party, "ram:SpecifiedTaxRegistration/ram:ID", company.vat_number, schemeID="VA")
    party = _add(agreement, "ram:BuyerTradeParty")
    _add(party, "ram:Name", invoice.buyer_name)
    _add(party, "ram:SpecifiedLegalOrganization/ram:ID", invoice.buyer_siret, schemeID="0009")
    _address(party, **_buyer_address(invoice.buyer_address))
    engagement = getattr(invoice, "buyer_engagement_number", "")
    if engagement:
        _add(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", engagement)


def _buyer_address(text) -> dict:
    """The frozen address's street (its first line) and "postcode city" (its last line);
    a last line that does not start with a postcode gives neither postcode nor city."""
    lines = text.splitlines()
    postcode, _, city = (lines[-1] if lines else "").partition(" ")
    street = lines[0] if len(lines) > 1 else ""
    if not postcode.isdigit():
        postcode = city = ""
    return {"postcode": postcode, "street": street, "city": city}


def _address(party, *, postcode, street, city):
    address = _add(party, "ram:PostalTradeAddress")
    if postcode:
        _add(address, "ram:PostcodeCode", postcode)
    if street:
        _add(address, "ram:LineOne", street)
    if city:
        _add(address, "ram:CityName", city)
    _add(address, "ram:CountryID", "FR")


def _settlement(transaction, company, *, tax, totals, due_on, number, referenced):
    total_excl_vat, vat_amount, total_incl_vat = totals
    settlement = _add(transaction, "ram:ApplicableHeaderTradeSettlement")
    _add(settlement, "ram:PaymentReference", number)
    _add(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if company.has_bank_account:
        # 58: SEPA credit transfer, to the account the PDF prints.
        means = _add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _add(means, "ram:TypeCode", "58")
        _add(means, "ram:Information", "Virement SEPA")
        account = _add(means, "ram:PayeePartyCreditorFinancialAccount")
        _add(account, "ram:IBANID", company.iban)
        _add(account, "ram:AccountName", company.account_holder)
        _add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", company.bic)
    tax.write(settlement, calculated=vat_amount, basis=total_excl_vat)
    terms = _add(settlement, "ram:SpecifiedTradePaymentTerms")
    _add(terms, "ram:Description", payment_terms(due_on))
    _date(_add(terms, "ram:DueDateDateTime"), due_on)
    summation = _add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _add(summation, "ram:LineTotalAmount", _amount(total_excl_vat))
    _add(summation, "ram:TaxBasisTotalAmount", _amount(total_excl_vat))
    _add(summation, "ram:TaxTotalAmount", _amount(vat_amount), currencyID="EUR")
    _add(summation, "ram:GrandTotalAmount", _amount(total_incl_vat))
    _add(summation, "ram:DuePayableAmount", _amount(total_incl_vat))
    if referenced is not None:
        document = _add(settlement, "ram:InvoiceReferencedDocument")
        _add(document, "ram:IssuerAssignedID", referenced.number)
        _add(document, "ram:FormattedIssueDateTime/qdt:DateTimeString", f"{referenced.issued_on:%Y%m%d}", format="102")


# Elements and values -----------------------------------------------------------------------


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def _add(parent, path: str, text=None, **attributes):
    """Append the elements of `path` ("ram:A/ram:B") under `parent`, one inside the other;
    the last gets `text` and `attributes`, and is returned."""
    *outer, last = path.split("/")
    for name in outer:
        parent = etree.SubElement(parent, _tag(name))
    element = etree.SubElement(parent, _tag(last), attributes)
    if text is not None:
        element.text = str(text)
    return element


def _date(parent, value):
    _add(parent, "udt:DateTimeString", f"{value:%Y%m%d}", format="102")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"
