"""The invoice PDF as a public accountant receives it: every character we print is a glyph
of an embedded font and reads back, the legal mentions and the bank account are there, no
amount breaks across lines, and the file is a PDF/A-3 carrying its Factur-X XML as the
standard says — the same for credit notes."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from facturx import get_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from billing import services
from billing.facturx_xml import credit_note_xml, invoice_xml
from billing.models import BillingSettings, BuyerReference
from billing.pdf import (
    BOLD,
    _draw,
    credit_note_document,
    credit_note_pdf,
    invoice_document,
    invoice_pdf,
    missing_glyphs,
    wrap,
)
from tests.billing.schematron import failures
from tests.billing.test_schematron import issue

SPACES = re.compile(r"[\s\u00a0\u202f]+")


def flat(text: str) -> str:
    """pdftotext turns the no-break spaces into spaces: compare words, not space kinds."""
    return SPACES.sub(" ", text).strip()


def pdftotext(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def nyons(commune):
    """Realistic French data: accents, apostrophes, ligatures, guillemets, a long name."""
    commune.name = "COMMUNE DE NYONS — SIVOM « L'Œil-de-Bœuf » des Baronnies provençales"
    commune.billing_address = "Hôtel de ville, 1 place de la Libération\nBP 12\n26110 NYONS"
    commune.save()
    BuyerReference.objects.create(establishment=commune, service_code="SERV-FIN-01", engagement_number="EJ/2026-0042")
    return commune


def test_every_character_printed_is_a_glyph_and_reads_back(schedule, markets, nyons, bank):
    invoice = issue(markets, nyons, rank=2)
    content = invoice_pdf(invoice)
    _, drawn = _draw(invoice, invoice_document(invoice))
    printed = "".join(drawn)
    assert missing_glyphs(printed) == set()
    assert "\u202f" in printed and "\u00a0€" in printed  # "1 000 à 4 999 habitants", "204,17 €"
    text = flat(pdftotext(content))
    for line in drawn:
        assert flat(line) in text, line
    for needed in (
        f"Facture n° {invoice.number}",
        "Date d'émission : 01/06/2026",
        "Date d'échéance : 01/07/2026",
        f"SIRET {nyons.siret}",
        "Code service Chorus Pro : SERV-FIN-01",
        "N° d'engagement juridique : EJ/2026-0042",
        "SIREN 130005481",
        "N° TVA intracommunautaire : FR19130005481",
        "TVA 20 % sur 163,34 €",
        "Total TTC 196,00 €",
        "IBAN : FR76 3000 6000 0112 3456 7890 189",
        "BIC : AGRIFRPP",
        "Titulaire du compte : CANUT — Agence comptable",
        "Paiement par virement au plus tard le 01/07/2026.",
        "Pas d'escompte pour paiement anticipé.",
        "majoré de 8 points",
        "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 €",
    ):
        assert needed in text, needed


def test_no_line_breaks_inside_an_amount_or_a_number_and_its_unit():
    text = (
        "Frais d'utilisation 2026 — 1\u202f000 à 4\u202f999 habitants — 7 mois sur 12 : "
        "1\u202f234,50\u00a0€ dus, 40\u00a0€"
    )
    wholes = ("1\u202f234,50\u00a0€", "40\u00a0€", "1\u202f000\u00a0à", "7\u00a0mois", "4\u202f999\u00a0habitants")
    for width in range(40, 400, 7):
        lines = wrap(text, font=BOLD, size=9, width=width)
        joined = "\n".join(lines)
        for whole in wholes:
            assert whole in joined, (width, lines)


def read_pdfa(content: bytes):
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    [spec] = [ref.get_object() for ref in root["/AF"]]
    intent = root["/OutputIntents"][0].get_object()
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts.append((font["/BaseFont"], "/FontFile2" in descriptor))
    return reader, xmp, spec, intent, fonts


def assert_pdfa3_facturx(content: bytes, xml: bytes):
    reader, xmp, spec, intent, fonts = read_pdfa(content)
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert "<fx:DocumentType>INVOICE</fx:DocumentType>" in xmp
    assert spec["/F"] == "factur-x.xml" and spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object()["/N"] == 3
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert {name.split("+")[-1] for name, _ in fonts} <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert reader.trailer["/ID"]
    filename, embedded = get_xml_from_pdf(io.BytesIO(content), check_xsd=False)
    assert filename == "factur-x.xml" and embedded == xml
    assert xml_check_xsd(embedded, flavor="factur-x", level="en16931") is True
    assert failures(embedded) == []


def test_invoice_pdf_is_pdfa3_with_its_facturx_attached(schedule, markets, nyons, bank):
    invoice = issue(markets, nyons, rank=2)
    assert_pdfa3_facturx(invoice_pdf(invoice), invoice_xml(invoice))


def test_credit_note_pdf_is_pdfa3_refers_to_its_invoice_and_reads_back(schedule, markets, nyons, bank):
    invoice = issue(markets, nyons)
    note = services.credit_note_issue(
        invoice=invoice, amount_excl_vat=Decimal("50"), reason="Erreur de tranche", today=datetime.date(2026, 6, 10)
    )
    content = credit_note_pdf(note)
    assert_pdfa3_facturx(content, credit_note_xml(note))
    _, drawn = _draw(invoice, credit_note_document(note))
    assert missing_glyphs("".join(drawn)) == set()
    text = flat(pdftotext(content))
    assert f"Avoir n° {note.number}" in text and f"Facture d'origine : n° {invoice.number} du 01/06/2026" in text
    assert "Montant crédité 60,00 €" in text and "Indemnité forfaitaire" in text
    tree = etree.fromstring(credit_note_xml(note))
    assert tree.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "381"


@pytest.mark.parametrize(
    ("field", "value"),
    [("iban", "FR7630006000011234567890180"), ("bic", "AGRI1RPP"), ("vat_number", "FR61130005481")],
)
def test_a_wrong_iban_bic_or_vat_number_is_refused(site, field, value):
    settings = BillingSettings.for_site(site)
    settings.iban, settings.bic, settings.account_holder = "FR7630006000011234567890189", "AGRIFRPP", "CANUT"
    settings.full_clean()
    setattr(settings, field, value)
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert field in error.value.message_dict


def test_bank_details_come_whole_or_not_at_all(site):
    settings = BillingSettings.for_site(site)
    settings.iban = "FR7630006000011234567890189"
    with pytest.raises(ValidationError, match="IBAN, le BIC et le titulaire"):
        settings.full_clean()


def test_the_logo_from_the_settings_is_drawn_flat(schedule, markets, nyons, bank):
    """PDF/A: a transparent PNG logo is flattened on white (no soft mask to interpret)."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    bank.logo = get_image_model().objects.create(
        title="Logo CANUT", file=get_test_image_file(colour=(0, 80, 160, 128), size=(120, 40))
    )
    bank.save()
    invoice = issue(markets, nyons)
    content = invoice_pdf(invoice)
    images = [
        xobject.get_object()
        for xobject in PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1 and "/SMask" not in images[0]
    assert_pdfa3_facturx(content, invoice_xml(invoice))
