"""The demo directory: INSEE stock files written by demo/directory.py, loaded by the
production import, found by the registration search."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from core.validators import validate_siret
from demo import directory
from directory.models import DirectoryEntry

pytestmark = pytest.mark.django_db


def test_the_stock_files_have_the_insee_columns_and_valid_numbers(tmp_path):
    units_path, establishments_path = directory.write_stock_files(tmp_path)
    with open(establishments_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 250
    assert len({row["siret"] for row in rows}) == len(rows)
    for row in rows:
        validate_siret(row["siret"])
        assert row["siret"] == row["siren"] + row["nic"]
    with open(units_path, newline="", encoding="utf-8") as handle:
        categories = {row["categorieJuridiqueUniteLegale"][:2] for row in csv.DictReader(handle)}
    assert categories == {"72", "73"}  # public bodies only: communes, departments, public establishments


def test_the_import_loads_them_all_and_a_second_run_changes_nothing():
    first, second = StringIO(), StringIO()
    directory.ensure_directory(first)
    count = DirectoryEntry.objects.count()
    directory.ensure_directory(second)
    assert count == len(list(directory.rows()))
    assert f"{count} établissements importés" in first.getvalue()
    assert f"0 établissements importés, 0 mis à jour, {count} inchangés, 0 rejetés" in second.getvalue()


def test_registration_finds_the_demo_commune_by_name_and_by_siret(client):
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())
    for query in ("nyons", "21260210600016"):
        page = client.get("/compte/inscription/", {"q": query}).content.decode()
        assert "COMMUNE DE NYONS [SIRET: 21260210600016] - [Commune: NYONS (26110)]" in page, query
    assert "CENTRE HOSPITALIER DE NYONS" in client.get("/compte/inscription/", {"q": "nyons"}).content.decode()
