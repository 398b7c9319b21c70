"""Reading the spreadsheets members and editors upload (.xlsx, .ods, .csv), whatever the
file declares: the work is bounded by the bytes read, the size the archive inflates to,
the rows read (blank ones included) and the columns read. Every failure is a
`TableUnreadable` with a message in French; nothing a hostile file does gives a 500.

The format comes from the content, never from the name. Archives go through core.zips:
the directory is checked and every member unpacked once, streamed and bounded, before a
parser sees it (a lying, encrypted or exotic archive is "damaged"). XML is parsed with
defusedxml (openpyxl picks it up when it is installed) and may not hold a DOCTYPE. A time
budget (CPU of the reading thread) stops a file built to be slow to parse, whatever its size.
"""

import codecs
import csv
import io
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.validators import validate_siret
from core.zips import UnsafeArchive, open_archive

LABELS = {"xlsx": ".xlsx", "ods": ".ods", "csv": ".csv"}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or any file Excel protected with a password
_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS = {
    "table": "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}",
    "office": "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}",
}
MAX_CSV_FIELD = 10_000  # characters in one CSV field
# XML elements a part may hold before openpyxl builds an object for each: a 48 KB workbook
# of styles alone cost 24 s of CPU. Excel itself refuses past 64,000 cell formats.
TAG_LIMITS = {"xl/styles.xml": 60_000, "xl/sharedStrings.xml": 2_000_000}
MAX_SECONDS = 20.0  # CPU of the reading thread, for one file


class _TooSlow(Exception):
    pass


class _Clock:
    def __init__(self, seconds):
        self.deadline = None if seconds is None else time.thread_time() + seconds

    def check(self):
        if self.deadline is not None and time.thread_time() > self.deadline:
            raise _TooSlow


class _TimedBytes(io.BytesIO):
    """The archive as openpyxl reads it: every read looks at the clock."""

    def __init__(self, content, clock):
        super().__init__(content)
        self.clock = clock

    def read(self, size=-1):
        self.clock.check()
        return super().read(size)


class TableUnreadable(ValidationError):
    """The file cannot be read as a table; `code` says why, the message says what to do."""


@dataclass(frozen=True)
class Cell:
    row: int  # 1-based, as the spreadsheet program shows it
    column: int  # 1-based
    value: object  # str, int, float, bool, datetime, or None
    formula: bool = False

    @property
    def coordinate(self):
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass
class Table:
    format: str
    sheet_names: list
    rows: Iterator  # each row read: the list of its non-empty Cells (blank rows give [])


def megabytes(size):
    """2 Mo, 2,1 Mo: rounded up, so a file just over the limit never reads as the limit."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def _accepted(formats):
    labels = [LABELS[name] for name in LABELS if name in formats]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " ou " + labels[-1]


def default_messages(formats):
    """Messages by failure code; a caller may reword any of them for its own page."""
    accepted = _accepted(formats)
    return {
        "too_large": "Le fichier pèse {size} Mo : la limite est de {limit} Mo.",
        "over_limit": "Le fichier dépasse la limite de {limit} Mo.",
        "empty": "Le fichier est vide.",
        "xls": (
            "Ce fichier est au format Excel 97-2003 (.xls) ou protégé par un mot de passe : enregistrez-le "
            "au format « Classeur Excel (.xlsx) », sans mot de passe, puis déposez-le à nouveau."
        ),
        "pdf": f"Ce fichier est un PDF, pas un tableur : déposez le tableur au format {accepted}.",
        "ods": (
            "Ce fichier est au format OpenDocument (.ods) : dans LibreOffice, choisissez "
            "« Enregistrer sous » et le type « Excel 2007-365 (.xlsx) »."
        ),
        "not_a_table": f"Ce fichier n'est pas un tableur {accepted} : enregistrez-le au format {accepted}.",
        "other_zip": f"Cette archive n'est pas un tableur {accepted} : déposez le tableur au format {accepted}.",
        "inflated": "Ce tableur est trop volumineux une fois décompressé : déposez uniquement le tableau utile.",
        "damaged": "Ce fichier {label} est endommagé ou illisible : enregistrez-le à nouveau au format {label}.",
        "too_many_rows": "Le tableur dépasse {limit} lignes : déposez-le en plusieurs fois.",
        "too_slow": (
            "Ce tableur demande trop de calcul pour être lu : enregistrez-le à nouveau sans mise en forme "
            "superflue, ou déposez-le en plusieurs fois."
        ),
    }


def read_table(
    file,
    *,
    formats=frozenset(LABELS),
    max_bytes: int,
    max_rows: int,
    max_columns: int,
    max_inflated_bytes: int = 20 * 1024 * 1024,
    max_seconds: float | None = MAX_SECONDS,
    messages: dict | None = None,
) -> Table:
    """Open `file` (an UploadedFile or any binary file) as the first sheet's rows.

    Rows are read lazily; reading more than `max_rows` rows (blank ones included) raises
    TableUnreadable("too_many_rows"); cells past `max_columns` are never read; past
    `max_seconds` of CPU (opening and reading together), TableUnreadable("too_slow").
    """
    refuse = _refuser(formats, messages)
    clock = _Clock(max_seconds)
    content = _read_bounded(file, max_bytes, refuse)
    kind = _sniff(content, formats, max_inflated_bytes, refuse)
    label = LABELS[kind]
    reader = {"xlsx": _xlsx, "ods": _ods, "csv": _csv}[kind]
    try:
        sheet_names, rows = reader(content, max_columns, clock=clock, max_inflated_bytes=max_inflated_bytes)
    except TableUnreadable:
        raise
    except _TooSlow:
        refuse("too_slow")
    except Exception:  # a damaged archive or sheet raises any of a dozen errors
        refuse("damaged", label=label)
    return Table(format=kind, sheet_names=sheet_names, rows=_bounded(rows, max_rows, label, refuse, clock))


def check_table(
    file,
    *,
    formats=frozenset(LABELS),
    max_bytes: int,
    max_inflated_bytes: int = 20 * 1024 * 1024,
    messages: dict | None = None,
) -> str:
    """What `read_table` checks before parsing (size, format, the archive unpacked once),
    without parsing: cheap enough for the request that receives the file. The format."""
    refuse = _refuser(formats, messages)
    return _sniff(_read_bounded(file, max_bytes, refuse), formats, max_inflated_bytes, refuse)


def _refuser(formats, messages):
    messages = {**default_messages(formats), **(messages or {})}

    def refuse(code, **values):
        raise TableUnreadable(messages[code].format(**values), code=code)

    return refuse


def _read_bounded(file, limit, refuse):
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        refuse("too_large", size=megabytes(size), limit=megabytes(limit))
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)  # never more than the limit in memory
    if len(content) > limit:  # a stream of unknown size: how much more is not read
        refuse("over_limit", limit=megabytes(limit))
    if not content:
        refuse("empty")
    return content


def _sniff(content, formats, max_inflated_bytes, refuse):
    if content.startswith(_OLE2_MAGIC):
        refuse("xls")
    if content.startswith(_PDF_MAGIC):
        refuse("pdf")
    if not content.startswith(_ZIP_MAGIC):
        if "csv" in formats and _is_text(content):
            return "csv"
        refuse("not_a_table")
    kind = None
    try:
        # The directory first: sizes are checked before a byte is unpacked.
        with open_archive(content, max_inflated_bytes=max_inflated_bytes) as archive:
            names = set(archive.names)
            if "mimetype" in names and archive.head("mimetype", 100).strip() == _ODS_MIMETYPE:
                kind = "ods"
            elif "xl/workbook.xml" in names:
                kind = "xlsx"
            else:
                refuse("other_zip")
            if kind not in formats:
                refuse(kind)
            archive.verify(tag_limits=TAG_LIMITS if kind == "xlsx" else None)
    except UnsafeArchive as error:
        if error.code == "inflated":
            refuse("inflated")
        refuse("damaged", label=LABELS[kind or "xlsx"])
    return kind


def _is_text(content):
    sample = content[:4096]
    return b"\x00" not in sample and _decode(sample, final=False) is not None


def _decode(content, final=True):
    """UTF-8 (with or without BOM), else Windows-1252, as French Excel saves CSV."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(content, final=final)
        except UnicodeDecodeError:
            continue
    return None


def _bounded(rows, max_rows, label, refuse, clock):
    """The rows, until `max_rows` have been read; any parser error becomes "damaged"."""
    count = 0
    try:
        for row in rows:
            count += 1
            if count > max_rows:
                refuse("too_many_rows", limit=f"{max_rows:,}".replace(",", "\u202f"))
            clock.check()
            yield row
    except TableUnreadable:
        raise
    except _TooSlow:
        refuse("too_slow")
    except Exception:
        refuse("damaged", label=label)


def _value(value):
    """A cell's value; NaN and infinities (an .ods may hold "nan") come back as their text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# Formats ----------------------------------------------------------------------------------


def _xlsx(content, max_columns, *, clock, max_inflated_bytes):
    # _sniff unpacked every member once: each inflates to its declared size, within the limit.
    workbook = load_workbook(_TimedBytes(content, clock), read_only=True, data_only=False)
    sheet = workbook.worksheets[0]

    def rows():
        try:
            # max_col bounds the padding openpyxl adds to reach the sheet's declared width.
            for cells in sheet.iter_rows(max_col=max_columns):
                yield [
                    Cell(cell.row, cell.column, _value(cell.value), formula=cell.data_type == "f")
                    for cell in cells
                    if getattr(cell, "value", None) is not None
                ]
        finally:
            workbook.close()

    return list(workbook.sheetnames), rows()


def _csv(content, max_columns, *, clock, max_inflated_bytes):
    text = _decode(content)
    if text is None:
        raise ValueError("undecodable")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
    csv.field_size_limit(MAX_CSV_FIELD)

    def rows():
        for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            yield [
                Cell(number, column, value)
                for column, value in enumerate(values[:max_columns], start=1)
                if value.strip()
            ]

    return ["CSV"], rows()


def _ods(content, max_columns, *, clock, max_inflated_bytes):
    archive = open_archive(content, max_inflated_bytes=max_inflated_bytes)
    events = iterparse(archive.member("content.xml", on_read=clock.check), events=("start", "end"), forbid_dtd=True)
    table, office = _ODS["table"], _ODS["office"]
    sheet_names = []
    # The first sheet's name is known once its element starts: read up to there now.
    for event, element in events:
        if event == "start" and element.tag == f"{table}table":
            sheet_names.append(element.get(f"{table}name", ""))
            break

    def rows():
        row_number, cells, column, depth = 0, [], 0, 1
        try:
            for event, element in events:
                tag = element.tag
                if tag == f"{table}table":
                    depth += 1 if event == "start" else -1
                    if depth == 0:
                        break
                elif event == "start" and tag == f"{table}table-row":
                    cells, column = [], 0
                elif event == "end" and tag in (f"{table}table-cell", f"{table}covered-table-cell"):
                    repeat = min(int(element.get(f"{table}number-columns-repeated", "1")), max_columns - column)
                    value = _value(_ods_value(element, office))
                    for _ in range(max(repeat, 0)):
                        column += 1
                        if value not in (None, ""):
                            formula = element.get(f"{table}formula") is not None
                            cells.append(Cell(0, column, value, formula=formula))
                    element.clear()
                elif event == "end" and tag == f"{table}table-row":
                    # A repeated row (LibreOffice's filler up to row 1,048,576) counts as many
                    # rows read: the row bound stops a hostile repeat.
                    for _ in range(int(element.get(f"{table}number-rows-repeated", "1"))):
                        row_number += 1
                        yield [Cell(row_number, cell.column, cell.value, cell.formula) for cell in cells]
                    element.clear()
        finally:
            archive.close()

    return sheet_names, rows()


def _ods_value(element, office):
    kind = element.get(f"{office}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(element.get(f"{office}value"))
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "boolean":
        return element.get(f"{office}boolean-value") == "true"
    if kind == "date":
        return element.get(f"{office}date-value")
    text = "\n".join("".join(p.itertext()) for p in element if p.tag.endswith("}p"))
    return text or None


# What is wrong in a table, cell by cell ---------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an uploaded table, where the spreadsheet program shows it: the
    row number and the column's header (printed between « »)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        if self.row and self.column:
            return f"Ligne {self.row}, colonne « {self.column} » : {self.message}"
        if self.row:
            return f"Ligne {self.row} : {self.message}"
        return self.message


class TableInvalid(ValidationError):
    """A table read but refused: `problems` lists every one, so the file is fixed in one go."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([str(problem) for problem in self.problems], code="table")

    @classmethod
    def one(cls, message, **where):
        return cls([Problem(message, **where)])


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def siret_cell(cell):
    """A spreadsheet cell read as a SIRET: (14-digit text, problem or None), whatever type the
    program stored (a number loses its leading zero, a string carries spaces or dots)."""
    value = getattr(cell, "value", None)
    if is_blank(value):
        return "", "le SIRET est obligatoire."
    if isinstance(value, bool):
        return "", "la cellule ne contient pas un SIRET."
    if isinstance(value, float):
        if not value.is_integer():
            return "", f"« {value} » n'est pas un SIRET (14 chiffres)."
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if len(text) == 13:
            # The cell held a number: Excel and LibreOffice drop the SIRET's leading zero.
            text = "0" + text
    elif isinstance(value, str):
        text = re.sub(r"[\s.\-]", "", value)
    else:
        return "", "la cellule ne contient pas un SIRET (une date ?) : saisissez 14 chiffres."
    # Format and length first, in the validator's words: stdnum reports a short number
    # as a bad format, which would send the member looking for letters.
    if not text.isdigit():
        return text, "Le SIRET ne doit contenir que des chiffres."
    if len(text) != 14:
        return text, f"Le SIRET compte 14 chiffres ({len(text)} saisis)."
    try:
        validate_siret(text)
    except ValidationError as error:
        return text, error.messages[0]
    return text, None
