import csv

import pytest
from django.core.management import CommandError, call_command

from directory.models import DirectoryEntry
from directory.selectors import directory_search

pytestmark = pytest.mark.django_db

# Columns as INSEE publishes them, in another order and with a column we do not know:
# the import must read them by name.
UNIT_HEADER = [
    "statutDiffusionUniteLegale",
    "siren",
    "colonneAjouteeParInsee",
    "denominationUniteLegale",
    "sigleUniteLegale",
    "categorieJuridiqueUniteLegale",
    "etatAdministratifUniteLegale",
]
ESTABLISHMENT_HEADER = [
    "siret",
    "siren",
    "nic",
    "statutDiffusionEtablissement",
    "etablissementSiege",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "distributionSpecialeEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nouvelleColonne",
]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})
    return str(path)


def establishment(siret, **values):
    return {
        "siret": siret,
        "siren": siret[:9],
        "nic": siret[9:],
        "etatAdministratifEtablissement": "A",
        "etablissementSiege": "true",
        **values,
    }


@pytest.fixture
def files(tmp_path):
    units = write(
        tmp_path / "StockUniteLegale_utf8.csv",
        UNIT_HEADER,
        [
            {
                "siren": "130025265",
                "denominationUniteLegale": "DIRECTION INTERMINISTERIELLE DU NUMERIQUE",
                "categorieJuridiqueUniteLegale": "7120",
            },
            {
                "siren": "212602098",
                "denominationUniteLegale": "COMMUNE DE NYONS",
                "categorieJuridiqueUniteLegale": "7210",
            },
            {"siren": "196930457", "denominationUniteLegale": "[ND]", "categorieJuridiqueUniteLegale": "7331"},
            {
                "siren": "552081317",
                "denominationUniteLegale": "ELECTRICITE DE FRANCE",
                "categorieJuridiqueUniteLegale": "5599",
            },
        ],
    )
    establishments = write(
        tmp_path / "StockEtablissement_utf8.csv",
        ESTABLISHMENT_HEADER,
        [
            establishment(
                "13002526500013",
                numeroVoieEtablissement="20",
                typeVoieEtablissement="AV",
                libelleVoieEtablissement="DE SEGUR",
                codePostalEtablissement="75007",
                libelleCommuneEtablissement="PARIS",
                activitePrincipaleEtablissement="84.11Z",
            ),
            establishment(
                "21260209800015",
                typeVoieEtablissement="PL",
                libelleVoieEtablissement="BUFFAVEN",
                codePostalEtablissement="26110",
                libelleCommuneEtablissement="NYONS",
                activitePrincipaleEtablissement="84.11Z",
                complementAdresseEtablissement="[ND]",
            ),
            # A school whose unit's name is not disclosed but whose own name is.
            establishment(
                "19693045700011",
                denominationUsuelleEtablissement="LYCEE PROFESSIONNEL LES CANUTS",
                codePostalEtablissement="69120",
                libelleCommuneEtablissement="VAULX-EN-VELIN",
            ),
            establishment(
                "21260209800023", etatAdministratifEtablissement="F", codePostalEtablissement="26110"
            ),  # closed
            establishment("21260209800032"),  # checksum wrong
            establishment("55208131700018", codePostalEtablissement="75008"),  # private company: out of scope
        ],
    )
    return {"units": units, "establishments": establishments}


def run(files, **options):
    from io import StringIO

    out = StringIO()
    call_command(
        "import_establishments", units=files["units"], establishments=files["establishments"], stdout=out, **options
    )
    return out.getvalue()


def test_imports_public_bodies_with_their_address(files):
    output = run(files)
    assert "3 établissements importés, 0 mis à jour, 0 inchangés, 2 rejetés, 1 hors champ" in output
    assert "établissement fermé : 1" in output and "SIRET invalide : 1" in output
    dinum = DirectoryEntry.objects.get(siret="13002526500013")
    assert (
        dinum.name,
        dinum.street_number,
        dinum.street_name,
        dinum.postcode,
        dinum.city,
        dinum.ape_code,
        dinum.legal_category,
    ) == (
        "DIRECTION INTERMINISTERIELLE DU NUMERIQUE",
        "20",
        "AVENUE DE SEGUR",
        "75007",
        "PARIS",
        "84.11Z",
        "7120",
    )
    nyons = DirectoryEntry.objects.get(siret="21260209800015")
    assert (nyons.street_name, nyons.address_complement) == ("PLACE BUFFAVEN", "")
    assert DirectoryEntry.objects.get(siret="19693045700011").name == "LYCEE PROFESSIONNEL LES CANUTS"
    assert [e.siret for e in directory_search(query="canuts vaulx")] == ["19693045700011"]


def test_a_second_run_changes_nothing(files):
    run(files)
    output = run(files)
    assert "0 établissements importés, 0 mis à jour, 3 inchangés" in output
    assert DirectoryEntry.objects.count() == 3


def test_a_changed_row_is_updated(files, tmp_path):
    run(files)
    files["units"] = write(
        tmp_path / "units2.csv",
        UNIT_HEADER,
        [
            {
                "siren": "212602098",
                "denominationUniteLegale": "COMMUNE DE NYONS-LES-BAINS",
                "categorieJuridiqueUniteLegale": "7210",
            }
        ],
    )
    output = run(files)
    assert "0 établissements importés, 1 mis à jour" in output
    assert [e.name for e in directory_search(query="nyons bains")] == ["COMMUNE DE NYONS-LES-BAINS"]


def test_other_categories_on_request(files):
    output = run(files, categories="7,5")
    assert "4 établissements importés" in output
    assert DirectoryEntry.objects.filter(siret="55208131700018").exists()


def test_a_file_without_the_expected_columns_is_refused(files, tmp_path):
    files["units"] = write(tmp_path / "other.csv", ["nom", "ville"], [{"nom": "x"}])
    with pytest.raises(CommandError, match="colonnes absentes"):
        run(files)
