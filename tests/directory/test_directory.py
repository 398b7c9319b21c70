import pytest
from django.db import connection

from directory.company_register import RegisterEstablishment
from directory.models import DirectoryEntry, DirectoryWord
from directory.selectors import directory_search
from directory.services import directory_upsert
from tests.factories.directory import directory_entries, valid_siret

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return directory_entries(
        {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"},
        {
            "siret": "19693045700011",
            "siren": "196930457",
            "name": "LYCÉE PROFESSIONNEL LES CANUTS",
            "postcode": "69120",
            "city": "VAULX-EN-VELIN",
        },
        {
            "siret": "21260209800015",
            "siren": "212602098",
            "name": "COMMUNE DE NYONS",
            "postcode": "26110",
            "city": "NYONS",
        },
        {
            "siret": valid_siret(7),
            "siren": valid_siret(7)[:9],
            "name": "COMMUNE DE VISAN",
            "postcode": "84820",
            "city": "VISAN",
        },
    )


def names(query):
    return [entry.name for entry in directory_search(query=query)]


def test_a_word_start_finds_names_and_sorts_them(directory):
    assert names("canut") == ["CANUT", "LYCÉE PROFESSIONNEL LES CANUTS"]
    assert names("lyc") == ["LYCÉE PROFESSIONNEL LES CANUTS"]


def test_accents_case_and_word_order_do_not_matter(directory):
    assert names("Lycée canuts") == names("CANUTS lycee") == ["LYCÉE PROFESSIONNEL LES CANUTS"]


def test_every_word_must_match(directory):
    assert names("commune nyons") == ["COMMUNE DE NYONS"]
    assert names("commune lyon") == []


def test_city_postcode_and_siret(directory):
    assert names("vaulx") == ["LYCÉE PROFESSIONNEL LES CANUTS"]
    assert names("26110") == ["COMMUNE DE NYONS"]
    assert names("924 435 951") == ["CANUT"]
    assert names("19693045700011") == ["LYCÉE PROFESSIONNEL LES CANUTS"]
    assert names("commune 84820") == ["COMMUNE DE VISAN"]


def test_nothing_to_search_finds_nothing(directory):
    assert names("") == names("  ") == names("a") == names("de la") == []


def test_the_label_is_the_registration_one(directory):
    assert directory[0].label == "CANUT [SIRET: 92443595100018] - [Commune: LYON (69002)]"


def test_upsert_counts_imported_updated_unchanged_and_refreshes_words(directory):
    entry = DirectoryEntry(
        siret="21260209800015",
        siren="212602098",
        name="MAIRIE DE NYONS",
        postcode="26110",
        city="NYONS",
        legal_category="7210",
    )
    same = DirectoryEntry(
        siret="92443595100018", siren="924435951", name="CANUT", postcode="69002", city="LYON", legal_category="7210"
    )
    new = DirectoryEntry(
        siret=valid_siret(8),
        siren=valid_siret(8)[:9],
        name="SDIS DU RHONE",
        postcode="69003",
        city="LYON",
        legal_category="7372",
    )
    assert directory_upsert(entries=[entry, same, new]) == {"imported": 1, "updated": 1, "unchanged": 1}
    assert names("mairie nyons") == ["MAIRIE DE NYONS"]
    assert names("commune nyons") == []
    assert not DirectoryWord.objects.filter(entry__siret="21260209800015", word="commune").exists()


def _plan(query):
    from directory.selectors import _entries_with_word

    sql, params = _entries_with_word(query).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        else:
            cursor.execute("SET enable_seqscan = off")  # tiny test tables: ask whether an index *can* serve
            cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_a_word_prefix_is_served_by_the_word_index(directory):
    plan = _plan("canu")
    assert "directory_word_idx" in plan
    assert "SCAN directory_directoryword" not in plan.replace("USING COVERING INDEX", "")


@pytest.mark.parametrize(
    "city, postcode, label",
    [
        ("NYONS", "26110", "X [SIRET: 21260210600016] - [Commune: NYONS (26110)]"),
        ("NYONS", "", "X [SIRET: 21260210600016] - [Commune: NYONS]"),
        ("", "26110", "X [SIRET: 21260210600016] - [Commune: 26110]"),
        ("", "", "X [SIRET: 21260210600016]"),
    ],
)
def test_the_label_leaves_out_empty_fields(city, postcode, label):
    entry = DirectoryEntry(name="X", siret="21260210600016", city=city, postcode=postcode)
    register = RegisterEstablishment(name="X", siren="212602106", siret="21260210600016", city=city, postcode=postcode)
    assert entry.label == register.label == label
