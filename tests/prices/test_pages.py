""" "Produits et prix": search, facets, audience, line page, compare, export."""

import datetime
import html as html_lib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from markets.access import PIECES_PERMISSION, Audience
from prices.models import PriceLine
from tests.factories.members import StaffFactory
from tests.prices.conftest import ROWS, import_rows

pytestmark = pytest.mark.django_db


def lines_of(response):
    return [line.designation for line in response.context["results"].page.object_list]


def facet(response, name):
    return {value.name: value.count for value in response.context["results"].facets[name]}


@pytest.fixture
def subscriber(member, priced):
    market, _, _ = priced
    assign_perm(PIECES_PERMISSION, member, market)
    return member


def test_anonymous_sees_only_public_lines_in_results_and_facets(client, priced):
    response = client.get("/prix/")
    assert response.status_code == 200
    assert response.context["results"].total == 5
    assert "Produit Ouvert" in lines_of(response)
    assert facet(response, "publisher") == {"Adobe": 2, "Bitdefender": 1, "Microsoft": 1, "Editeur Ouvert": 1}
    body = response.content.decode()
    assert "Adherentonly" not in body and "Zebrasecret" not in body


@pytest.mark.parametrize(
    ("who", "found"),
    [
        ("anonymous", {"ouvert"}),
        ("member", {"ouvert", "adherentonly"}),
        ("subscriber", {"ouvert", "adherentonly", "zebrasecret"}),
        ("editor", {"ouvert", "adherentonly", "zebrasecret"}),
    ],
)
def test_searching_the_words_of_a_restricted_piece_finds_nothing(client, priced, member, who, found):
    market, _, _ = priced
    if who != "anonymous":
        user = StaffFactory() if who == "editor" else member
        if who == "subscriber":
            assign_perm(PIECES_PERMISSION, member, market)
        client.force_login(user)
    for word in ("ouvert", "adherentonly", "zebrasecret"):
        response = client.get("/prix/", {"q": word})
        assert (response.context["results"].total == 1) == (word in found), (who, word)
        assert sum(v.count for v in response.context["results"].facets["market"]) == (word in found)


def _status(client, line):
    return client.get(f"/prix/{line.pk}/").status_code


def test_line_page_follows_the_piece_audience(client, priced, member):
    market, documents, _ = priced
    line = {
        a: PriceLine.objects.get(source__document=documents[a], publisher="Adobe", designation__contains="Pro")
        for a in Audience.values
    }
    assert [_status(client, line[a]) for a in Audience.values] == [200, 404, 404]
    client.force_login(member)
    assert [_status(client, line[a]) for a in Audience.values] == [200, 200, 404]
    compare = client.get("/prix/comparer/", {"ligne": [line[a].pk for a in Audience.values]})
    assert len(compare.context["lines"]) == 2
    export = client.get("/prix/export.xlsx", {"ligne": [line[a].pk for a in Audience.values]})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assign_perm(PIECES_PERMISSION, member, market)
    assert [_status(client, line[a]) for a in Audience.values] == [200, 200, 200]
    # The editor makes the subscribers' catalogue public: its lines follow at once.
    market.documents = [
        ("document", {**b.value, "audience": Audience.PUBLIC})
        if b.value["audience"] == "subscribers"
        else (b.block_type, b.value)
        for b in market.documents
    ]
    market.save()
    client.logout()
    assert _status(client, line[Audience.SUBSCRIBERS]) == 200
    assert _status(client, line[Audience.MEMBERS]) == 404


def test_unpublished_market_hides_its_lines(client, priced):
    market, _, _ = priced
    market.unpublish()
    assert client.get("/prix/").context["results"].total == 0
    assert client.get(f"/prix/{PriceLine.objects.first().pk}/").status_code == 404


def test_cached_results_follow_audience_prices_and_publication_at_once(client, priced):
    market, documents, _ = priced

    def acrobat():
        results = client.get("/prix/", {"q": "acrobat", "tri": "prix"}).context["results"]
        return results.total, [line.net_price for line in results.page], sum(v.count for v in results.facets["market"])

    assert acrobat() == acrobat() == (2, [Decimal("158.29"), Decimal("208.70")], 2)  # computed, then cached
    market.documents = [
        ("document", {**b.value, "audience": Audience.PUBLIC})
        if b.value["audience"] == "members"
        else (b.block_type, b.value)
        for b in market.documents
    ]
    market.save()
    assert acrobat()[0] == 4
    revised = [["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "50 %", "239,88 €"], *ROWS[1:]]
    import_rows(market, documents[Audience.PUBLIC], revised, applies_from=datetime.date(2026, 1, 1))
    assert Decimal("119.94") in acrobat()[1]
    market.unpublish()
    assert acrobat() == (0, [], 0)


def test_the_cached_html_of_results_follows_prices_markets_and_the_reader(client, priced, member):
    """A page of results' HTML is cached: a new price, a market's new title and a logged-in
    reader (their subscribe link) each show at once."""
    market, documents, _ = priced

    def page():
        return html_lib.unescape(client.get("/prix/", {"q": "acrobat", "tri": "prix"}).content.decode())

    first = page()
    assert first == page() and "208,70 € HT" in first and "Multi-éditeurs</a>" in first
    assert "(connexion requise)" in first
    revised = [["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "50 %", "239,88 €"], *ROWS[1:]]
    import_rows(market, documents[Audience.PUBLIC], revised, applies_from=datetime.date(2026, 1, 1))
    assert "119,94 € HT" in page()
    market.title = "Logiciels multi-éditeurs"
    market.save_revision().publish()
    assert "Logiciels multi-éditeurs</a>" in page()
    client.force_login(member)
    assert "(connexion requise)" not in page()


def test_cached_results_are_not_shared_by_different_questions(client, priced):
    def total(params):
        return client.get("/prix/", params).context["results"].total

    everything = total({})
    assert everything > 0
    # No word to look for, an unknown market: nothing, not the cached answer to "everything".
    assert total({"q": "!!"}) == 0
    assert total({"marche": "inconnu"}) == 0
    assert total({"page": "99"}) == everything  # past the end: the last page, same counts
    assert total({}) == everything


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acrobat", 2),
        ("ACROBATE pro", 1),
        ("acrobat abonnements", 2),
        ("antivirus poste", 1),
        ("sécurité", 1),
        ("création pdf", 2),
        ("introuvable", 0),
        ("!!", 0),
    ],
)
def test_keywords_forgive_accents_plurals_and_spellings(client, priced, query, expected):
    assert client.get("/prix/", {"q": query}).context["results"].total == expected


def test_facets_filter_and_count_without_their_own_selection(client, priced):
    response = client.get("/prix/", {"q": "acrobat", "editeur": "Adobe", "categorie": "Création et PDF"})
    assert response.context["results"].total == 2
    assert facet(response, "publisher") == {"Adobe": 2}
    response = client.get("/prix/", {"editeur": ["Adobe", "Microsoft"]})
    assert response.context["results"].total == 3
    assert facet(response, "publisher")["Bitdefender"] == 1  # its own facet ignores its selection
    assert facet(response, "category") == {"Création et PDF": 2, "Environnement de travail": 1}
    assert facet(response, "market") == {"Multi-éditeurs": 3} and facet(response, "holder") == {"SCC": 3}
    response = client.get("/prix/", {"titulaire": "scc", "marche": "multi-editeurs"})
    assert response.context["results"].total == 5


def test_sort_by_price_and_relevance(client, priced):
    by_price = lines_of(client.get("/prix/", {"tri": "prix"}))
    assert by_price[0] == "GravityZone Endpoint Security" and by_price[-1].startswith("Visio")  # on quote last
    assert lines_of(client.get("/prix/", {"tri": "prix-desc"}))[0] == "Acrobat Pro — abonnement 1 an"
    assert lines_of(client.get("/prix/", {"q": "acrobat pro"}))[0] == "Acrobat Pro — abonnement 1 an"


def test_page_shows_prices_units_links_and_paginates(client, priced):
    market, _, _ = priced
    body = client.get("/prix/", {"q": "acrobat pro"}).content.decode()
    assert "Remise 13 %" in body and "208,70 € HT" in body and "prix public 239,88 € HT" in body
    assert market.url in body and "Préparer sa souscription" in body and "SCC" in body
    response = client.get("/prix/", {"page": "2"})
    assert response.context["results"].page.number == 1  # 5 lines, one page
    assert client.get("/prix/", {"page": "x", "tri": "n'importe", "marche": "?"}).status_code == 200


def test_line_page_draws_the_history(client, priced):
    market, documents, _ = priced
    import datetime

    rows = [["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "15 %", "239,88"], *ROWS[1:]]
    import_rows(market, documents[Audience.PUBLIC], rows, applies_from=datetime.date(2025, 6, 1))
    line = PriceLine.objects.get(source__document=documents[Audience.PUBLIC], designation__startswith="Acrobat Pro")
    body = client.get(f"/prix/{line.pk}/").content.decode()
    assert "<svg" in body and "<polyline" in body and "01/06/2025" in body and "203,90 €" in body
    assert "<table" in body and "208,70 €" in body


def test_market_page_links_to_its_visible_lines(client, priced, member):
    market, _, _ = priced
    assert "Voir les 5 produits et prix" in client.get(market.url).content.decode()
    client.force_login(member)
    assert "Voir les 10 produits et prix" in client.get(market.url).content.decode()


def test_export_of_results_is_a_real_workbook(client, priced):
    response = client.get("/prix/export.xlsx", {"q": "acrobat"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][4] == "Désignation" and len(rows) == 3 and rows[1][10] == 13


def test_search_and_line_pages_use_a_constant_number_of_queries(client, priced, subscriber):
    client.force_login(subscriber)
    market, documents, _ = priced

    def count(url, params=None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params or {}).status_code == 200
        return len(queries)

    def counts(line):
        """Queries of the search with its counts computed, then cached, and of a line page."""
        computed = count("/prix/", params)
        return computed, count("/prix/", params), count(f"/prix/{line.pk}/")

    params = {"q": "acrobat", "editeur": "Adobe"}
    count("/prix/", {"q": "visio"})  # warm the site-root cache the page URLs read
    before = counts(PriceLine.objects.first())
    for audience in Audience.values:
        more = [[f"Ed{i}", f"Acrobat {i}", f"C{i}", "5 %", "9"] for i in range(30)]
        import_rows(market, documents[audience], [*ROWS, *more], holder=PriceLine.objects.first().holder)
    after = counts(PriceLine.objects.last())  # the imports changed the sources: computed again
    assert before == after
    # Cached: neither the counts, the page's ids nor its lines are read (their HTML is cached).
    assert before[1] == before[0] - 3


def test_the_list_shows_markets_in_force_unless_asked_and_opens_in_their_order(client, priced, market_index):
    from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, piece
    from tests.prices.conftest import document_with, xlsx

    today = datetime.date.today()
    ended_document = document_with(xlsx([["Xerox", "Copieur A3", "Impression", "10 %", "3900"]]), "BPU ancien")
    ended = MarketPageFactory(
        parent=market_index,
        title="Impression",
        notified_on=today - datetime.timedelta(days=2000),
        ends_on=today - datetime.timedelta(days=1),
        holders=[("holder", holder_entry(HolderFactory(name="Repro")))],
        documents=[piece(ended_document, "bpu", Audience.PUBLIC)],
    )
    import_rows(ended, ended_document, [["Xerox", "Copieur A3", "Impression", "10 %", "3900"]])

    listed = lines_of(client.get("/prix/"))
    assert "Copieur A3" not in listed
    assert listed[:4] == [row[1] for row in ROWS]  # the piece's order, not the cheapest first
    assert lines_of(client.get("/prix/?statut=termines")) == ["Copieur A3"]
    assert "Copieur A3" in lines_of(client.get("/prix/?statut=tous"))
    assert "Copieur A3" not in lines_of(client.get("/prix/?statut=n-importe-quoi"))  # junk: the default


def test_amounts_keep_their_cents_and_rates_do_not(client, priced):
    page = client.get("/prix/").content.decode()
    assert "45,00\u00a0€" in page or "45,00 €" in page  # "45" in the piece
    assert "Remise 20 %" in page and "Remise 20,00" not in page


def test_market_page_counts_an_import_at_once(client, priced):
    market, documents, _ = priced
    assert "Voir les 5 produits et prix" in client.get(market.url).content.decode()  # its body cached
    import_rows(market, documents[Audience.PUBLIC], ROWS[:2])
    assert "Voir les 2 produits et prix" in client.get(market.url).content.decode()
