"""The invoice's PDF: drawn with reportlab from the invoice's frozen data in embedded DejaVu
fonts (which carry every character we print, French narrow no-break spaces included), then
made a PDF/A-3 Factur-X (EN 16931 profile) by the factur-x library, which attaches the XML
as "factur-x.xml" (AFRelationship Data) and writes the PDF/A and Factur-X XMP metadata; we
add the sRGB output intent PDF/A asks for.

Text is wrapped on ordinary spaces only: amounts ("1 234,50 €"), the IBAN's groups and
"40 €" are joined by no-break spaces, so they never break across two lines.

The PDF is rebuilt on each download from data that never changes once issued (only the
seller's settings are read live), so no file can drift from the invoice and nothing is
written next to the code.
"""

import datetime
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from facturx import generate_from_binary
from PIL import Image, ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .bank import printed_iban
from .facturx_xml import LEVEL, credit_note_xml, invoice_xml
from .fees import euros, percent
from .mentions import EARLY_PAYMENT, LATE_PENALTIES, RECOVERY_INDEMNITY, payment_terms
from .seller import seller

REGULAR, BOLD = "InvoiceSans", "InvoiceSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
LEFT, RIGHT = 20 * mm, 190 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4


@functools.cache
def fonts() -> dict[str, TTFont]:
    """DejaVu Sans from BILLING_FONT_DIR (Debian's fonts-dejavu-core by default), registered once."""
    directory = Path(getattr(settings, "BILLING_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
    registered = {}
    for name, filename in FONT_FILES.items():
        font = TTFont(name, str(directory / filename))
        pdfmetrics.registerFont(font)
        registered[name] = font
    return registered


def missing_glyphs(text: str) -> set[str]:
    """The characters of `text` our fonts cannot draw (none, for all we print)."""
    cmap = fonts()[REGULAR].face.charToGlyph
    return {char for char in text if ord(char) not in cmap and char not in "\n"}


def _words(paragraph: str) -> list[str]:
    """The paragraph's breakable pieces: split at ordinary spaces, a number kept with the word
    after it ("7 mois", "40 €") as French typography wants, whatever the frozen label holds."""
    words = []
    for word in paragraph.split(" "):
        if words and words[-1] and words[-1].replace("\u202f", "").replace(",", "").isdigit():
            words[-1] = f"{words[-1]}\u00a0{word}"
        else:
            words.append(word)
    return words


def wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Lines of at most `width`, broken at ordinary spaces only (never at a no-break space)."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in _words(paragraph):
            candidate = f"{line} {word}" if line else word
            if line and pdfmetrics.stringWidth(candidate, font, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@dataclass
class _Document:
    """What a page shows: an invoice and a credit note differ only in these."""

    title: str
    dates: list[tuple[str, str]]
    lines: list
    totals: tuple
    payable_label: str
    payment: bool  # the payment block (an invoice) or none (a credit note)
    reference: str


class _Page:
    """A canvas that writes from the top down and remembers every text it drew (the tests
    compare it with what pdftotext reads back)."""

    def __init__(self, buffer, title, author):
        fonts()
        self.canvas = canvas.Canvas(
            buffer, pagesize=A4, initialFontName=REGULAR, initialFontSize=9, pageCompression=1, invariant=1
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.drawn = []

    def text(self, x, y, text, *, font=REGULAR, size=9, align="left"):
        self.canvas.setFont(font, size)
        draw = {"left": self.canvas.drawString, "right": self.canvas.drawRightString}[align]
        draw(x, y, text)
        self.drawn.append(text)

    def paragraph(self, x, y, text, *, width, font=REGULAR, size=9, leading=None) -> float:
        """Draw wrapped `text` from `y` down; return the y below it."""
        leading = leading or size * 1.35
        for line in wrap(text, font=font, size=size, width=width):
            self.text(x, y, line, font=font, size=size)
            y -= leading
        return y


def _logo(page, logo, *, top):
    """The seller's logo, flattened on white (PDF/A: no transparency to guess), 18 mm high."""
    if logo is None:
        return
    try:
        with logo.file.open("rb") as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, ValueError):
        return
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.split()[-1])
        image = background
    image = image.convert("RGB")
    height = 18 * mm
    width = min(height * image.width / image.height, 60 * mm)
    page.canvas.drawImage(ImageReader(image), LEFT, top - height, width=width, height=height)


def _draw(invoice, document: _Document) -> tuple[bytes, list[str]]:
    company = seller()
    buffer = io.BytesIO()
    page = _Page(buffer, document.title, company.name)
    top = PAGE_HEIGHT - 15 * mm
    _logo(page, company.logo, top=top)

    # The seller, left; the buyer, right.
    y = top - (22 * mm if company.logo else 4 * mm)
    y = page.paragraph(LEFT, y, company.name, width=85 * mm, font=BOLD, size=11)
    seller_lines = [
        company.legal_form,
        company.street,
        f"{company.postcode}\u00a0{company.city}",
        f"SIREN\u00a0{company.siren}",
        f"N°\u00a0TVA intracommunautaire\u00a0: {company.vat_number}",
        company.email,
    ]
    for text in filter(None, seller_lines):
        y = page.paragraph(LEFT, y, text, width=85 * mm)

    buyer_y = top - 4 * mm
    page.text(115 * mm, buyer_y, "Facturé à", font=BOLD, size=8)
    buyer_y -= 5 * mm
    buyer_y = page.paragraph(115 * mm, buyer_y, invoice.buyer_name, width=75 * mm, font=BOLD, size=10)
    buyer_lines = [*invoice.buyer_address.splitlines(), f"SIRET\u00a0{invoice.buyer_siret}"]
    if invoice.buyer_chorus_code:
        buyer_lines.append(f"Code service Chorus Pro\u00a0: {invoice.buyer_chorus_code}")
    if invoice.buyer_engagement_number:
        buyer_lines.append(f"N°\u00a0d'engagement juridique\u00a0: {invoice.buyer_engagement_number}")
    for text in buyer_lines:
        buyer_y = page.paragraph(115 * mm, buyer_y, text, width=75 * mm)

    y = min(y, buyer_y) - 10 * mm
    page.text(LEFT, y, document.title, font=BOLD, size=16)
    y -= 7 * mm
    for label, value in document.dates:
        page.text(LEFT, y, f"{label}\u00a0: {value}", size=9)
        y -= 4.5 * mm

    # The lines: designation, amount excluding VAT, VAT rate, VAT.
    y -= 6 * mm
    for x, heading, align in (
        (LEFT, "Désignation", "left"),
        (140 * mm, "Montant HT", "right"),
        (160 * mm, "Taux TVA", "right"),
        (RIGHT, "TVA", "right"),
    ):
        page.text(x, y, heading, font=BOLD, size=9, align=align)
    page.canvas.line(LEFT, y - 2 * mm, RIGHT, y - 2 * mm)
    y -= 7 * mm
    rate = f"{percent(invoice.vat_rate)}\u00a0%"
    for line in document.lines:
        page.text(140 * mm, y, euros(line.amount_excl_vat), align="right")
        page.text(160 * mm, y, rate, align="right")
        page.text(RIGHT, y, euros(line.vat_amount), align="right")
        y = page.paragraph(LEFT, y, line.label, width=88 * mm) - 2 * mm
    page.canvas.line(LEFT, y + 2 * mm, RIGHT, y + 2 * mm)

    # Totals, VAT by rate (one rate per invoice), what is payable.
    total_excl_vat, vat_amount, total_incl_vat = document.totals
    vat_label = f"TVA {rate} sur {euros(total_excl_vat)}" if invoice.vat_rate else "TVA (exonération)"
    for label, value, font in (
        ("Total HT", total_excl_vat, REGULAR),
        (vat_label, vat_amount, REGULAR),
        ("Total TTC", total_incl_vat, BOLD),
        (document.payable_label, total_incl_vat, BOLD),
    ):
        y -= 5.5 * mm
        page.text(110 * mm, y, label, font=font, size=10)
        page.text(RIGHT, y, euros(value), font=font, size=10, align="right")

    # Payment: terms and the account to pay to.
    y -= 10 * mm
    if document.payment:
        page.text(LEFT, y, "Règlement", font=BOLD, size=10)
        y -= 5 * mm
        y = page.paragraph(LEFT, y, payment_terms(invoice.due_on), width=RIGHT - LEFT)
        y = page.paragraph(
            LEFT, y, f"Référence à rappeler avec votre virement\u00a0: {document.reference}", width=RIGHT - LEFT
        )
        if company.has_bank_account:
            for text in (
                f"IBAN\u00a0: {printed_iban(company.iban)}",
                f"BIC\u00a0: {company.bic}",
                f"Titulaire du compte\u00a0: {company.account_holder}",
            ):
                y = page.paragraph(LEFT, y, text, width=RIGHT - LEFT)
        y -= 3 * mm

    # The mentions the law asks, at the foot of the page.
    y = min(y, 45 * mm)
    for text in (EARLY_PAYMENT, LATE_PENALTIES, RECOVERY_INDEMNITY):
        y = page.paragraph(LEFT, y, text, width=RIGHT - LEFT, size=7.5) - 1 * mm
    page.text(RIGHT, 10 * mm, "Page 1/1", size=7, align="right")
    page.canvas.showPage()
    page.canvas.save()
    return buffer.getvalue(), page.drawn


def invoice_document(invoice) -> _Document:
    return _Document(
        title=f"Facture n°\u00a0{invoice.number}",
        dates=[
            ("Date d'émission", f"{invoice.issued_on:%d/%m/%Y}"),
            ("Période facturée", _period(invoice)),
            ("Date d'échéance", f"{invoice.due_on:%d/%m/%Y}"),
        ],
        lines=list(invoice.lines.all()),
        totals=(invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat),
        payable_label="Net à payer",
        payment=True,
        reference=invoice.number,
    )


def credit_note_document(note) -> _Document:
    invoice = note.invoice
    line = SimpleNamespace(
        label=f"Avoir sur la facture n°\u00a0{invoice.number}\u00a0: {note.reason}",
        amount_excl_vat=note.amount_excl_vat,
        vat_amount=note.vat_amount,
    )
    return _Document(
        title=f"Avoir n°\u00a0{note.number}",
        dates=[
            ("Date d'émission", f"{note.issued_on:%d/%m/%Y}"),
            ("Facture d'origine", f"n°\u00a0{invoice.number} du {invoice.issued_on:%d/%m/%Y}"),
        ],
        lines=[line],
        totals=(note.amount_excl_vat, note.vat_amount, note.total_incl_vat),
        payable_label="Montant crédité",
        payment=False,
        reference=note.number,
    )


def _period(invoice) -> str:
    end = datetime.date(invoice.fee_year, 12, 31)
    start_month = 13 - invoice.months
    start = datetime.date(invoice.fee_year, start_month, 1)
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y} ({invoice.months}\u00a0mois)"


def invoice_pdf_visual(invoice) -> bytes:
    return _draw(invoice, invoice_document(invoice))[0]


def credit_note_pdf_visual(note) -> bytes:
    return _draw(note.invoice, credit_note_document(note))[0]


def invoice_pdf(invoice) -> bytes:
    """The PDF a member downloads and Chorus Pro receives: PDF/A-3, Factur-X EN 16931."""
    return _facturx(invoice_pdf_visual(invoice), invoice_xml(invoice), f"Facture {invoice.number}", invoice)


def credit_note_pdf(note) -> bytes:
    return _facturx(credit_note_pdf_visual(note), credit_note_xml(note), f"Avoir {note.number}", note.invoice)


@functools.cache
def _srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _with_output_intent(pdf: bytes) -> bytes:
    """PDF/A's output intent: the colours are sRGB (an ICC profile embedded once)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    profile = StreamObject()
    profile.set_data(_srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _facturx(visual, xml, title, invoice) -> bytes:
    return generate_from_binary(
        _with_output_intent(visual),
        xml,
        flavor="factur-x",
        level=LEVEL,
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata={
            "author": seller().name,
            "keywords": "Factur-X, facture",
            "title": title,
            "subject": f"{title} — {invoice.buyer_name}",
        },
    )
