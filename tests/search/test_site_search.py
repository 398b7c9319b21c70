from home.models import StandardPage
from tests.factories.markets import MarketPageFactory


def test_site_search_finds_pages_and_markets(client, market_index):
    market_index.get_parent().add_child(
        instance=StandardPage(title="Qui sommes-nous", slug="qui", introduction="Une gouvernance partagée par des DSI.")
    )
    MarketPageFactory(parent=market_index, title="Commandes de logiciels")
    response = client.get("/recherche/", {"q": "gouvernance"})
    assert response.status_code == 200
    assert [page.title for page in response.context["results"]] == ["Qui sommes-nous"]
    titles = [page.title for page in client.get("/recherche/", {"q": "logiciels"}).context["results"]]
    assert titles == ["Commandes de logiciels"]


def test_site_search_bad_input(client, market_index):
    for query in ("x" * 10_000, "<script>", "' OR 1=1 --", ""):
        assert client.get("/recherche/", {"q": query, "page": "9999"}).status_code == 200
