"""Reading price pieces: headers, French numbers, errors by row and column, hostile files."""

import io
from decimal import Decimal

import pytest

from core.tables import TableUnreadable
from prices.parsing import parse_number, propose_columns, read_headers, read_price_table
from tests.prices.conftest import HEADERS, ROWS, csv_bytes, ods, xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 234,56 €", (Decimal("1234.56"), False)),
        ("1\u202f234,56\u00a0€ HT", (Decimal("1234.56"), False)),
        ("1.234,56", (Decimal("1234.56"), False)),
        ("12,5", (Decimal("12.5"), False)),
        ("13 %", (Decimal("13"), False)),
        (389, (Decimal("389"), False)),
        (12.5, (Decimal("12.5"), False)),
        ("Sur devis", (None, True)),
        ("", (None, False)),
        (None, (None, False)),
    ],
)
def test_french_numbers(value, expected):
    assert parse_number(value) == expected


def test_a_percentage_cell_reads_as_percent():
    assert parse_number(0.13, percent=True) == (Decimal("0.13") * 100, False)


@pytest.mark.parametrize("value", ["douze", "12,5,3", "1e400x", True])
def test_unreadable_numbers_say_so(value):
    with pytest.raises(ValueError):
        parse_number(value)


def test_mapping_is_proposed_from_french_headers():
    assert propose_columns(HEADERS) == {
        "publisher": "Éditeur",
        "designation": "Solution",
        "category": "Catégorie",
        "discount": "Remise minimale sur prix public",
        "list_price": "Prix public HT",
    }
    bpu = ["Référence", "Désignation", "Unité", "Prix maximum HT (€)"]
    assert propose_columns(bpu) == {
        "reference": "Référence",
        "designation": "Désignation",
        "unit": "Unité",
        "price": "Prix maximum HT (€)",
    }


def test_a_remembered_mapping_wins_where_its_headers_are_still_there():
    columns = propose_columns(["Code", "Libellé", "Tarif", "PU HT"], remembered={"price": "Tarif", "unit": "Absent"})
    assert columns["price"] == "Tarif" and "unit" not in columns and columns["reference"] == "Code"


def test_bpu_below_a_title_reads_every_line():
    content = xlsx(
        [
            ["MS-365-E3", "Microsoft 365 E3", "utilisateur/an", 389],
            ["PREST-J", "Journée d'expert", "jour", "sur devis"],
        ],
        headers=["Référence", "Désignation", "Unité", "Prix maximum HT (€)"],
        title="Bordereau des prix unitaires — Microsoft",
    )
    assert read_headers(io.BytesIO(content)) == (3, ["Référence", "Désignation", "Unité", "Prix maximum HT (€)"])
    parsed = read_price_table(io.BytesIO(content))
    assert parsed.ok
    first, second = parsed.lines
    assert (first.row, first.key, first.kind, first.price, first.net_price) == (
        4,
        "ms-365-e3",
        "prix",
        Decimal("389.00"),
        Decimal("389.00"),
    )
    assert second.on_quote and second.price is None and second.net_price is None


@pytest.mark.parametrize("make", [xlsx, csv_bytes, ods], ids=["xlsx", "csv", "ods"])
def test_catalogue_by_discount_gives_the_net_price_in_every_format(make):
    parsed = read_price_table(io.BytesIO(make(ROWS)))
    assert parsed.ok, parsed.errors
    acrobat = parsed.lines[0]
    assert (acrobat.publisher, acrobat.kind, acrobat.discount, acrobat.list_price, acrobat.net_price) == (
        "Adobe",
        "remise",
        Decimal("13.00"),
        Decimal("239.88"),
        Decimal("208.70"),
    )
    visio = parsed.lines[3]
    assert visio.discount == Decimal("10.00") and visio.list_price is None and visio.net_price is None


def test_csv_in_windows_1252():
    parsed = read_price_table(io.BytesIO(csv_bytes(ROWS, encoding="cp1252")))
    assert parsed.ok and parsed.lines[2].category == "Sécurité"


def test_every_wrong_row_is_reported_by_row_and_column_and_nothing_is_kept():
    rows = [
        ["Adobe", "Acrobat Pro", "PDF", "10 %", "100"],
        ["Adobe", "Acrobat Standard", "PDF", "treize", "100"],
        ["Adobe", "", "PDF", "10 %", "100"],
        ["Adobe", "Illustrator", "PDF", "130 %", "100"],
        ["Adobe", "Photoshop", "PDF", "10 %", "-5"],
        ["Adobe", "Acrobat Pro", "PDF", "10 %", "100"],
    ]
    parsed = read_price_table(io.BytesIO(xlsx(rows)))
    assert not parsed.ok and len(parsed.lines) == 1
    assert [(e["row"], e["column"]) for e in parsed.errors] == [(3, "D"), (4, "B"), (5, "D"), (6, "E"), (7, "B")]
    assert "treize" in parsed.errors[0]["message"] and "double" in parsed.errors[4]["message"]


def test_missing_price_column_is_one_clear_error():
    parsed = read_price_table(io.BytesIO(xlsx([["Adobe", "Acrobat"]], headers=["Éditeur", "Désignation"])))
    assert parsed.errors == [{"row": 1, "column": "", "message": "Indiquez la colonne du prix ou celle de la remise."}]


def test_an_editor_mapping_overrides_the_proposal():
    content = xlsx([["A1", "Licence", "10", "12"]], headers=["Référence", "Désignation", "Prix", "Autre prix"])
    parsed = read_price_table(io.BytesIO(content), columns={"designation": "Désignation", "price": "Autre prix"})
    assert parsed.lines[0].price == Decimal("12.00") and parsed.lines[0].reference == ""


@pytest.mark.parametrize("content", [b"%PDF-1.4", b"", b"PK\x03\x04garbage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx"])
def test_hostile_or_foreign_files_are_refused_in_french(content):
    with pytest.raises(TableUnreadable) as caught:
        read_price_table(io.BytesIO(content))
    assert caught.value.messages[0][0].isupper()


def test_a_file_without_headers_is_refused():
    with pytest.raises(TableUnreadable) as caught:
        read_headers(io.BytesIO(xlsx([[1, 2]], headers=["x", "y"])))
    assert caught.value.code == "no_headers"
