"""The invoice's PDF: drawn with reportlab from the invoice's frozen data, with its
Factur-X XML embedded (checked against the Factur-X XSD as it is built).

The PDF is rebuilt on each download from data that never changes once issued, so no file
can drift from the invoice and nothing is written next to the code.
"""

import io
from types import SimpleNamespace

from facturx import generate_from_binary
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .facturx_xml import credit_note_xml, invoice_xml, seller
from .fees import euros, percent

LEGAL_MENTIONS = (
    "Paiement à réception par virement, au plus tard à l'échéance indiquée. Pas d'escompte pour paiement anticipé.",
    "En cas de retard : pénalités au taux d'intérêt légal majoré de 10 points et indemnité forfaitaire "
    "pour frais de recouvrement de 40 € (art. L441-10 du code de commerce).",
)


def _money(value) -> str:
    # reportlab's standard fonts have no narrow no-break space.
    return euros(value).replace("\u202f", " ").replace("\u00a0", " ")


def invoice_pdf_visual(invoice) -> bytes:
    return _visual(
        invoice,
        title=f"Facture n° {invoice.number}",
        dates=f"Émise le {invoice.issued_on:%d/%m/%Y} — échéance le {invoice.due_on:%d/%m/%Y}",
        lines=list(invoice.lines.all()),
        totals=(invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat),
    )


def credit_note_pdf_visual(note) -> bytes:
    invoice = note.invoice
    line = SimpleNamespace(
        label=f"Avoir sur la facture {invoice.number} : {note.reason}",
        amount_excl_vat=note.amount_excl_vat,
        vat_amount=note.vat_amount,
    )
    return _visual(
        invoice,
        title=f"Avoir n° {note.number}",
        dates=f"Émis le {note.issued_on:%d/%m/%Y} — sur la facture {invoice.number} du {invoice.issued_on:%d/%m/%Y}",
        lines=[line],
        totals=(note.amount_excl_vat, note.vat_amount, note.total_incl_vat),
    )


def _visual(invoice, *, title, dates, lines, totals) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    page.setTitle(title)
    page.setAuthor(seller()["name"])
    width, height = A4
    company = seller()
    y = height - 20 * mm
    page.setFont("Helvetica-Bold", 14)
    page.drawString(20 * mm, y, company["name"])
    page.setFont("Helvetica", 9)
    for text in (
        company["street"],
        f"{company['postcode']} {company['city']}",
        f"SIREN {company['siren']} — TVA {company['vat_number']}",
    ):
        y -= 5 * mm
        page.drawString(20 * mm, y, text)

    y -= 14 * mm
    page.setFont("Helvetica-Bold", 16)
    page.drawString(20 * mm, y, title)
    page.setFont("Helvetica", 10)
    y -= 7 * mm
    page.drawString(20 * mm, y, dates)

    buyer_y = height - 45 * mm
    page.setFont("Helvetica-Bold", 10)
    page.drawString(120 * mm, buyer_y, invoice.buyer_name[:45])
    page.setFont("Helvetica", 9)
    buyer_lines = [*invoice.buyer_address.splitlines(), f"SIRET {invoice.buyer_siret}"]
    if invoice.buyer_chorus_code:
        buyer_lines.append(f"Code service Chorus Pro : {invoice.buyer_chorus_code}")
    for text in buyer_lines:
        buyer_y -= 5 * mm
        page.drawString(120 * mm, buyer_y, text[:55])

    y = min(y, buyer_y) - 14 * mm
    page.setFont("Helvetica-Bold", 9)
    page.drawString(20 * mm, y, "Désignation")
    page.drawRightString(165 * mm, y, "Montant HT")
    page.drawRightString(190 * mm, y, "TVA")
    page.line(20 * mm, y - 2 * mm, 190 * mm, y - 2 * mm)
    page.setFont("Helvetica", 9)
    for line in lines:
        y -= 7 * mm
        page.drawString(20 * mm, y, line.label[:95])
        page.drawRightString(165 * mm, y, _money(line.amount_excl_vat))
        page.drawRightString(190 * mm, y, _money(line.vat_amount))
    y -= 4 * mm
    page.line(20 * mm, y, 190 * mm, y)
    for label, value in zip(("Total HT", f"TVA {percent(invoice.vat_rate)} %", "Total TTC"), totals, strict=True):
        y -= 6 * mm
        page.setFont("Helvetica-Bold" if label == "Total TTC" else "Helvetica", 10)
        page.drawString(120 * mm, y, label)
        page.drawRightString(190 * mm, y, _money(value))

    page.setFont("Helvetica", 8)
    y = 30 * mm
    for text in LEGAL_MENTIONS:
        page.drawString(20 * mm, y, text[:130])
        if len(text) > 130:
            y -= 4 * mm
            page.drawString(20 * mm, y, text[130:])
        y -= 5 * mm
    page.showPage()
    page.save()
    return buffer.getvalue()


def invoice_pdf(invoice) -> bytes:
    """The PDF a member downloads and staff deposit on Chorus Pro: Factur-X BASIC."""
    return _facturx(invoice_pdf_visual(invoice), invoice_xml(invoice), f"Facture {invoice.number}", invoice)


def credit_note_pdf(note) -> bytes:
    return _facturx(credit_note_pdf_visual(note), credit_note_xml(note), f"Avoir {note.number}", note.invoice)


def _facturx(visual, xml, title, invoice) -> bytes:
    return generate_from_binary(
        visual,
        xml,
        flavor="factur-x",
        level="basic",
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata={
            "author": seller()["name"],
            "keywords": "Factur-X, facture",
            "title": title,
            "subject": f"{title} — {invoice.buyer_name}",
        },
    )
