"""Reading a price piece: headers mapped to fields, French numbers, every row checked.

Nothing here writes to the database: `read_price_table` gives the parsed lines or the
errors (by row and column), `propose_columns` the mapping proposed from the headers.
"""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from core.spreadsheets import printable
from core.tables import TableUnreadable, check_table, read_table
from core.text import fold, fold_name

MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 40
MAX_INFLATED_BYTES = 200 * 1024 * 1024
# CPU for reading one file, in the check task (200,000 rows of an honest file take about a
# minute); the command line, run by an operator, has none.
MAX_SECONDS = 300.0
MAX_ERRORS = 200
HEADER_SCAN_ROWS = 30
MAX_BLANK_RUN = 1000
MAX_PRICE = Decimal("999999999")

# field -> (label, header synonyms, folded)
FIELDS = {
    "reference": ("Référence", ["reference", "ref", "code", "code article", "reference article", "sku", "part number"]),
    "designation": (
        "Désignation",
        ["designation", "libelle", "solution", "produit", "article", "description", "intitule", "prestation"],
    ),
    "publisher": ("Éditeur ou marque", ["editeur", "marque", "constructeur", "fabricant"]),
    "category": ("Catégorie", ["categorie", "famille", "gamme", "type de produit", "rubrique"]),
    "unit": ("Unité", ["unite", "unite de mesure", "conditionnement", "uo", "unite oeuvre"]),
    "price": (
        "Prix maximum HT",
        [
            "prix maximum ht",
            "prix maximum",
            "prix unitaire ht",
            "prix unitaire",
            "prix ht",
            "pu ht",
            "prix",
            "montant ht",
        ],
    ),
    "discount": ("Remise (%)", ["remise", "taux de remise", "remise minimale", "rabai"]),
    "list_price": ("Prix public HT", ["prix public ht", "prix public", "prix catalogue", "prix liste", "tarif public"]),
    "lot": ("Lot", ["lot", "numero de lot"]),
}
FIELD_CHOICES = [(name, label) for name, (label, _) in FIELDS.items()]
ON_QUOTE = {"sur devis", "devis", "nc", "n c", "non communique", "sur demande"}


def _score(header, synonym):
    if header == synonym:
        return 3
    if header.startswith(synonym + " "):
        return 2
    if f" {synonym} " in f" {header} ":
        return 1
    return 0


def propose_columns(headers, remembered=None):
    """{field: header} from the header texts; a remembered mapping wins where it still fits."""
    folded = {header: fold(header) for header in headers if header}
    columns = {}
    for field, header in (remembered or {}).items():
        if field in FIELDS and header in folded:
            columns[field] = header
    candidates = []
    for field, (_, synonyms) in FIELDS.items():
        for header, text in folded.items():
            score = max((_score(text, fold(s)), len(s)) for s in synonyms)
            if score[0]:
                candidates.append((score, field, header))
    for _, field, header in sorted(candidates, reverse=True):
        if field not in columns and header not in columns.values():
            columns[field] = header
    return columns


def parse_number(value, *, percent=False):
    """(Decimal or None, on quote) from a cell; ValueError with a French message if unreadable.

    "1 234,56 €", "1.234,56", "12,5", "13 %", 0.13 (a percentage cell), "sur devis".
    """
    if value is None or value == "":
        return None, False
    if isinstance(value, bool):
        raise ValueError("n'est pas un nombre")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("n'est pas un nombre")
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if percent and 0 < number < 1:  # a cell formatted as a percentage stores 0.13
            number *= 100
        return number, False
    text = str(value).strip()
    if fold_name(text).strip(" .") in ON_QUOTE:
        return None, True
    text = re.sub(r"(?i)(eur(os?)?|€|ht|ttc|%|\s|\u202f|\u00a0)", "", text)
    if not text:
        return None, False
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("n'est pas un nombre (par exemple « 1 234,56 € », « 13 % » ou « sur devis »)") from None
    if not number.is_finite():
        raise ValueError("n'est pas un nombre")
    return number, False


def _text(value, limit):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    return " ".join(printable(str(value)).split())[:limit]


@dataclass
class ParsedLine:
    row: int
    key: str
    reference: str
    designation: str
    publisher: str
    category: str
    unit: str
    lot: str
    kind: str
    price: Decimal | None
    discount: Decimal | None
    list_price: Decimal | None
    net_price: Decimal | None
    on_quote: bool


@dataclass
class ParsedTable:
    headers: list
    header_row: int
    columns: dict
    lines: list
    errors: list  # {"row", "column", "message"}
    rows_read: int = 0

    @property
    def ok(self):
        return not self.errors and bool(self.lines)


def line_key(reference, publisher, designation):
    """Reference when given, else publisher and designation (accentless, case and spacing ignored)."""
    text = reference or f"{publisher} | {designation}"
    return " ".join(fold_name(text).split())[:255]


def net_price(kind, price, discount, list_price):
    if kind == "prix":
        return price
    if list_price is not None and discount is not None:
        return (list_price * (100 - discount) / 100).quantize(Decimal("0.01"))
    return None


def open_table(file, *, max_seconds=MAX_SECONDS):
    return read_table(
        file,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_inflated_bytes=MAX_INFLATED_BYTES,
        max_seconds=max_seconds,
    )


def check_file(file):
    """What can be checked of an upload without parsing it (size, format, the archive
    unpacked once): the request that receives it does this, the parsing is a task's."""
    return check_table(file, max_bytes=MAX_BYTES, max_inflated_bytes=MAX_INFLATED_BYTES)


def _header_row(rows):
    """(row number, {column: header text}, remaining rows): the first row naming known fields."""
    for index, cells in enumerate(rows):
        texts = {cell.column: _text(cell.value, 100) for cell in cells if isinstance(cell.value, str)}
        proposed = propose_columns(list(texts.values()))
        if len(proposed) >= 2 and ("designation" in proposed or "reference" in proposed):
            return cells[0].row if cells and cells[0].row else index + 1, texts
        if index >= HEADER_SCAN_ROWS:
            break
    return None, {}


def read_headers(file):
    """(header row number, header texts in column order); TableUnreadable if none is found."""
    table = open_table(file)
    row, texts = _header_row(table.rows)
    if row is None:
        raise TableUnreadable(
            "Aucune ligne d'en-têtes reconnue (par exemple « Référence », « Désignation », « Prix HT ») "
            f"dans les {HEADER_SCAN_ROWS} premières lignes.",
            code="no_headers",
        )
    return row, [texts[column] for column in sorted(texts)]


def read_price_table(file, *, columns=None, remembered=None, progress=None, max_seconds=MAX_SECONDS) -> ParsedTable:
    """Parse every row below the headers; `columns` ({field: header}) overrides the proposal."""
    table = open_table(file, max_seconds=max_seconds)
    rows = iter(table.rows)
    header_row, texts = _header_row(rows)
    if header_row is None:
        raise TableUnreadable("Aucune ligne d'en-têtes reconnue dans le fichier.", code="no_headers")
    headers = [texts[column] for column in sorted(texts)]
    columns = {f: h for f, h in (columns or propose_columns(headers, remembered)).items() if f in FIELDS and h}
    parsed = ParsedTable(headers=headers, header_row=header_row, columns=columns, lines=[], errors=[])
    index_of = {header: column for column, header in texts.items()}
    position = {field: index_of[header] for field, header in columns.items() if header in index_of}
    if "designation" not in position:
        parsed.errors.append({"row": header_row, "column": "", "message": "Indiquez la colonne de la désignation."})
    if "price" not in position and "discount" not in position:
        parsed.errors.append(
            {"row": header_row, "column": "", "message": "Indiquez la colonne du prix ou celle de la remise."}
        )
    if parsed.errors:
        return parsed
    letters = {field: get_column_letter(column) for field, column in position.items()}
    keys = {}
    row_number = header_row
    blank_run = 0
    for cells in rows:
        row_number += 1
        parsed.rows_read += 1
        if progress and parsed.rows_read % 1000 == 0:
            progress(parsed.rows_read)
        if not cells:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:  # LibreOffice pads .ods sheets with a million empty rows
                break
            continue
        blank_run = 0
        values = {cell.column: cell.value for cell in cells}
        row_number = cells[0].row or row_number
        line = _parse_row(row_number, {f: values.get(c) for f, c in position.items()}, letters, parsed.errors)
        if line is None:
            continue
        if line.key in keys:
            _error(
                parsed.errors,
                row_number,
                letters.get("reference") or letters["designation"],
                f"ligne en double (déjà à la ligne {keys[line.key]})",
            )
            continue
        keys[line.key] = row_number
        parsed.lines.append(line)
    if not parsed.lines and not parsed.errors:
        parsed.errors.append({"row": header_row, "column": "", "message": "Aucune ligne de prix sous les en-têtes."})
    return parsed


def _error(errors, row, column, message):
    if len(errors) < MAX_ERRORS:
        errors.append({"row": row, "column": column, "message": message})
    elif len(errors) == MAX_ERRORS:
        errors.append({"row": row, "column": "", "message": "Trop d'erreurs : les suivantes ne sont pas listées."})


def _parse_row(row, values, letters, errors):
    texts = {
        f: _text(values.get(f), limit)
        for f, limit in (
            ("reference", 100),
            ("designation", 500),
            ("publisher", 150),
            ("category", 150),
            ("unit", 60),
            ("lot", 150),
        )
    }
    if not any(texts.values()) and all(values.get(f) in (None, "") for f in ("price", "discount", "list_price")):
        return None  # a row of notes or totals without any of our columns
    numbers, failed = {}, False
    for field in ("price", "discount", "list_price"):
        try:
            numbers[field] = parse_number(values.get(field), percent=field == "discount")
        except ValueError as error:
            _error(errors, row, letters[field], f"« {_text(values.get(field), 40)} » {error}")
            failed = True
            numbers[field] = (None, False)
    if not texts["designation"]:
        _error(errors, row, letters["designation"], "la désignation est vide")
        failed = True
    price, price_quote = numbers["price"]
    discount, discount_quote = numbers["discount"]
    list_price, _ = numbers["list_price"]
    on_quote = price_quote or discount_quote
    kind = "remise" if discount is not None else "prix"
    if discount is not None and not 0 <= discount <= 100:
        _error(errors, row, letters["discount"], "la remise doit être comprise entre 0 et 100 %")
        failed = True
    for field, number in (("price", price), ("list_price", list_price)):
        if number is not None and not 0 <= number <= MAX_PRICE:
            _error(errors, row, letters[field], "le prix doit être positif et inférieur à un milliard")
            failed = True
    if price is None and discount is None and not on_quote and not failed:
        column = letters.get("price") or letters.get("discount")
        _error(errors, row, column, "le prix est vide (écrivez « sur devis » si le titulaire chiffre au cas par cas)")
        failed = True
    if failed:
        return None
    return ParsedLine(
        row=row,
        key=line_key(texts["reference"], texts["publisher"], texts["designation"]),
        **texts,
        kind=kind,
        price=price.quantize(Decimal("0.01")) if price is not None else None,
        discount=discount.quantize(Decimal("0.01")) if discount is not None else None,
        list_price=list_price.quantize(Decimal("0.01")) if list_price is not None else None,
        net_price=net_price(kind, price, discount, list_price) if not on_quote else None,
        on_quote=on_quote,
    )
