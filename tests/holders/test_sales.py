"""The sales spreadsheet: the template round-trips, every problem is named by row and column."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.tables import TableInvalid
from holders import sales
from tests.factories.holders import sales_xlsx

LOTS = ["Lot n°1 – Téléphonie fixe", "Lot n°2 – Téléphonie mobile"]
SIRET = "21690012600014"
OTHER = "26840031400012"


def parse(content, lots=LOTS):
    return sales.parse(io.BytesIO(content), lots=lots)


def problems(content, lots=LOTS):
    with pytest.raises(TableInvalid) as caught:
        parse(content, lots)
    return [str(problem) for problem in caught.value.problems]


def test_template_lists_the_rows_given_and_reads_back_as_text():
    content = sales.template_bytes(rows=[("01234567800015", "COMMUNE A", LOTS[0])], title="S1 2025")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == list(sales.HEADERS)
    assert [cell.value for cell in sheet[2]][:3] == ["01234567800015", "COMMUNE A", LOTS[0]]


def test_template_with_amounts_filled_parses():
    content = sales.template_bytes(rows=[(SIRET, "COMMUNE", LOTS[0]), (OTHER, "HOPITAL", LOTS[1])], title="x")
    workbook = load_workbook(io.BytesIO(content))
    workbook.active["D2"] = 1500.5
    workbook.active["E2"] = 3
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = parse(buffer.getvalue())  # row 3 has no amount: no purchase, skipped
    assert [(line.siret, line.lot, line.amount, line.quantity) for line in lines] == [
        (SIRET, LOTS[0], Decimal("1500.50"), Decimal("3.00"))
    ]


def test_french_formats_and_a_siret_stored_as_number():
    lines = parse(sales_xlsx([(int(SIRET), "COMMUNE", LOTS[0].upper(), "12 345,60 €", "1\u202f000")]))
    assert lines[0].siret == SIRET
    assert lines[0].lot == LOTS[0]
    assert lines[0].amount == Decimal("12345.60")
    assert lines[0].quantity == Decimal("1000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (-5, "ne peut pas être négatif"),
        ("douze", "n'est pas un nombre"),
        (10**15, "trop grand"),
        ("1e400", "n'est pas un nombre"),
        ("", "obligatoire"),
    ],
)
def test_bad_amounts_are_named_by_row_and_column(amount, message):
    found = problems(sales_xlsx([(SIRET, "COMMUNE", LOTS[0], amount, 2)]))
    assert len(found) == 1
    assert found[0].startswith("Ligne 2, colonne « Montant HT (€) » :")
    assert message in found[0]


def test_every_problem_at_once():
    found = problems(
        sales_xlsx(
            [
                ("123", "COMMUNE", LOTS[0], 10, None),
                (SIRET, "", "Lot inconnu", 10, None),
                (SIRET, "COMMUNE", LOTS[1], 10, None),
                (SIRET, "COMMUNE", LOTS[1], 20, None),
            ]
        )
    )
    assert found[0].startswith("Ligne 2, colonne « SIRET » : Le SIRET compte 14 chiffres")
    assert any(text.startswith("Ligne 3, colonne « Établissement »") for text in found)
    assert any(text.startswith("Ligne 3, colonne « Lot »") for text in found)
    assert found[-1].startswith("Ligne 5, colonne « SIRET » : ce SIRET figure déjà ligne 4")


def test_one_lot_may_be_left_empty():
    assert parse(sales_xlsx([(SIRET, "COMMUNE", None, 10, None)]), lots=LOTS[:1])[0].lot == LOTS[0]


def test_formulas_are_refused():
    found = problems(sales_xlsx([(SIRET, "COMMUNE", LOTS[0], "=1+1", None)]))
    assert "contient une formule" in found[0]


def test_wrong_headers():
    found = problems(sales_xlsx([(SIRET, "COMMUNE", LOTS[0], 10, None)], headers=("A", "B")))
    assert found[0].startswith("Ligne 1 : les en-têtes doivent être « SIRET »")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"%PDF-1.4 hello", "PDF"),
        (b"PK\x03\x04broken", "endommagé"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "Excel 97-2003"),
        (b"SIRET;Montant\n1;2\n", "n'est pas un tableur .xlsx"),
    ],
)
def test_broken_files_give_one_french_message(content, message):
    found = problems(content)
    assert len(found) == 1 and message in found[0]


def test_size_is_bounded_before_reading(settings):
    found = problems(b"PK\x03\x04" + b"0" * (sales.MAX_BYTES + 1))
    assert "limite" in found[0]


def test_too_many_rows_are_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(sales.HEADERS))
    for _ in range(2 * sales.MAX_LINES + 101):
        sheet.append([None, None, None, None, "x" if False else None])
    sheet.cell(row=2 * sales.MAX_LINES + 102, column=1, value="fin")
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = problems(buffer.getvalue())
    assert "lignes" in found[0]


def test_empty_file_of_amounts():
    assert "aucun montant" in problems(sales_xlsx([(SIRET, "COMMUNE", LOTS[0], None, None)]))[0]
