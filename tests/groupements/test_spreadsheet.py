"""The template members download and the parser of what they send back."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from groupements import spreadsheet as sheets
from groupements.spreadsheet import EXAMPLE_ROW, HEADERS, SpreadsheetInvalid, parse
from tests.factories.directory import valid_siret
from tests.factories.groupements import child_rows, xlsx

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = [(row.siret, row.name, row.email) for row in child_rows(3)]
PARENT_SIRET = "92443595100018"


def problems_of(content, **kwargs):
    with pytest.raises(SpreadsheetInvalid) as caught:
        parse(io.BytesIO(content), **kwargs)
    return [str(problem) for problem in caught.value.problems]


# The template --------------------------------------------------------------------------


def test_template_has_headers_example_row_validation_and_frozen_header():
    workbook = load_workbook(io.BytesIO(sheets.template_bytes()))
    assert len(workbook.worksheets) == 1
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert [cell.value for cell in sheet[2]] == list(EXAMPLE_ROW)
    assert sheet.freeze_panes == "A2"
    assert sheet["A3"].number_format == "@"  # SIRET typed as text keeps its leading zeros
    assert sheet.column_dimensions["B"].width == 45

    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    siret = validations["A2:A2001"]
    assert (siret.type, siret.operator, siret.formula1) == ("textLength", "equal", "14")
    assert siret.showErrorMessage and "14 chiffres" in siret.error
    email = validations["C2:C2001"]
    assert email.type == "custom" and '"@"' in email.formula1


def test_example_row_passes_the_checks_but_is_refused_if_left_in():
    assert problems_of(sheets.template_bytes()) == [
        "Ligne 2 : c'est la ligne d'exemple du tableur : remplacez-la par vos établissements ou supprimez-la."
    ]


def test_rows_written_back_in_the_template_layout_read_back_the_same():
    rows = child_rows(4)
    assert parse(io.BytesIO(sheets.rows_bytes(rows))) == rows


# Good files ------------------------------------------------------------------------------


def test_good_spreadsheet_gives_its_rows():
    rows = parse(io.BytesIO(xlsx(GOOD)))
    assert [(r.number, r.siret, r.name, r.email) for r in rows] == [(i + 2, *values) for i, values in enumerate(GOOD)]


def test_spaces_trimmed_and_empty_rows_skipped():
    siret, name, email = GOOD[0]
    content = xlsx(
        [(None, None, None), ("  ", "", None), (f" {siret[:3]} {siret[3:]} ", "  COMMUNE   DE  NYONS ", f" {email} ")]
    )
    [row] = parse(io.BytesIO(content))
    assert (row.number, row.siret, row.name, row.email) == (4, siret, "COMMUNE DE NYONS", email)


def test_header_compared_without_case_or_extra_spaces():
    assert len(parse(io.BytesIO(xlsx(GOOD, headers=(" siret", "Nom de la  structure", "EMAIL DE CONTACT "))))) == 3


@pytest.mark.parametrize("stored", [int("01690013600017"), float("01690013600017"), 1690013600017.0, "01690013600017"])
def test_siret_stored_as_a_number_is_read_as_14_digit_text(stored):
    [row] = parse(io.BytesIO(xlsx([(stored, "SYNDICAT DES EAUX", "dsi@syndicat.example.fr")])))
    assert row.siret == "01690013600017"


def test_file_saved_by_libreoffice_from_a_csv():
    """SIRETs became numbers (one lost its leading zero), a blank row and padded spaces."""
    with open(FIXTURES / "libreoffice-from-csv.xlsx", "rb") as handle:
        rows = parse(handle)
    assert [(r.number, r.siret, r.name) for r in rows] == [
        (2, "21260220500016", "COMMUNE DE NYONS"),
        (3, "01690013600017", "SYNDICAT DES EAUX DU RHONE"),
        (5, "21840138800010", "COMMUNE DE VISAN"),
    ]


def test_portal_template_filled_then_saved_again_by_libreoffice():
    with open(FIXTURES / "libreoffice-template.xlsx", "rb") as handle:
        assert "LibreOffice" in zipfile.ZipFile(handle).read("docProps/app.xml").decode()
        rows = parse(handle)
    assert [r.siret for r in rows] == ["21260220500016", "01690013600017"]


# Bad rows: every problem listed by row and column, at once -----------------------------


def test_bad_siret_format_length_and_checksum():
    siret = GOOD[0][0]
    wrong_key = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    content = xlsx(
        [
            ("2126022050001A", "A", "a@a.fr"),
            ("2126022050", "B", "b@b.fr"),
            (wrong_key, "C", "c@c.fr"),
            (None, "D", "d@d.fr"),
        ]
    )
    assert problems_of(content) == [
        "Ligne 2, colonne SIRET : Le SIRET ne doit contenir que des chiffres.",
        "Ligne 3, colonne SIRET : Le SIRET compte 14 chiffres (10 saisis).",
        "Ligne 4, colonne SIRET : Ce SIRET n'existe pas : vérifiez les chiffres saisis.",
        "Ligne 5, colonne SIRET : le SIRET est obligatoire.",
    ]


def test_missing_name_and_bad_email():
    content = xlsx(
        [(GOOD[0][0], "  ", GOOD[0][2]), (GOOD[1][0], GOOD[1][1], "mairie.example.fr"), (GOOD[2][0], GOOD[2][1], None)]
    )
    assert problems_of(content) == [
        "Ligne 2, colonne Nom de la structure : le nom de la structure est obligatoire.",
        "Ligne 3, colonne Email de contact : « mairie.example.fr » n'est pas une adresse e-mail valide.",
        "Ligne 4, colonne Email de contact : l'email de contact est obligatoire.",
    ]


def test_duplicate_siret_points_to_its_first_row():
    content = xlsx([GOOD[0], GOOD[1], (int(GOOD[0][0]), "AUTRE NOM", "autre@commune.example.fr")])
    assert problems_of(content) == ["Ligne 4, colonne SIRET : ce SIRET figure déjà ligne 2."]


def test_parent_cannot_be_its_own_child():
    content = xlsx([GOOD[0], (PARENT_SIRET, "CANUT", "canut@canut.org")])
    assert problems_of(content, parent_siret=PARENT_SIRET) == [
        "Ligne 3, colonne SIRET : c'est le SIRET de l'établissement parent, qui fait déjà partie du groupement."
    ]


def test_all_problems_of_all_rows_listed_together():
    content = xlsx([("123", None, "x"), GOOD[0], ("456", "B", "b@b.fr")])
    assert problems_of(content) == [
        "Ligne 2, colonne SIRET : Le SIRET compte 14 chiffres (3 saisis).",
        "Ligne 2, colonne Nom de la structure : le nom de la structure est obligatoire.",
        "Ligne 2, colonne Email de contact : « x » n'est pas une adresse e-mail valide.",
        "Ligne 4, colonne SIRET : Le SIRET compte 14 chiffres (3 saisis).",
    ]


def test_formula_refused():
    content = xlsx([GOOD[0], ('=CONCATENATE("2126","0220500016")', "B", "b@b.fr")])
    [problem] = problems_of(content)
    assert problem.startswith("Ligne 3, colonne SIRET : la cellule A3 contient une formule (=CONCATENATE(")
    assert "Collage spécial > Valeurs seulement" in problem


def test_cells_beyond_the_three_columns_refused():
    assert problems_of(xlsx([(*GOOD[0], "commentaire")])) == [
        "Ligne 2 : la cellule D2 est remplie au-delà des trois colonnes du tableau : videz-la."
    ]


def test_date_in_siret_cell_refused():
    import datetime

    assert problems_of(xlsx([(datetime.date(2024, 6, 21), "A", "a@a.fr")])) == [
        "Ligne 2, colonne SIRET : la cellule ne contient pas un SIRET (une date ?) : saisissez 14 chiffres."
    ]


# Bad files -------------------------------------------------------------------------------


def test_wrong_header():
    [problem] = problems_of(xlsx(GOOD, headers=("Siret", "Nom", "Mail")))
    assert problem.startswith(
        "Ligne 1 : les en-têtes doivent être « SIRET », « Nom de la structure », « Email de contact »"
    )
    assert "(trouvés : « Siret », « Nom », « Mail »)" in problem


def test_extra_header_column_refused():
    [problem] = problems_of(xlsx(GOOD, headers=(*HEADERS, "Commentaire")))
    assert problem.startswith("Ligne 1 : les en-têtes doivent être")


def test_extra_sheet_refused():
    assert problems_of(xlsx(GOOD, extra_sheets=["Feuil2"])) == [
        "Le classeur contient 2 feuilles (« Sheet », « Feuil2 ») : "
        "ne gardez que la feuille du tableau des établissements."
    ]


def test_headers_only():
    assert problems_of(xlsx([])) == [
        "Le tableur ne contient aucun établissement : ajoutez une ligne par établissement sous les en-têtes."
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Ce fichier est un PDF, pas un tableur"),
        (
            b"SIRET;Nom de la structure;Email de contact\n21260220500016;NYONS;a@a.fr\n",
            "Ce fichier n'est pas un tableur .xlsx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "Ce fichier est au format Excel 97-2003 (.xls) ou protégé par un mot de passe",
        ),
        (b"", "Le fichier est vide."),
    ],
    ids=["pdf-renamed-xlsx", "csv", "xls", "empty"],
)
def test_not_a_spreadsheet(content, expected):
    [problem] = problems_of(content)
    assert problem.startswith(expected)


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_ods_asks_for_xlsx():
    [problem] = problems_of(_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}))
    assert "OpenDocument (.ods)" in problem and "Excel 2007-365 (.xlsx)" in problem


def test_other_zip_or_damaged_xlsx():
    assert problems_of(_zip({"word/document.xml": "<x/>"}))[0].startswith("Cette archive n'est pas un tableur .xlsx")
    assert problems_of(xlsx(GOOD)[:800])[0].startswith("Ce fichier .xlsx est endommagé ou illisible")


def test_too_large(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.GROUPEMENT_SPREADSHEET_MAX_BYTES = 2 * 1024 * 1024
    content = xlsx(GOOD) + b"\0" * (2 * 1024 * 1024 + 50_000)
    with pytest.raises(SpreadsheetInvalid) as caught:
        parse(SimpleUploadedFile("gros.xlsx", content))
    assert caught.value.messages == ["Le fichier pèse 2,1 Mo : la limite est de 2 Mo."]
    # A stream whose size is unknown is read no further than the limit.
    assert problems_of(content) == ["Le fichier dépasse la limite de 2 Mo."]


def test_too_many_rows():
    rows = [(valid_siret(i), f"COMMUNE {i}", f"c{i}@commune.example.fr") for i in range(2001)]
    assert problems_of(xlsx(rows)) == [
        "Le tableur compte plus de 2\u202f000 lignes d'établissements (limite : 2\u202f000) : "
        "répartissez-les en plusieurs groupements."
    ]
    assert len(parse(io.BytesIO(xlsx(rows[:2000])))) == 2000
