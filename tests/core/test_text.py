"""core.text: the one folding rule search, the directory and conventions compare words by."""

import pytest

from core.text import MAX_QUERY_LENGTH, fold, fold_key, fold_name, fold_query, strip_accents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sécurité", "Securite"),
        ("Œuvre à Saint-Étienne", "Œuvre a Saint-Etienne"),  # a ligature is a letter, not an accent
        ("ÇA GÈRE", "CA GERE"),
        ("plain ascii", "plain ascii"),
        ("", ""),
        (None, ""),
    ],
)
def test_strip_accents_keeps_the_letters_without_their_accents(text, expected):
    assert strip_accents(text) == expected


def test_fold_meets_accents_case_and_plurals():
    assert fold("Sécurité des RÉSEAUX") == fold("securite reseau") == "securite reseau"
    assert fold("Logiciels") == fold("logiciel") == "logiciel"


def test_fold_drops_french_stop_words_and_punctuation():
    assert fold("Prestation de formation, pour les agents d'une commune !") == "prestation formation agent commune"


def test_fold_keeps_short_words_and_numbers_as_they_are():
    # Three letters and fewer are not plurals ("bus", "gps").
    assert fold("bus gps 365 x") == "bus gps 365 x"
    assert fold("Écrans 27 pouces") == "ecran 27 pouce"


def test_fold_query_cuts_long_queries_instead_of_refusing_them():
    query = "logiciels " * 100
    assert len(query) > MAX_QUERY_LENGTH
    folded = fold_query(query)
    assert folded.split() == ["logiciel"] * (MAX_QUERY_LENGTH // len("logiciels "))
    assert fold_query(None) == fold_query("") == ""


def test_fold_name_keeps_every_word_for_sorting():
    assert fold_name("  Le Bureau des Écoles ") == "le bureau des ecoles"
    assert len(fold_name("é" * 400)) == 255


def test_fold_key_names_one_key_whatever_the_spelling():
    assert fold_key("Établissement") == fold_key("etablissement") == fold_key(" ETABLISSEMENT ") == "etablissement"
    assert fold_key("Code APE") == fold_key("code-ape") == "code_ape"
