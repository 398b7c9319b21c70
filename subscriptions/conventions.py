"""The convention de mise à disposition, generated as a .docx with python-docx.

Editors attach a blank convention to the market (a .docx piece of kind "convention") with
placeholders such as {{etablissement}}; Word splits typed text into several runs, so a
placeholder may straddle runs: replacement works on the paragraph's joined text and writes
the result back into the runs it touched, keeping the first run's formatting.
Without a usable blank convention, a default one is built here.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from core.text import fold_key
from groupements.selectors import groupement_members

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
CONVENTION_KIND = "convention"


@dataclass(frozen=True)
class ConventionFile:
    name: str
    content: bytes


def convention_values(*, market, establishment, user=None, on=None):
    on = on or timezone.localdate()
    values = {
        "etablissement": establishment.name,
        "siren": establishment.siren,
        "siret": establishment.siret,
        "code_ape": establishment.ape_code,
        "ape": establishment.ape_code,
        "code_chorus": establishment.chorus_code,
        "chorus": establishment.chorus_code,
        "adresse": ", ".join(establishment.address_lines),
        "marche": market.title,
        "sous_titre": market.subtitle,
        "date_notification": market.notified_on.strftime("%d/%m/%Y"),
        "date_fin": market.ends_on.strftime("%d/%m/%Y"),
        "date": on.strftime("%d/%m/%Y"),
        "demandeur": (user.get_full_name() or user.email) if user else "",
        "email": user.email if user else "",
    }
    return values


def replace_in_paragraph(paragraph, values):
    """Fill the placeholders of one paragraph, even when they straddle runs."""
    runs = paragraph.runs
    text = "".join(run.text for run in runs)
    if "{{" not in text:
        return
    # Right to left: a replacement never shifts the offsets of the matches before it.
    for match in reversed(list(PLACEHOLDER.finditer(text))):
        key = fold_key(match.group(1))
        if key not in values:
            continue
        start, end = match.span()
        position, first = 0, True
        for run in runs:
            run_start, run_end = position, position + len(run.text)
            position = run_end
            if run_end <= start or run_start >= end:
                continue
            cut_from, cut_to = max(start, run_start) - run_start, min(end, run_end) - run_start
            replacement = values[key] if first else ""
            run.text = run.text[:cut_from] + replacement + run.text[cut_to:]
            first = False


def _paragraphs(container):
    yield from container.paragraphs
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def fill_document(document, values):
    for paragraph in _paragraphs(document):
        replace_in_paragraph(paragraph, values)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                for paragraph in _paragraphs(part):
                    replace_in_paragraph(paragraph, values)
    return document


def default_convention(values):
    """A plain convention, used when the market has no usable blank convention."""
    document = Document()
    document.add_heading("Convention de mise à disposition", level=0)
    document.add_paragraph(f"Marché : {values['marche']}")
    if values.get("sous_titre"):
        document.add_paragraph(values["sous_titre"])
    document.add_heading("Entre", level=1)
    document.add_paragraph("La CANUT, centrale d'achat du numérique et des télécoms,")
    document.add_heading("Et", level=1)
    for label, key in (
        ("Établissement", "etablissement"),
        ("SIREN", "siren"),
        ("SIRET", "siret"),
        ("Adresse", "adresse"),
        ("Code APE", "code_ape"),
        ("Code Chorus", "code_chorus"),
    ):
        document.add_paragraph(f"{label} : {values[key] or '—'}")
    document.add_heading("Objet", level=1)
    document.add_paragraph(
        "La présente convention met à la disposition de l'établissement l'accord-cadre désigné "
        f"ci-dessus, notifié le {values['date_notification']} et valable jusqu'au {values['date_fin']}."
    )
    document.add_paragraph(
        "L'établissement complète, date et signe la présente convention puis la renvoie à la CANUT, qui la contresigne."
    )
    document.add_paragraph(f"Convention établie le {values['date']}.")
    document.add_paragraph("Pour l'établissement (nom, qualité, signature) :")
    document.add_paragraph("Pour la CANUT :")
    return document


def blank_convention(market):
    """The market's blank convention document (.docx), or None."""
    piece = (
        market.pieces.filter(kind=CONVENTION_KIND, document__file__iendswith=".docx")
        .select_related("document")
        .order_by("sort_order")
        .first()
    )
    return piece.document if piece else None


ANNEX_TITLE = "Annexe n°1 : établissements membres du groupement"


def add_groupement_annex(document, groupement):
    """Annex 1: the groupement's table (the members used to paste it from the spreadsheet)."""
    document.add_page_break()
    document.add_heading(ANNEX_TITLE, level=1)
    document.add_paragraph(
        f"Groupement « {groupement.name} », dont l'établissement parent est {groupement.parent.name} "
        f"(SIRET {groupement.parent.siret}). La présente convention vaut pour chacun des établissements suivants :"
    )
    rows = list(groupement_members(groupement=groupement))
    table = document.add_table(rows=1 + len(rows), cols=3)
    try:
        table.style = "Table Grid"
    except KeyError:  # an editor's blank convention may lack Word's default table style
        pass
    for cell, label in zip(table.rows[0].cells, ("SIRET", "Nom de la structure", "Email de contact"), strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for row, member in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, (member.establishment.siret, member.name, member.contact_email), strict=True):
            cell.text = text
    return document


def generate_convention(*, market, establishment, user=None, on=None, groupement=None):
    """The filled convention for this establishment (and groupement), as a named .docx file in memory."""
    values = convention_values(market=market, establishment=establishment, user=user, on=on)
    values["groupement"] = groupement.name if groupement else ""
    document = None
    blank = blank_convention(market)
    if blank is not None:
        try:
            with blank.file.open("rb") as handle:
                document = fill_document(Document(io.BytesIO(handle.read())), values)
        except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
            logger.warning(
                "Convention vierge illisible (document %s) : convention par défaut.", blank.pk, exc_info=True
            )
    if document is None:
        document = default_convention(values)
    if groupement is not None:
        add_groupement_annex(document, groupement)
    buffer = io.BytesIO()
    document.save(buffer)
    suffix = f"groupement-{slugify(groupement.name)[:40]}" if groupement else establishment.siret
    name = f"convention-{slugify(market.title)[:60]}-{suffix}.docx"
    return ConventionFile(name=name, content=buffer.getvalue())
