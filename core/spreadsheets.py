"""The one writer of every .xlsx and .csv the portal produces, member downloads and staff
exports alike. Text stays text: a value starting with =, +, -, @, tab or carriage return is
never read back as a formula (OWASP, "CSV Injection"); CSV is UTF-8 with a BOM so that
Excel shows accents. Control characters are dropped (`printable`): forms refuse them, but
a row older than that rule, an import or an outside register could still hold one, and
openpyxl refuses the whole file for a single "\x07".
"""

import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .downloads import private_download

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What a cell cannot hold: the C0 controls but tab and line breaks (openpyxl's
# ILLEGAL_CHARACTERS_RE), DEL and the C1 controls but NEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def printable(value):
    """`value` without the control characters a spreadsheet cannot hold."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def csv_safe(value):
    """A CSV value a spreadsheet program opens as text: a leading trigger gets a quote."""
    value = printable(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_cells(sheet, values):
    """Cells for `sheet.append`: strings stay strings, whatever they start with."""
    cells = []
    for value in values:
        value = printable(value)
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cells.append(cell)
    return cells


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(*, headers, rows, title: str) -> Workbook:
    """One sheet: a bold, frozen header row, then the rows as given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = printable(title)[:31]  # Excel's limit
    sheet.append(xlsx_cells(sheet, headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_cells(sheet, row))
    sheet.freeze_panes = "A2"
    return workbook


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return private_download(content, filename=filename, content_type=XLSX_CONTENT_TYPE)
