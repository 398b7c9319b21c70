"""Payments read from a bank statement: a CSV with a reference and an amount per credit
(a date too, when the bank gives one). A line pays an invoice when its reference holds the
invoice's number (banks add text around it) and its amount is exactly what is still owed
(TTC, credit notes deducted); every other line is listed with why it was not matched.

The file is read by core.tables (bounded: size, rows, columns, CPU).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core.tables import read_table

from .models import Invoice, InvoiceStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
INVOICE_NUMBER = re.compile(r"F\d{4}-\d{5}")
REFERENCE_HEADINGS = {"reference", "référence", "libelle", "libellé", "motif"}
AMOUNT_HEADINGS = {"montant", "amount", "credit", "crédit"}
DATE_HEADINGS = {"date", "date operation", "date d'opération", "date de valeur"}


@dataclass
class StatementLine:
    row: int
    reference: str
    amount: Decimal | None
    paid_on: datetime.date | None
    invoice: Invoice | None = None
    problem: str = ""


def read_statement(file) -> list[StatementLine]:
    """The statement's lines; ValidationError (French) when the file or its headings are wrong."""
    table = read_table(file, formats={"csv"}, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=20)
    rows = iter(table.rows)
    columns = {}
    for cells in rows:
        if cells:
            columns = {str(cell.value).strip().lower(): cell.column for cell in cells}
            break
    reference = next((columns[name] for name in columns if name in REFERENCE_HEADINGS), None)
    amount = next((columns[name] for name in columns if name in AMOUNT_HEADINGS), None)
    date = next((columns[name] for name in columns if name in DATE_HEADINGS), None)
    if reference is None or amount is None:
        raise ValidationError(
            "La première ligne doit nommer les colonnes « Référence » et « Montant » "
            "(et « Date » si le relevé la donne)."
        )
    lines = []
    for cells in rows:
        if not cells:
            continue
        values = {cell.column: str(cell.value).strip() for cell in cells}
        lines.append(
            StatementLine(
                row=cells[0].row,
                reference=values.get(reference, "")[:200],
                amount=_amount(values.get(amount, "")),
                paid_on=_date(values.get(date, "")) if date else None,
            )
        )
    return lines


def _amount(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal("1e10") else None


def _date(text: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def match(lines: list[StatementLine]) -> list[StatementLine]:
    """Each line with its invoice, or the reason it has none (one query for the file)."""
    numbers = {found for line in lines for found in INVOICE_NUMBER.findall(line.reference)}
    invoices = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(number__in=numbers).prefetch_related("credit_notes")
    }
    claimed = set()
    for line in lines:
        found = [invoices[n] for n in INVOICE_NUMBER.findall(line.reference) if n in invoices]
        if line.amount is None:
            line.problem = "Montant illisible."
        elif not found:
            line.problem = "Aucune facture ne porte cette référence."
        else:
            invoice = found[0]
            owed = invoice.total_incl_vat - sum((n.total_incl_vat for n in invoice.credit_notes.all()), Decimal("0"))
            if invoice.status == InvoiceStatus.PAID:
                line.problem = f"La facture {invoice.number} est déjà payée."
            elif invoice.pk in claimed:
                line.problem = f"La facture {invoice.number} est déjà réglée par une autre ligne du relevé."
            elif line.amount != owed:
                line.problem = f"Montant différent de ce que doit la facture {invoice.number} ({owed} €)."
            else:
                line.invoice = invoice
                claimed.add(invoice.pk)
    return lines
