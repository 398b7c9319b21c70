"""Real files for the demo's market pieces, generated in memory.

PDFs with reportlab, the convention with python-docx (placeholders a later issue fills),
spreadsheets with openpyxl, the DCE as a zip of the other pieces. Each function returns
bytes, so the loader decides where they are stored.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document as DocxDocument
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# The convention's fields, filled per subscription by the members' work.
CONVENTION_PLACEHOLDERS = ("{{etablissement}}", "{{siret}}", "{{adresse}}", "{{marche}}", "{{date}}")


def pdf(title, paragraphs, *, subtitle="", rows=None):
    """A small A4 PDF: a title, paragraphs (plain text) and an optional table of rows."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    # invariant: same bytes on every run, so re-generating never looks like a change.
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="CANUT", invariant=1, leftMargin=2 * cm, rightMargin=2 * cm
    )
    story = [Paragraph("CANUT — Centrale d'achat du numérique et des télécoms", styles["Normal"]), Spacer(1, 12)]
    story.append(Paragraph(escape(title), styles["Title"]))
    if subtitle:
        story.append(Paragraph(escape(subtitle), styles["Heading3"]))
    for text in paragraphs:
        style = styles["Heading2"] if text.startswith("## ") else styles["BodyText"]
        story.append(Paragraph(escape(text.removeprefix("## ")), style))
        story.append(Spacer(1, 6))
    if rows:
        table = Table(rows, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


def convention_docx(market_title, market_subtitle):
    """The "convention de mise à disposition" with the placeholders a subscription fills."""
    doc = DocxDocument()
    doc.core_properties.title = f"Convention de mise à disposition — {market_title}"
    doc.core_properties.author = "CANUT"
    doc.add_heading("Convention de mise à disposition", level=0)
    doc.add_paragraph(
        f"Accord-cadre : {{{{marche}}}} ({market_title}{' — ' + market_subtitle if market_subtitle else ''})"
    )
    doc.add_heading("Entre", level=1)
    doc.add_paragraph(
        "La CANUT, centrale d'achat du numérique et des télécoms, association loi 1901, "
        "4 place Amédée Bonnet, 69002 Lyon, ci-après « la centrale »,"
    )
    doc.add_heading("Et", level=1)
    doc.add_paragraph(
        "{{etablissement}}, SIRET {{siret}}, dont le siège est situé {{adresse}}, ci-après « le bénéficiaire »."
    )
    doc.add_heading("Article 1 — Objet", level=1)
    doc.add_paragraph(
        "La présente convention met l'accord-cadre {{marche}} à la disposition du bénéficiaire, "
        "qui passe ses commandes directement auprès du ou des titulaires, dans la limite des prix maximums négociés."
    )
    doc.add_heading("Article 2 — Redevance", level=1)
    doc.add_paragraph(
        "Une redevance annuelle, proportionnelle à la taille du bénéficiaire et dégressive, est due "
        "à compter du mois suivant la finalisation de la présente convention."
    )
    doc.add_heading("Article 3 — Durée", level=1)
    doc.add_paragraph("La convention court jusqu'à la date de fin de l'accord-cadre, reconductions comprises.")
    doc.add_paragraph("Fait le {{date}}, en deux exemplaires.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Pour le bénéficiaire"
    table.cell(0, 1).text = "Pour la CANUT"
    table.cell(1, 0).text = "{{etablissement}}"
    table.cell(1, 1).text = "Le directeur général"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bpu_xlsx(market_title, items):
    """Unit price schedule: (reference, designation, unit, maximum price excl. VAT) rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "BPU"
    sheet.append([f"Bordereau des prix unitaires — {market_title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["Référence", "Désignation", "Unité", "Prix maximum HT (€)"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in items:
        sheet.append(list(row))
    for column, width in zip("ABCD", (14, 60, 12, 20), strict=True):
        sheet.column_dimensions[column].width = width
    return _workbook_bytes(workbook)


def catalogue_xlsx(rows):
    """The multi-publisher agreement's list of software titles (publisher, title, category, discount, list price)."""
    # write_only streams rows: the 350-line catalogue stays fast to build.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Solutions logicielles")
    sheet.append(["Éditeur", "Solution", "Catégorie", "Remise minimale sur prix public", "Prix public HT (€)"])
    for row in rows:
        sheet.append(list(row))
    return _workbook_bytes(workbook)


def zip_archive(files):
    """A zip of {name: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # Fixed timestamps: same bytes on every run.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()
