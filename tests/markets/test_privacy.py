"""The public index holds what the public page shows; Wagtail page privacy holds everywhere.

A word found only in a subscribers' piece title, a members' piece title or a lot title must
not find the market; a market behind a password, a login or a group shows in no list or
search of a visitor who has not passed it, and its pieces do not download.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from markets.access import Audience
from members.models import User
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    holder_entry,
    lot,
    piece,
)

CONTENT = b"%PDF-1.4 contenu"


def titles(response):
    return [market.title for market in response.context["catalogue"].page]


def site_titles(response):
    return [page.title for page in response.context["results"]]


def document(title):
    doc = MarketDocumentFactory(title=title)
    doc.file.save("piece.pdf", ContentFile(CONTENT))
    return doc


@pytest.fixture
def market(market_index):
    return MarketPageFactory(
        parent=market_index,
        title="Téléphonie mobile",
        lots=[lot(1, "Terminaux durcis", holder_entry(HolderFactory(name="ORANGE")))],
        documents=[
            piece(document("Règlement de consultation"), "other", Audience.PUBLIC),
            piece(document("Fiche adhérents"), "other", Audience.MEMBERS, title="Grille tarifaire confidentielle"),
            piece(document("Avenant numéro 2"), "other", Audience.SUBSCRIBERS),
        ],
    )


def active_member(email="dsi@cd54.fr"):
    return User.objects.create_user(email, "un-mot-de-passe-solide", status=User.Status.ACTIVE)


@pytest.mark.parametrize("word", ["avenant", "confidentielle", "durcis"])
def test_restricted_words_find_nothing(client, market_index, market, word):
    response = client.get(market_index.url, {"q": word, "statut": "tous"})
    assert titles(response) == []
    assert "0 marché trouvé" in response.content.decode()
    assert site_titles(client.get("/recherche/", {"q": word})) == []


@pytest.mark.parametrize("word", ["avenant", "durcis"])
def test_restricted_words_find_nothing_for_a_member_either(client, market_index, market, word):
    client.force_login(active_member())
    assert titles(client.get(market_index.url, {"q": word, "statut": "tous"})) == []


@pytest.mark.parametrize("word", ["reglement", "telephonie", "orange"])
def test_what_the_public_page_shows_is_found(client, market_index, market, word):
    assert titles(client.get(market_index.url, {"q": word, "statut": "tous"})) == ["Téléphonie mobile"]
    assert site_titles(client.get("/recherche/", {"q": word})) == ["Téléphonie mobile"]


# Page privacy ----------------------------------------------------------------------------


def restrict(page, kind, **kwargs):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **kwargs)
    return restriction


def public_document(market):
    return market.pieces.get(audience=Audience.PUBLIC).document


def download(client, doc):
    response = client.get(doc.url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response.status_code, body


def test_login_restricted_market_is_hidden_from_visitors_only(client, market_index, market):
    restrict(market, PageViewRestriction.LOGIN)
    assert titles(client.get(market_index.url)) == []
    assert site_titles(client.get("/recherche/", {"q": "telephonie"})) == []
    status, body = download(client, public_document(market))
    assert status == 302 and CONTENT not in body
    client.force_login(active_member())
    assert titles(client.get(market_index.url)) == ["Téléphonie mobile"]
    assert site_titles(client.get("/recherche/", {"q": "telephonie"})) == ["Téléphonie mobile"]
    assert download(client, public_document(market)) == (200, CONTENT)


def test_results_cached_for_a_reader_who_passes_a_restriction_stay_hidden_from_others(client, market_index, market):
    restrict(market, PageViewRestriction.LOGIN)
    client.force_login(active_member())
    for params in ({}, {"q": "telephonie"}):
        assert titles(client.get(market_index.url, params)) == ["Téléphonie mobile"]
    client.logout()
    for params in ({}, {"q": "telephonie"}):
        assert titles(client.get(market_index.url, params)) == []


def test_password_restricted_market_shows_only_once_the_password_is_given(client, market_index, market):
    restrict(market, PageViewRestriction.PASSWORD, password="sesame-2026")
    client.force_login(active_member())
    assert titles(client.get(market_index.url, {"q": "telephonie"})) == []
    assert site_titles(client.get("/recherche/", {"q": "telephonie"})) == []
    status, body = download(client, public_document(market))
    assert status == 403 and CONTENT not in body
    assert market.title.encode() not in body and market.url.encode() not in body  # the refusal names no market
    # The page asks for the password; once given, this session sees the market.
    assert client.get(market.url).status_code == 200
    assert "sesame" not in client.get(market.url).content.decode()
    restriction = PageViewRestriction.objects.get(page=market)
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{market.pk}/"
    client.post(form_url, {"password": "sesame-2026", "return_url": market.url})
    assert titles(client.get(market_index.url, {"q": "telephonie"})) == ["Téléphonie mobile"]
    assert download(client, public_document(market)) == (200, CONTENT)


def test_group_restricted_market_shows_to_the_group_only(client, market_index, market):
    group = Group.objects.create(name="DSI partenaires")
    restrict(market, PageViewRestriction.GROUPS).groups.add(group)
    outsider = active_member("autre@cd54.fr")
    client.force_login(outsider)
    assert titles(client.get(market_index.url)) == []
    assert download(client, public_document(market))[0] == 403
    outsider.groups.add(group)
    assert titles(client.get(market_index.url)) == ["Téléphonie mobile"]
    assert download(client, public_document(market)) == (200, CONTENT)


def test_restriction_on_the_catalogue_hides_every_market(client, market_index, market):
    restrict(market_index, PageViewRestriction.LOGIN)
    assert site_titles(client.get("/recherche/", {"q": "telephonie"})) == []
    assert download(client, public_document(market))[0] == 302


def test_showcase_figures_and_latest_markets_leave_private_markets_out(client, home_page, market_index, market):
    restrict(market, PageViewRestriction.LOGIN)
    body = client.get(home_page.url).content.decode()
    assert "Téléphonie mobile" not in body
