import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from wagtail.models import PageViewRestriction

from markets.access import PIECES_PERMISSION, Audience
from tests.factories.markets import HolderFactory, MarketDocumentFactory, ThemeFactory, holder_entry, piece

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v2/marches/", "/api/v2/titulaires/", "/api/v2/themes/"]


@pytest.fixture
def catalogue(make_market):
    theme = ThemeFactory(name="Logiciel")
    sub = ThemeFactory(name="Bureautique", parent=theme)
    holder = HolderFactory(name="SOFTCORNER", website="https://softcorner.example")
    public, members, subscribers = (MarketDocumentFactory(title=t) for t in ("Fiche publique", "CCAP adh", "BPU sous"))
    market = make_market(
        title="Licences bureautiques",
        holders=[("holder", holder_entry(holder, email="contact-secret@softcorner.example"))],
        documents=[
            piece(public, "summary", Audience.PUBLIC),
            piece(members, "ccap", Audience.MEMBERS),
            piece(subscribers, "bpu", Audience.SUBSCRIBERS),
        ],
    )
    market.themes.set([sub])
    market.save()
    hidden_holder = HolderFactory(name="HOLDER CACHÉ")
    private = make_market(title="Marché privé", holders=[("holder", holder_entry(hidden_holder))])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = make_market(title="Marché brouillon")
    draft.unpublish()
    return market


def walk(client):
    """Every endpoint's listing with every field, and every item's detail."""
    seen = {}
    for endpoint in ENDPOINTS:
        response = client.get(endpoint, {"fields": "*"})
        assert response.status_code == 200, response.content
        items = response.json()["items"]
        seen[endpoint] = items
        for item in items:
            detail = client.get(f"{endpoint}{item['id']}/")
            assert detail.status_code == 200
            seen[f"{endpoint}{item['id']}/"] = detail.json()
    return seen


def test_every_endpoint_shows_the_same_public_fields_to_anyone(client, catalogue, member):
    anonymous = walk(client)
    assign_perm(PIECES_PERMISSION, member, catalogue)
    client.force_login(member)
    subscriber = walk(client)
    assert anonymous == subscriber

    text = repr(anonymous)
    assert "Licences bureautiques" in text and "SOFTCORNER" in text and "Fiche publique" in text
    for secret in (
        "CCAP adh",
        "BPU sous",
        "contact-secret",
        "Jeanne Martin",
        "Marché privé",
        "HOLDER CACHÉ",
        "brouillon",
    ):
        assert secret not in text
    (market,) = anonymous["/api/v2/marches/"]
    assert set(market) == {
        "id", "meta", "title", "subtitle", "summary", "notified_on", "ends_on", "portal_url", "status",
        "market_themes", "market_holders", "public_pieces",
    }  # fmt: skip
    assert market["market_themes"][0]["name"] == "Bureautique"
    assert market["public_pieces"][0]["url"].startswith("http://testserver/documents/")


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "logiciel"},
        {"theme": "bureautique"},
        {"holder": "softcorner"},
        {"status": "en-cours"},
        {"search": "bureautiques"},
    ],
)
def test_filters_find_the_market(client, catalogue, params):
    items = client.get("/api/v2/marches/", params).json()["items"]
    assert [item["title"] for item in items] == ["Licences bureautiques"]


@pytest.mark.parametrize(
    "params",
    [{"theme": "inconnu"}, {"holder": "x" * 300}, {"status": "termines"}, {"search": "introuvablexyz"}],
)
def test_filters_without_match_give_an_empty_list(client, catalogue, params):
    assert client.get("/api/v2/marches/", params).json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999999",
        "offset=" + "9" * 5000,
        "limit=100000000000000000000",
        "limit=-1",
        "offset=10001",
        "fields=_,body",
        "fields=lots",
        "fields=documents",
        "fields=holders",
        "fields=unknown",
        "unknown=1",
        "status=bogus",
        "order=title",
        "child_of=1",
        "search=" + "a" * 500,
        "theme=%00",
        "search=%00",
        "holder=%00",
        "offset=-1",
    ],
)
def test_hostile_parameters_give_400_never_500(client, catalogue, query):
    for endpoint in ENDPOINTS:
        response = client.get(f"{endpoint}?{query}")
        assert response.status_code in (400, 200), (endpoint, query, response.status_code)
        if response.status_code == 200:
            assert response.json()["items"] == [] or "marches" not in endpoint


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "1" * 40])
def test_unknown_or_huge_ids_give_404(client, catalogue, pk):
    for endpoint in ENDPOINTS:
        assert client.get(f"{endpoint}{pk}/").status_code == 404


def test_query_count_does_not_grow_with_the_number_of_markets(client, make_market):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v2/marches/", {"fields": "*", "limit": 20}).status_code == 200
        return len(queries)

    theme = ThemeFactory()
    document = MarketDocumentFactory()
    for _ in range(2):
        make_market(documents=[piece(document, "summary", Audience.PUBLIC)]).themes.set([theme])
    few = count()
    for _ in range(8):
        make_market(documents=[piece(document, "summary", Audience.PUBLIC)]).themes.set([theme])
    count()
    many = count()
    assert many <= few, (few, many)  # 9 or 10: a site lookup Wagtail caches or not, whatever the count


def test_the_api_is_rate_limited(client, catalogue, settings):
    settings.OPENDATA_API_HOURLY_LIMIT = 3
    statuses = [client.get("/api/v2/themes/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_openapi_description_names_every_endpoint_and_filter(client):
    document = client.get("/api/v2/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/marches/", "/marches/{id}/", "/titulaires/", "/titulaires/{id}/", "/themes/", "/themes/{id}/"} == set(
        document["paths"]
    )
    names = {p["name"] for p in document["paths"]["/marches/"]["get"]["parameters"]}
    assert names == {"limit", "offset", "fields", "theme", "holder", "status", "search"}
    assert "Licence Ouverte 2.0" in document["info"]["license"]["name"]


def test_upcoming_markets_have_their_status(client, make_market):
    soon = datetime.date.today() + datetime.timedelta(days=30)
    make_market(title="Bientôt", notified_on=soon, ends_on=soon + datetime.timedelta(days=900))
    (item,) = client.get("/api/v2/marches/", {"status": "a-venir", "fields": "status"}).json()["items"]
    assert item["status"] == {"value": "a-venir", "label": "À venir"}
