import time

import pytest

from directory.company_register import (
    CompanyRegisterUnavailable,
    RegisterEstablishment,
    company_register_search,
    parse_search_response,
)
from tests.directory.register import register_sample


def test_parser_reads_the_real_answer():
    [dinum] = parse_search_response(register_sample())
    assert dinum == RegisterEstablishment(
        name="DIRECTION INTERMINISTERIELLE DU NUMERIQUE",
        siren="130025265",
        siret="13002526500013",
        ape_code="84.11Z",
        street_number="20",
        street_name="AVENUE DE SEGUR",
        postcode="75007",
        city="PARIS",
        legal_category="7120",
        is_public_sector=True,
    )
    assert dinum.label == "DIRECTION INTERMINISTERIELLE DU NUMERIQUE [SIRET: 13002526500013] - [Commune: PARIS (75007)]"


def test_parser_falls_back_on_the_head_office_and_the_one_line_address():
    payload = register_sample()
    unit = payload["results"][0]
    unit["matching_etablissements"] = []
    for key in ("numero_voie", "type_voie", "libelle_voie"):
        unit["siege"][key] = None
    [dinum] = parse_search_response(payload)
    assert (dinum.siret, dinum.street_number, dinum.street_name) == ("13002526500013", "20", "AVENUE DE SEGUR")


def test_parser_keeps_at_most_the_limit():
    payload = register_sample()
    unit = payload["results"][0]
    unit["matching_etablissements"] = [
        {**unit["matching_etablissements"][0], "siret": f"1300252650{n:04d}"} for n in range(30)
    ]
    assert len(parse_search_response(payload, limit=25)) == 25


def test_search_asks_the_api_and_caches_the_answer(register_api):
    results = company_register_search(query="dinum")
    assert [r.siret for r in results] == ["13002526500013"]
    assert register_api.requests == [("/search", {"q": ["dinum"], "page": ["1"], "per_page": ["25"]})]
    company_register_search(query="DINUM")
    assert len(register_api.requests) == 1


def test_short_queries_are_not_sent(register_api):
    assert company_register_search(query="ab") == []
    assert register_api.requests == []


def test_a_short_retry_after_is_waited_then_retried(register_api):
    register_api.answers = [(429, {"Retry-After": "1"}, {"erreur": "Trop de requêtes"})]
    start = time.monotonic()
    results = company_register_search(query="dinum")
    assert time.monotonic() - start >= 1
    assert [r.siret for r in results] == ["13002526500013"]
    assert len(register_api.requests) == 2


def test_a_long_retry_after_stops_every_call_until_it_passes(register_api):
    register_api.answers = [(429, {"Retry-After": "120"}, {"erreur": "Trop de requêtes"})]
    with pytest.raises(CompanyRegisterUnavailable):
        company_register_search(query="dinum")
    with pytest.raises(CompanyRegisterUnavailable):
        company_register_search(query="canut")
    assert len(register_api.requests) == 1  # the second call did not knock again


@pytest.mark.parametrize(
    "answer", [(500, {}, {"erreur": "interne"}), (200, {}, "<html>maintenance</html>"), (404, {}, {})]
)
def test_errors_and_garbled_answers_are_unavailable(register_api, answer):
    register_api.answers = [answer]
    with pytest.raises(CompanyRegisterUnavailable):
        company_register_search(query="dinum")


def test_a_slow_register_times_out(register_api, settings):
    settings.COMPANY_REGISTER_TIMEOUT = 0.3
    register_api.delay = 1
    start = time.monotonic()
    with pytest.raises(CompanyRegisterUnavailable):
        company_register_search(query="dinum")
    assert time.monotonic() - start < 1


def test_an_unreachable_register_is_unavailable():
    # The autouse fixture points the client at a closed port.
    with pytest.raises(CompanyRegisterUnavailable):
        company_register_search(query="dinum")
