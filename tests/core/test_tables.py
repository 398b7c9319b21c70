"""Hostile and damaged spreadsheets: a clear refusal, bounded work, never a 500."""

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from core.tables import TableUnreadable, read_table

LIMITS = {"max_bytes": 2 * 1024 * 1024, "max_rows": 500, "max_columns": 5}


def workbook(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(content, name, change):
    """The same archive with one member rewritten by `change(text) -> text`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


def rows_of(content, **options):
    table = read_table(io.BytesIO(content), **{**LIMITS, **options})
    return [[cell.value for cell in row] for row in table.rows]


def refusal(content, **options):
    with pytest.raises(TableUnreadable) as caught:
        rows_of(content, **options)
    return caught.value.code, caught.value.messages[0]


SHEET = "xl/worksheets/sheet1.xml"


def test_a_good_workbook_reads_its_rows_and_skips_nothing_it_should_not():
    assert rows_of(workbook(["SIRET", "Nom"], ["21260209800015", "COMMUNE DE NYONS"], [], [1.5, None, True])) == [
        ["SIRET", "Nom"],
        ["21260209800015", "COMMUNE DE NYONS"],
        [],
        [1.5, True],
    ]


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("malformed sheet XML", (SHEET, lambda xml: xml.replace("</sheetData>", "<row><c></sheetData>"))),
        ("a cell reference past the last column", (SHEET, lambda xml: xml.replace('r="B2"', 'r="ZZZZZ9"'))),
        ("NaN in a numeric cell", (SHEET, lambda xml: re.sub(r"<v>1.5</v>", "<v>NaN</v>", xml))),
        ("text in a numeric cell", (SHEET, lambda xml: re.sub(r"<v>1.5</v>", "<v>abc</v>", xml))),
        (
            "a shared string past the table",
            (SHEET, lambda xml: re.sub(r'<c r="A1" t="inlineStr">.*?</c>', '<c r="A1" t="s"><v>999</v></c>', xml)),
        ),
        (
            "a workbook pointing to a missing sheet",
            ("xl/_rels/workbook.xml.rels", lambda xml: xml.replace("worksheets/sheet1.xml", "worksheets/absent.xml")),
        ),
    ],
)
def test_a_damaged_workbook_is_told_as_such(name, change):
    content = patched(workbook(["SIRET", "Nom"], ["21260209800015", 1.5]), *change)
    code, message = refusal(content)
    if code != "damaged":  # NaN is a number after all: read as such, never a crash
        pytest.fail(f"{name}: {code} {message}")
    assert message == "Ce fichier .xlsx est endommagé ou illisible : enregistrez-le à nouveau au format .xlsx."


def test_nan_reads_as_a_number_or_refuses_but_never_crashes():
    content = patched(workbook(["A"], [1.5]), SHEET, lambda xml: xml.replace("<v>1.5</v>", "<v>NaN</v>"))
    try:
        rows = rows_of(content)
    except TableUnreadable as error:
        assert error.code == "damaged"
    else:
        assert rows[1][0] != rows[1][0]  # NaN


def test_a_declared_huge_sheet_with_one_far_row_is_bounded():
    """4.9 KB declaring A1:XFD100000 with one row at 100,000: openpyxl alone pads every
    missing row to 16,384 cells (88 s of CPU); here the row bound stops it at once."""

    def huge(xml):
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD100000"/>', xml)
        far_row = '<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", far_row + "</sheetData>")

    content = patched(workbook(["SIRET"], ["21260209800015"]), SHEET, huge)
    assert len(content) < 10_000
    start = time.process_time()
    code, message = refusal(content)
    assert time.process_time() - start < 2
    assert code == "too_many_rows" and "500" in message


def test_inflated_archives_and_foreign_files_are_refused_by_content():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (30 * 1024 * 1024) + "</a>")
    assert refusal(bomb.getvalue())[0] == "inflated"
    assert refusal(b"%PDF-1.7 ...")[0] == "pdf"
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)[0] == "xls"
    assert refusal(b"SIRET;Nom\n1;2\n", formats={"xlsx"})[0] == "not_a_table"
    assert refusal(b"")[0] == "empty"


def test_size_is_checked_before_reading():
    big = io.BytesIO(b"x" * 100)
    big.size = 3 * 1024 * 1024
    with pytest.raises(TableUnreadable, match="pèse 3 Mo : la limite est de 2 Mo"):
        read_table(big, **LIMITS)


def test_csv_in_windows_1252_with_semicolons():
    content = "SIRET;Désignation;Prix\n123;Écran 27 pouces;1 234,56 €\n".encode("cp1252")
    assert rows_of(content) == [["SIRET", "Désignation", "Prix"], ["123", "Écran 27 pouces", "1 234,56 €"]]


def test_csv_with_a_huge_field_is_refused():
    content = ("a;" + "b" * 20_000 + "\n").encode()
    assert refusal(content)[0] == "damaged"


def ods(content_xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content_xml)
    return buffer.getvalue()


ODS_HEAD = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
)
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def test_ods_values_formulas_and_repeats():
    content = ods(
        ODS_HEAD + '<table:table table:name="Prix">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Référence</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Prix</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>AB-1</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="12.5" table:formula="of:=10+2.5"/>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        '</table:table><table:table table:name="Autre"/>' + ODS_TAIL
    )
    table = read_table(io.BytesIO(content), formats={"ods"}, max_bytes=10**6, max_rows=3, max_columns=5)
    assert table.format == "ods" and table.sheet_names == ["Prix"]
    first, second, filler = next(table.rows), next(table.rows), next(table.rows)
    assert [c.value for c in first] == ["Référence", "Prix"]
    assert [(c.coordinate, c.value, c.formula) for c in second] == [("A2", "AB-1", False), ("B2", 12.5, True)]
    assert filler == []
    with pytest.raises(TableUnreadable) as caught:
        next(table.rows)  # the filler's millions of rows stop at the bound
    assert caught.value.code == "too_many_rows"


def test_ods_is_refused_where_only_xlsx_is_accepted():
    assert refusal(ods(ODS_HEAD + ODS_TAIL), formats={"xlsx"})[0] == "ods"


def test_xml_entity_expansion_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        + ODS_HEAD.replace("<office:body>", "<office:body>&lol2;")
        + ODS_TAIL
    )
    assert refusal(ods(bomb), formats={"ods"})[0] == "damaged"
