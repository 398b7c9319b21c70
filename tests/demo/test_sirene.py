"""The demo directory: SIRENE stock files generated in demo/, loaded by the real import."""

import csv
from io import StringIO

import pytest
from django.urls import reverse

from demo import sirene
from directory.management.commands.import_establishments import ESTABLISHMENT_COLUMNS, UNIT_COLUMNS
from directory.models import DirectoryEntry
from directory.selectors import directory_search

pytestmark = pytest.mark.django_db

NYONS = "21260210600016"


def load():
    out = StringIO()
    sirene.ensure_directory(stdout=out)
    return out.getvalue()


def test_the_stock_files_have_the_real_columns_and_are_the_same_each_run(tmp_path):
    units, establishments = sirene.write_stock(tmp_path)
    with open(units, encoding="utf-8") as handle:
        unit_rows = list(csv.DictReader(handle))
    with open(establishments, encoding="utf-8") as handle:
        establishment_rows = list(csv.DictReader(handle))
    assert set(UNIT_COLUMNS) <= set(unit_rows[0]) and set(ESTABLISHMENT_COLUMNS) <= set(establishment_rows[0])
    assert list(unit_rows[0])[:3] == ["siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale"]
    assert len(establishment_rows) > 300
    # No individual: every unit is a legal person, without first names or sex.
    assert all(not row["prenom1UniteLegale"] and not row["sexeUniteLegale"] for row in unit_rows)
    assert sirene.build_stock() == sirene.build_stock()


def test_the_import_loads_a_few_hundred_public_bodies_and_a_second_run_changes_nothing():
    first = load()
    total = DirectoryEntry.objects.count()
    assert 300 < total < 1000
    assert f"{total} établissements importés" in first
    categories = set(DirectoryEntry.objects.values_list("legal_category", flat=True))
    assert {"7210", "7220", "7331", "7346", "7361", "7364"} <= categories
    assert not DirectoryEntry.objects.exclude(legal_category__startswith="7").exists()  # the company is left out
    assert not DirectoryEntry.objects.filter(name__contains="ANCIENNE ECOLE").exists()  # closed
    assert "nom non diffusé : 1" in first and "établissement fermé : 1" in first

    second = load()
    assert f"0 établissements importés, 0 mis à jour, {total} inchangés" in second


def test_the_demo_member_s_commune_is_in_the_directory_as_the_register_spells_it():
    load()
    nyons = DirectoryEntry.objects.get(siret=NYONS)
    assert nyons.name == "COMMUNE DE NYONS" and nyons.is_head_office
    assert (nyons.street_name, nyons.postcode, nyons.city) == ("PLACE JOSEPH BUFFAVEN", "26110", "NYONS")
    assert [e.siret for e in directory_search(query=NYONS)] == [NYONS]
    found = [e.name for e in directory_search(query="nyons")]
    assert "COMMUNE DE NYONS" in found and "CENTRE COMMUNAL D'ACTION SOCIALE DE NYONS" in found
    assert "COMMUNAUTE DE COMMUNES DES BARONNIES EN DROME PROVENCALE" in found  # its seat is in Nyons


@pytest.mark.parametrize("query", ["nyons", NYONS])
def test_registration_search_finds_the_commune(client, settings, query):
    settings.COMPANY_REGISTER_URL = "http://127.0.0.1:9"  # never asked: the directory answers
    load()
    page = client.get(reverse("members:register"), {"q": query}).content.decode()
    assert "COMMUNE DE NYONS [SIRET: 21260210600016] - [Commune: NYONS (26110)]" in page
    assert "ne répond pas" not in page
