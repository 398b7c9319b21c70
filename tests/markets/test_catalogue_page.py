"""'Tous les marchés': bad input, the empty state, pagination, the form without JavaScript and the cards."""

import datetime

import pytest
from django.urls import reverse

from markets.access import Audience
from tests.factories.markets import (
    MarketDocumentFactory,
    MarketPageFactory,
    holder_entry,
    piece,
)
from tests.markets.catalogue_helpers import TODAY, titles


@pytest.mark.parametrize(
    "params",
    [
        {"titulaire": "inconnu", "theme": "nope"},
        {"statut": "n'importe quoi"},
        {"q": "x" * 10_000},
        {"q": "<script>alert('x')</script>"},
        {"q": "\"'; DROP TABLE markets_marketpage; --"},
        {"q": 'AND OR NOT * ( ) " :'},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "abc"},
    ],
)
def test_bad_input_gives_a_normal_page(client, market_index, catalogue, params):
    response = client.get(market_index.url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "marché" in html


def test_unknown_filter_values_are_ignored(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": ["inconnu", "scc"]})
    assert sorted(titles(response)) == ["Microsoft et alternatives", "Multi-éditeurs"]


def test_markup_in_query_is_escaped(client, market_index, catalogue):
    html = client.get(market_index.url, {"q": '<b onmouseover="x">'}).content.decode()
    assert '<b onmouseover="x">' not in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;" in html


def test_hostile_parameters_are_dropped_before_the_database(client, market_index, settings):
    """Even behind no NUL guard (core.middleware), the catalogue's form drops what is invalid."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "core.middleware.RejectNulBytesMiddleware"]
    MarketPageFactory(parent=market_index, title="Téléphonie")
    for params in (
        {"titulaire": "\x00"},
        {"theme": ["\x00", "<b>"], "q": "\x00"},
        {"statut": "<script>", "page": "99999999999999999999"},
        {"q": "x" * 10_000, "titulaire": "x" * 10_000},
    ):
        response = client.get(market_index.url, params)
        assert response.status_code == 200, params
    assert titles(client.get(market_index.url, {"titulaire": "\x00"})) == ["Téléphonie"]


def test_empty_state_helps(client, market_index, catalogue):
    html = client.get(market_index.url, {"q": "introuvable"}).content.decode()
    assert "0 marché trouvé" in html
    assert "Aucun marché ne correspond à votre recherche" in html
    assert "statut=tous" in html


def test_pagination_keeps_the_filters(client, market_index, catalogue):
    market_index.per_page = 2
    market_index.save_revision().publish()
    response = client.get(market_index.url, {"titulaire": "scc", "statut": "tous"})
    assert response.context["catalogue"].total == 3
    html = response.content.decode()
    assert "Page 1 sur 2" in html
    assert "titulaire=scc" in html and "statut=tous" in html and "page=2" in html
    page_two = client.get(market_index.url, {"titulaire": "scc", "statut": "tous", "page": 2})
    assert len(titles(page_two)) == 1
    # A page past the end shows the last one.
    assert titles(client.get(market_index.url, {"titulaire": "scc", "statut": "tous", "page": 999})) == titles(page_two)


def test_form_works_without_javascript(client, market_index, catalogue):
    html = client.get(market_index.url).content.decode()
    assert 'method="get"' in html
    assert '<label for="q"' in html
    assert 'type="submit"' in html


def test_cards_show_dates_public_pieces_and_subscribe(client, market_index, catalogue):
    scc = catalogue["holders"]["scc"]
    summary, cctp, bpu, ccap = (MarketDocumentFactory(title=t) for t in ("Fiche", "CCTP doc", "BPU doc", "CCAP doc"))
    market = MarketPageFactory(
        parent=market_index,
        title="Virtualisation",
        portal_url="https://services.example.fr/",
        notified_on=datetime.date(2024, 3, 19),
        ends_on=TODAY + datetime.timedelta(days=30),
        holders=[("holder", holder_entry(scc))],
        documents=[
            piece(summary, "summary", Audience.PUBLIC),
            piece(cctp, "cctp", Audience.PUBLIC),
            piece(bpu, "bpu", Audience.MEMBERS),
            piece(ccap, "ccap", Audience.PUBLIC),
        ],
    )
    html = client.get(market_index.url, {"q": "virtualisation"}).content.decode()
    assert "19/03/2024" in html
    assert "Accès portail SCC" in html
    assert summary.url in html and cctp.url in html
    assert bpu.url not in html  # members only
    assert ccap.url not in html  # not a card piece
    assert "Préparer sa souscription" in html
    subscribe_url = reverse("subscriptions:subscription_request", args=[market.pk])
    assert f"/compte/connexion/?next={subscribe_url}" in html
