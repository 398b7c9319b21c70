from core.text import MAX_QUERY_LENGTH
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
    MarketPageFactory(parent=market_index, title="Commandes de logiciels")
    for query in ("x" * 10_000, "<script>", "' OR 1=1 --", ""):
        response = client.get("/recherche/", {"q": query, "page": "9999"})
        assert response.status_code == 200, query
        assert list(response.context["results"]) == [], query  # nothing matches, and nothing breaks
        assert response.context["query"] == query[:MAX_QUERY_LENGTH], query  # cut, never refused
    body = client.get("/recherche/", {"q": "<script>"}).content.decode()
    assert "pour « &lt;script&gt; »" in body and 'value="&lt;script&gt;"' in body


def test_site_search_finds_pages_by_their_titles(client, home_page):
    """Folded words ("questions" -> "question") meet the folded titles on the database backend."""
    from assistance.models import FaqPage

    home_page.add_child(instance=FaqPage(title="Questions fréquentes", slug="questions-frequentes"))
    for title, slug in (
        ("Conditions et prix de la souscription", "conditions"),
        ("Mentions légales", "mentions-legales"),
        ("Données personnelles", "donnees-personnelles"),
        ("Qui sommes-nous", "qui-sommes-nous"),
    ):
        home_page.add_child(instance=StandardPage(title=title, slug=slug))
    for query, title in (
        ("questions", "Questions fréquentes"),
        ("faq", "Questions fréquentes"),
        ("fréquentes", "Questions fréquentes"),
        ("conditions", "Conditions et prix de la souscription"),
        ("mentions", "Mentions légales"),
        ("données personnelles", "Données personnelles"),
        ("qui sommes", "Qui sommes-nous"),
    ):
        titles = [page.title for page in client.get("/recherche/", {"q": query}).context["results"]]
        assert title in titles, query


def test_site_search_pages_with_the_shared_pagination(client, market_index):
    for n in range(12):
        MarketPageFactory(parent=market_index, title=f"Logiciels {n}")
    response = client.get("/recherche/", {"q": "logiciels"})
    assert response.context["results"].paginator.count == 12
    assert 'rel="next"' in response.content.decode()  # includes/pagination.html
    second = client.get("/recherche/", {"q": "logiciels", "page": "2"})
    assert len(second.context["results"]) == 2 and 'rel="prev"' in second.content.decode()
