"""The note for the purchasing department (.docx) and the spreadsheet of the lines (.xlsx).

Both are written from `SimulationFigures` (simulations.selectors.simulation_figures), the
computation the page shows: the same figures, formatted by the same functions.
"""

import datetime
import io

from docx import Document
from docx.shared import Pt

from billing.fees import euros
from core.spreadsheets import printable, table_workbook, workbook_bytes

from .numbers import format_number

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CENTRAL = "CANUT, centrale d'achat du numérique et des télécoms"
LEGAL_BASIS = [
    "Article L2113-2 du code de la commande publique : une centrale d'achat est un acheteur qui a "
    "pour objet d'exercer de façon permanente des activités d'achat centralisées, notamment la "
    "conclusion d'accords-cadres de fournitures ou de services destinés à des acheteurs.",
    "Article L2113-3 : la centrale d'achat est soumise, pour la totalité de ses activités, aux règles "
    "du code de la commande publique ; elle a mis en concurrence les titulaires des accords-cadres ci-dessus.",
    "Article L2113-4 : l'acheteur qui recourt à une centrale d'achat pour acquérir des fournitures ou "
    "des services est considéré comme ayant respecté ses obligations de publicité et de mise en "
    "concurrence, pour les opérations confiées à la centrale.",
]
NEXT_STEPS = [
    "Préparer sa souscription sur le portail de la centrale pour chaque accord-cadre non encore utilisé "
    "(sans engagement) : la convention de mise à disposition est envoyée.",
    "Faire signer la convention par la personne habilitée et la retourner à la centrale, qui la contresigne.",
    "Après finalisation, commander directement auprès du titulaire (bon de commande), aux prix au plus "
    "égaux aux prix maximum ci-dessus.",
    "Les frais d'utilisation sont facturés par la centrale le mois qui suit la finalisation, au prorata "
    "des mois restants.",
]
LINE_HEADERS = [
    "Désignation",
    "Référence",
    "Prix unitaire max. HT",
    "Quantité",
    "Total HT",
    "TVA",
    "Total TTC",
]


def money_or_dash(value):
    return euros(value) if value is not None else "—"


def percent_text(value):
    return f"{str(value).replace('.', ',')}\u00a0%" if value is not None else "—"


def unit_text(line):
    if line.removed:
        return "retirée du marché"
    if not line.priced:
        return "sur devis"
    return euros(line.unit_price)


def fee_text(agreement) -> str:
    """The fee of one agreement in words: the page and the note say the same sentence."""
    if agreement.used:
        return "Accord-cadre déjà utilisé par l'établissement : pas de nouveaux frais."
    estimate = agreement.estimate
    if estimate is None and not agreement.buyer_known:
        return "Frais non calculés : choisissez l'établissement acheteur."
    if estimate is None:
        return "Frais non calculés : le barème de l'année n'est pas encore publié."
    if estimate.free:
        return "Accord-cadre sans frais d'utilisation."
    fee = estimate.fee
    text = f"{euros(fee.total_excl_vat)} HT ({euros(fee.total_incl_vat)} TTC) pour {fee.year}"
    if estimate.next_year:
        text += ", facturés au premier trimestre (finalisation en décembre)"
    elif fee.is_prorated:
        text += f", au prorata ({fee.months} mois sur 12 d'un montant annuel de {euros(fee.annual_amount)} HT)"
    if fee.discount:
        text += f", {fee.rank}e souscription de l'année : −{format_number(fee.discount)} %"
    text += f" ; tranche : {fee.band_label}"
    if estimate.non_member:
        text += " ; tarif non-adhérent"
    return text + "."


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = printable(str(text))
    return table


def summary_rows(figures):
    """The totals, in the order the page shows them (label, amount)."""
    rows = [
        ("Total HT", euros(figures.total_excl_vat)),
        ("TVA", euros(figures.vat)),
        ("Total TTC", euros(figures.total_incl_vat)),
        ("Frais d'utilisation de la centrale HT", euros(figures.fees_excl_vat)),
    ]
    if figures.fees_unknown:
        rows[-1] = (
            "Frais d'utilisation de la centrale HT",
            f"{euros(figures.fees_excl_vat)} (non calculés pour certains accords-cadres)",
        )
    if figures.gain is not None:
        rows += [
            ("Montant comparé HT (payé aujourd'hui ou autre devis)", euros(figures.reference)),
            ("Gain net des frais HT", euros(figures.gain)),
            ("Gain net des frais (%)", percent_text(figures.gain_percent)),
        ]
    return rows


def note_docx(*, figures, name: str, establishment, today: datetime.date, portal_url: str) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading("Note d'opportunité : achat par une centrale d'achat", level=0)
    document.add_paragraph(
        printable(f"Simulation « {name} » établie le {today:%d/%m/%Y} sur le portail de la {CENTRAL}.")
    )
    document.add_paragraph(
        "Cette note est une simulation : elle n'engage ni l'établissement ni la centrale. Les prix sont les "
        f"prix maximum HT des accords-cadres en vigueur le {today:%d/%m/%Y}."
    )

    document.add_heading("Qui achète", level=1)
    if establishment is not None:
        document.add_paragraph(printable(f"{establishment.name} — SIRET {establishment.siret}"))
    else:
        document.add_paragraph("Établissement acheteur non choisi dans la simulation.")

    document.add_heading("Quoi, auprès de quel accord-cadre", level=1)
    for agreement in figures.agreements:
        market = agreement.market
        document.add_heading(printable(market.title), level=2)
        facts = [
            ("Accord-cadre", printable(f"{market.title}{' — ' + market.subtitle if market.subtitle else ''}")),
            ("Notifié le", f"{market.notified_on:%d/%m/%Y}"),
            ("Fin le", f"{market.ends_on:%d/%m/%Y}"),
            ("Adresse sur le portail", f"{portal_url.rstrip('/')}{market.url or ''}"),
        ]
        _table(document, ["", ""], facts)
        for lot in agreement.lots:
            label = f"Lot {lot.lot}" if lot.lot else "Accord-cadre sans lot"
            document.add_paragraph(printable(f"{label} — titulaire : {lot.holders or 'non précisé'}"))
            _table(
                document,
                LINE_HEADERS,
                [
                    [
                        line.line.designation,
                        line.line.reference,
                        unit_text(line),
                        format_number(line.entry.quantity),
                        euros(line.total_excl_vat),
                        euros(line.vat),
                        euros(line.total_incl_vat),
                    ]
                    for line in lot.lines
                ],
            )
        document.add_paragraph(
            f"Total de l'accord-cadre : {euros(agreement.total_excl_vat)} HT, {euros(agreement.total_incl_vat)} TTC."
        )
        document.add_paragraph(f"Frais d'utilisation : {fee_text(agreement)}")
        if agreement.gain is not None:
            document.add_paragraph(
                f"Gain : {euros(agreement.reference)} HT payés aujourd'hui ou selon un autre devis, contre "
                f"{euros(agreement.compared_excl_vat)} HT par la centrale et {euros(agreement.fee_excl_vat)} HT "
                f"de frais : {euros(agreement.gain)} ({percent_text(agreement.gain_percent)})."
            )

    document.add_heading("Synthèse", level=1)
    _table(document, ["", "Montant"], summary_rows(figures))
    if figures.changed:
        document.add_paragraph(
            f"{len(figures.changed)} prix ont changé depuis leur ajout à la simulation : les montants ci-dessus "
            "sont calculés aux prix en vigueur."
        )

    document.add_heading("Base juridique", level=1)
    for text in LEGAL_BASIS:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Prochaines étapes", level=1)
    for text in NEXT_STEPS:
        document.add_paragraph(text, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SHEET_HEADERS = [
    "Accord-cadre",
    "Lot",
    "Titulaire",
    "Référence",
    "Désignation",
    "Unité",
    "Prix unitaire max. HT (€)",
    "Prix à l'ajout HT (€)",
    "Quantité",
    "Total HT (€)",
    "TVA (€)",
    "Total TTC (€)",
    "Prix unitaire payé aujourd'hui HT (€)",
    "Montant payé aujourd'hui HT (€)",
]


def lines_xlsx(*, figures) -> bytes:
    rows = [
        [
            agreement.market.title,
            lot.lot,
            lot.holders,
            line.line.reference,
            line.line.designation,
            line.line.unit,
            line.unit_price if line.priced else unit_text(line),
            line.entry.price_at_add,
            line.entry.quantity,
            line.total_excl_vat,
            line.vat,
            line.total_incl_vat,
            line.entry.paid_unit_price,
            line.paid_total,
        ]
        for agreement in figures.agreements
        for lot in agreement.lots
        for line in lot.lines
    ]
    return workbook_bytes(table_workbook(headers=SHEET_HEADERS, rows=rows, title="Simulation"))
