"""The groupement's spreadsheet: the template members fill in, and the parser of what they send.

Members fill the template in Excel or LibreOffice, which both take liberties with numbers:
a SIRET typed into a cell becomes a number (an int, sometimes a float) and loses its
leading zero. The parser reads it back as the 14-digit text it was. Everything else that
could go wrong is reported by row and column, all at once, so the member fixes the file in
one go; nothing is returned while any row is wrong.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import workbook_bytes, xlsx_cells
from core.tables import TableUnreadable, is_blank, read_table, siret_cell

HEADERS = ("SIRET", "Nom de la structure", "Email de contact")
SIRET, NAME, EMAIL = HEADERS
SHEET_TITLE = "Établissements"
# A fictitious commune whose SIRET passes the checks, so members see what a good row looks like;
# left in the file, it is refused (see _check_row).
EXAMPLE_ROW = ("21690012600014", "COMMUNE D'EXEMPLE", "informatique@commune-exemple.fr")

# What the archive may inflate to: a 2 MB file of a few thousand rows stays far below.
MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
# Columns read: the three of the table, and a few more to tell the member to empty them.
MAX_COLUMNS = 10
_SPACES = re.compile(r"\s+")

_email_validator = EmailValidator()


def max_bytes():
    return getattr(settings, "GROUPEMENT_SPREADSHEET_MAX_BYTES", 2 * 1024 * 1024)


def max_rows():
    return getattr(settings, "GROUPEMENT_SPREADSHEET_MAX_ROWS", 2000)


@dataclass(frozen=True)
class Row:
    """A child establishment as the member wrote it, with its line in the sheet."""

    number: int
    siret: str
    name: str
    email: str


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        if self.row and self.column:
            return f"Ligne {self.row}, colonne {self.column} : {self.message}"
        if self.row:
            return f"Ligne {self.row} : {self.message}"
        return self.message


class SpreadsheetInvalid(ValidationError):
    """The file cannot become a groupement; `problems` says why, row by row."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([str(problem) for problem in self.problems], code="spreadsheet")

    @classmethod
    def one(cls, message, **where):
        return cls([Problem(message, **where)])


# The template -------------------------------------------------------------------------


def build_workbook(rows=None, *, example=True):
    """The template (with its example row), or a groupement's rows in the same layout."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in sheet[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    sheet["A1"].comment = Comment(
        "14 chiffres, sans espace. Saisi comme du texte pour garder les zéros en tête.", "CANUT"
    )
    sheet["C1"].comment = Comment("L'adresse à laquelle la CANUT peut joindre cet établissement.", "CANUT")

    data = [EXAMPLE_ROW] if example else []
    data += [(row.siret, row.name, row.email) for row in rows or ()]
    for values in data:
        sheet.append(xlsx_cells(sheet, values))  # a member-typed "=HYPERLINK(…)" stays text

    last = max_rows() + 1
    # SIRET typed as text keeps its leading zeros and does not turn into 2.17E+13.
    for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=1, max_col=1):
        cell.number_format = "@"

    _add_validations(sheet, last)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 40
    return workbook


def _add_validations(sheet, last):
    """Excel and LibreOffice check the SIRET length and the email as the member types."""
    siret_check = DataValidation(
        type="textLength",
        operator="equal",
        formula1="14",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="SIRET",
        error="Le SIRET compte 14 chiffres.",
        showInputMessage=True,
        promptTitle="SIRET",
        prompt="14 chiffres, sans espace.",
    )
    email_check = DataValidation(
        type="custom",
        formula1='ISNUMBER(SEARCH("@",C2))',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Email de contact",
        error="Saisissez une adresse e-mail, par exemple informatique@mairie.fr.",
    )
    siret_check.add(f"A2:A{last}")
    email_check.add(f"C2:C{last}")
    sheet.add_data_validation(siret_check)
    sheet.add_data_validation(email_check)


def template_bytes():
    return workbook_bytes(build_workbook())


def rows_bytes(rows):
    return workbook_bytes(build_workbook(rows, example=False))


# The parser ---------------------------------------------------------------------------


def parse(file, *, parent_siret=""):
    """The rows of an uploaded spreadsheet, or SpreadsheetInvalid listing every problem.

    `file` is any binary file object (an UploadedFile, an open file); `parent_siret` is
    refused as a child, since a parent cannot be its own member.
    """
    try:
        table = read_table(
            file,
            formats={"xlsx"},
            max_bytes=max_bytes(),
            # Blank rows count too: the work is bounded whatever the sheet declares.
            max_rows=2 * max_rows() + 100,
            max_columns=MAX_COLUMNS,
            max_inflated_bytes=MAX_UNCOMPRESSED_BYTES,
            messages=MESSAGES,
        )
        return _parse_table(table, parent_siret=parent_siret)
    except TableUnreadable as error:
        raise SpreadsheetInvalid.one(error.messages[0]) from None


MESSAGES = {
    "pdf": "Ce fichier est un PDF, pas un tableur : déposez le tableur complété au format .xlsx.",
    "not_a_table": (
        "Ce fichier n'est pas un tableur .xlsx (un fichier texte ou CSV, par exemple) : "
        "téléchargez le tableur, complétez-le et enregistrez-le au format .xlsx."
    ),
    "other_zip": "Cette archive n'est pas un tableur .xlsx : déposez le tableur complété au format .xlsx.",
    "inflated": (
        "Ce tableur est trop volumineux une fois décompressé : déposez uniquement le tableau des établissements."
    ),
}
NO_ROWS = "Le tableur ne contient aucun établissement : ajoutez une ligne par établissement sous les en-têtes."


def _normalise_header(value):
    return _SPACES.sub(" ", str(value or "")).strip().casefold()


def _parse_table(table, *, parent_siret):
    if len(table.sheet_names) > 1:
        names = ", ".join(f"« {name} »" for name in table.sheet_names)
        raise SpreadsheetInvalid.one(
            f"Le classeur contient {len(table.sheet_names)} feuilles ({names}) : "
            "ne gardez que la feuille du tableau des établissements."
        )
    rows = table.rows
    header = {cell.column: cell.value for cell in next(rows, [])}
    found = [header.get(column) for column in range(1, max(header, default=0) + 1)]
    expected = [_normalise_header(h) for h in HEADERS]
    extra = [value for value in found[len(HEADERS) :] if _normalise_header(value)]
    if [_normalise_header(v) for v in found[: len(HEADERS)]] != expected or extra:
        shown = ", ".join(f"« {value} »" for value in found if _normalise_header(value)) or "aucun"
        raise SpreadsheetInvalid.one(
            "les en-têtes doivent être « SIRET », « Nom de la structure », « Email de contact », "
            f"dans cet ordre (trouvés : {shown}). Partez du tableur téléchargé sur le portail.",
            row=1,
        )

    problems, parsed, seen = [], [], {}
    limit, count = max_rows(), 0
    for cells in rows:
        if all(is_blank(cell.value) for cell in cells):
            continue  # empty rows, or rows only styled, are skipped
        count += 1
        if count > limit:
            shown = f"{limit:,}".replace(",", "\u202f")
            raise SpreadsheetInvalid.one(
                f"Le tableur compte plus de {shown} lignes d'établissements (limite : {shown}) : "
                "répartissez-les en plusieurs groupements."
            )
        row, row_problems = _check_row(cells[0].row, {cell.column: cell for cell in cells}, seen, parent_siret)
        problems += row_problems
        if row:
            parsed.append(row)
    if problems:
        raise SpreadsheetInvalid(problems)
    if not parsed:
        raise SpreadsheetInvalid.one(NO_ROWS)
    return parsed


def _check_row(number, cells, seen, parent_siret):
    problems = _cell_problems(number, cells)
    if problems:
        return None, problems
    siret, siret_problem = siret_cell(cells.get(1))
    name = _text(cells.get(2))
    email = _text(cells.get(3))
    if (siret, name, email) == EXAMPLE_ROW:
        message = "c'est la ligne d'exemple du tableur : remplacez-la par vos établissements ou supprimez-la."
        return None, [Problem(message, row=number)]
    problems = [
        *_siret_problems(number, siret, siret_problem, seen, parent_siret),
        *_name_problems(number, name),
        *_email_problems(number, email),
    ]
    if siret and not siret_problem and siret not in seen:
        seen[siret] = number  # a later duplicate points here even if this row has other problems
    if problems:
        return None, problems
    return Row(number=number, siret=siret, name=name, email=email), []


def _cell_problems(number, cells):
    """Formulas anywhere, values beyond the three columns."""
    problems = []
    for column, cell in cells.items():
        label = HEADERS[column - 1] if column <= len(HEADERS) else None
        if cell.formula:
            message = (
                f"la cellule {cell.coordinate} contient une formule ({str(cell.value)[:40]}) : "
                "copiez les cellules puis « Collage spécial > Valeurs seulement »."
            )
            problems.append(Problem(message, row=number, column=label))
        elif label is None and not is_blank(cell.value):
            message = f"la cellule {cell.coordinate} est remplie au-delà des trois colonnes du tableau : videz-la."
            problems.append(Problem(message, row=number))
    return problems


def _siret_problems(number, siret, siret_problem, seen, parent_siret):
    if siret_problem:
        return [Problem(siret_problem, number, SIRET)]
    if siret in seen:
        return [Problem(f"ce SIRET figure déjà ligne {seen[siret]}.", number, SIRET)]
    if parent_siret and siret == parent_siret:
        message = "c'est le SIRET de l'établissement parent, qui fait déjà partie du groupement."
        return [Problem(message, number, SIRET)]
    return []


def _name_problems(number, name):
    if not name:
        return [Problem("le nom de la structure est obligatoire.", number, NAME)]
    if len(name) > 255:
        return [Problem(f"le nom compte {len(name)} caractères (255 au plus).", number, NAME)]
    return []


def _email_problems(number, email):
    if not email:
        return [Problem("l'email de contact est obligatoire.", number, EMAIL)]
    try:
        _email_validator(email)
    except ValidationError:
        return [Problem(f"« {email} » n'est pas une adresse e-mail valide.", number, EMAIL)]
    return []


def _text(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()
