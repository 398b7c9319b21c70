"""The sales detail of a report: the spreadsheet template generated for an agreement,
holder and half-year, and the reader of what the holder sends back.

Excel and LibreOffice store numbers as they like: a SIRET becomes a number and loses its
leading zero, an amount may come back as "12 345,60 €". Everything wrong is reported by
row and column (core.tables.Problem), all at once; nothing is returned while a row is wrong.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from core.spreadsheets import workbook_bytes, xlsx_cells
from core.tables import Problem, TableInvalid, TableUnreadable, is_blank, read_table, siret_cell

HEADERS = ("SIRET", "Établissement", "Lot", "Montant HT (€)", "Quantité")
SIRET, NAME, LOT, AMOUNT, QUANTITY = HEADERS
SHEET_TITLE = "Ventes"
MAX_BYTES = 2 * 1024 * 1024
MAX_INFLATED_BYTES = 10 * 1024 * 1024
MAX_LINES = 5000
MAX_COLUMNS = 10
MAX_AMOUNT = Decimal("999999999999.99")  # what the column holds: 1 000 milliards
_SPACES = re.compile(r"\s+")
# A French amount as typed: "12 345,60 €", "12345.6", "1 234 €" (spaces of any width).
_AMOUNT_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)?$")

MESSAGES = {
    "not_a_table": (
        "Ce fichier n'est pas un tableur .xlsx : téléchargez le modèle, complétez-le et enregistrez-le au format .xlsx."
    ),
    "pdf": "Ce fichier est un PDF, pas un tableur : déposez le modèle complété au format .xlsx.",
}


@dataclass(frozen=True)
class Line:
    row: int
    siret: str
    name: str
    lot: str
    amount: Decimal
    quantity: Decimal | None


# The template ---------------------------------------------------------------------------


def template_bytes(*, rows: list, title: str) -> bytes:
    """The template: one row per (establishment, lot) given, amounts left for the holder."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    for siret, name, lot in rows:
        sheet.append(xlsx_cells(sheet, (siret, name, lot, None, None)))
    # SIRET typed as text keeps its leading zero, on the rows given and room to add some.
    for (cell,) in sheet.iter_rows(min_row=2, max_row=len(rows) + 200, min_col=1, max_col=1):
        cell.number_format = "@"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (18, 45, 40, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.title = title[:200]
    return workbook_bytes(workbook)


# The reader -----------------------------------------------------------------------------


def parse(file, *, lots: list[str]) -> list[Line]:
    """The filled rows of the uploaded sales detail, or TableInvalid listing every problem.
    `lots` are the holder's lots on the agreement: a row names one of them."""
    try:
        table = read_table(
            file,
            formats={"xlsx"},
            max_bytes=MAX_BYTES,
            max_rows=2 * MAX_LINES + 100,  # blank rows count too
            max_columns=MAX_COLUMNS,
            max_inflated_bytes=MAX_INFLATED_BYTES,
            messages=MESSAGES,
        )
        return _parse_rows(table, lots)
    except TableUnreadable as error:
        raise TableInvalid.one(error.messages[0]) from None


def _norm(value):
    return _SPACES.sub(" ", str(value or "")).strip().casefold()


def _parse_rows(table, lots):
    rows = table.rows
    header = {cell.column: cell.value for cell in next(rows, [])}
    found = [header.get(column) for column in range(1, max(header, default=0) + 1)]
    if [_norm(value) for value in found] != [_norm(value) for value in HEADERS]:
        shown = ", ".join(f"« {value} »" for value in found if _norm(value)) or "aucun"
        expected = ", ".join(f"« {value} »" for value in HEADERS)
        raise TableInvalid.one(
            f"les en-têtes doivent être {expected}, dans cet ordre (trouvés : {shown}). "
            "Partez du modèle téléchargé sur le portail.",
            row=1,
        )
    by_fold = {_norm(lot): lot for lot in lots}
    problems, lines, seen, count = [], [], {}, 0
    for cells in rows:
        values = {cell.column: cell for cell in cells}
        if not values or all(is_blank(cell.value) for cell in cells):
            continue
        number = cells[0].row
        row_problems = _cell_problems(number, values)
        if row_problems:
            problems += row_problems
            continue
        amount_cell, quantity_cell = values.get(4), values.get(5)
        if is_blank(getattr(amount_cell, "value", None)) and is_blank(getattr(quantity_cell, "value", None)):
            continue  # a template row with no purchase this half-year
        count += 1
        if count > MAX_LINES:
            raise TableInvalid.one(
                f"Le tableur dépasse {MAX_LINES} lignes de ventes : regroupez-les par établissement et par lot."
            )
        siret, problem = siret_cell(values.get(1))
        row_problems = [Problem(problem, number, SIRET)] if problem else []
        name = _text(values.get(2))
        if not name:
            row_problems.append(Problem("le nom de l'établissement est obligatoire.", number, NAME))
        elif len(name) > 255:
            row_problems.append(Problem(f"le nom compte {len(name)} caractères (255 au plus).", number, NAME))
        lot = _text(values.get(3))
        if not lot and len(lots) == 1:
            lot = lots[0]
        elif _norm(lot) in by_fold:
            lot = by_fold[_norm(lot)]
        else:
            choices = " ; ".join(f"« {label} »" for label in lots)
            row_problems.append(Problem(f"indiquez un de vos lots : {choices}.", number, LOT))
        amount, problem = _amount(getattr(amount_cell, "value", None), required=True)
        if problem:
            row_problems.append(Problem(problem, number, AMOUNT))
        quantity, problem = _amount(getattr(quantity_cell, "value", None), required=False)
        if problem:
            row_problems.append(Problem(problem, number, QUANTITY))
        key = (siret, lot)
        if not row_problems and key in seen:
            row_problems.append(
                Problem(
                    f"ce SIRET figure déjà ligne {seen[key]} pour ce lot : une ligne par établissement et par lot.",
                    number,
                    SIRET,
                )
            )
        if row_problems:
            problems += row_problems
            continue
        seen[key] = number
        lines.append(Line(number, siret, name, lot, amount, quantity))
    if problems:
        raise TableInvalid(problems)
    if not lines:
        raise TableInvalid.one("Le tableur ne contient aucun montant : complétez la colonne « Montant HT (€) ».")
    return lines


def _text(cell):
    value = getattr(cell, "value", None)
    return "" if value is None else _SPACES.sub(" ", str(value)).strip()


def _cell_problems(number, cells):
    problems = []
    for column, cell in cells.items():
        label = HEADERS[column - 1] if column <= len(HEADERS) else None
        if cell.formula:
            message = (
                f"la cellule {cell.coordinate} contient une formule : copiez les cellules puis "
                "« Collage spécial > Valeurs seulement »."
            )
            problems.append(Problem(message, number, label))
        elif label is None and not is_blank(cell.value):
            problems.append(Problem(f"la cellule {cell.coordinate} est remplie hors du tableau : videz-la.", number))
    return problems


def _amount(value, *, required):
    """(Decimal or None, problem or None): numbers as stored, or French text "12 345,60 €"."""
    label = "le montant" if required else "la quantité"
    if is_blank(value):
        return None, (f"{label} est obligatoire." if required else None)
    if isinstance(value, bool):
        return None, f"{label} doit être un nombre."
    if isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None, f"{label} doit être un nombre."
    elif isinstance(value, str):
        text = _SPACES.sub("", value.replace("€", "")).replace("\u202f", "")
        if not _AMOUNT_TEXT.match(text):
            return None, f"« {value[:40]} » n'est pas un nombre (par exemple 12 345,60)."
        number = Decimal(text.replace(",", "."))
    else:
        return None, f"{label} doit être un nombre (une date ?)."
    if not number.is_finite():
        return None, f"{label} doit être un nombre."
    if number < 0:
        return None, f"{label} ne peut pas être négatif : déclarez les avoirs en déduction du montant de la ligne."
    if number > MAX_AMOUNT:
        return None, f"{label} est trop grand pour être plausible."
    return number.quantize(Decimal("0.01")), None
