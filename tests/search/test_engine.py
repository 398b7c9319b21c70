"""The catalogue and the site search on a real OpenSearch node: indexing as pages change,
update_index, the French analysis, facets, paging, suggestions, an engine that goes away
and comes back, hostile parameters."""

import logging
import socket
import threading

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from tests.factories.markets import HolderFactory, MarketPageFactory, ThemeFactory, holder_entry
from tests.search.conftest import SESSION_PREFIX, needs_engine, refresh, stored_documents

pytestmark = [pytest.mark.opensearch, needs_engine]

PAGE_INDEX = f"{SESSION_PREFIX}wagtailcore_page"
HOSTILE = ["\x00", "x" * 10_000, "*:*", '"', "(", "\\", "title:(a OR", "a\x00b", "é" * 300, "<script>"]


def publish(market_index, title, holders=(), themes=(), **kwargs):
    holders = holders or [HolderFactory()]
    kwargs.setdefault("subtitle", "")
    page = MarketPageFactory(
        parent=market_index, title=title, holders=[("holder", holder_entry(h)) for h in holders], **kwargs
    )
    page.themes.set(themes)
    page.save_revision().publish()
    return page


def catalogue(client, market_index, engine, **params):
    refresh(engine)
    response = client.get(market_index.url, params)
    assert response.status_code == 200
    return response.context["catalogue"]


def titles(found):
    return sorted(card.title for card in found.page)


def site_titles(client, engine, query):
    refresh(engine)
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    return sorted(page.title for page in response.context["results"])


def stored_titles(engine):
    return {source.get("title") for index, source in stored_documents(engine) if index.startswith(PAGE_INDEX)}


def test_french_analysis(engine, client, market_index):
    publish(market_index, "Securite des postes", summary="Un pare-feu.")
    publish(market_index, "Accords de licences", summary="Des licences.")
    publish(market_index, "Achat de logiciel", summary="Éditeurs.")
    assert titles(catalogue(client, market_index, engine, q="sécurité")) == ["Securite des postes"]
    assert titles(catalogue(client, market_index, engine, q="l'accord")) == ["Accords de licences"]
    assert titles(catalogue(client, market_index, engine, q="logiciels")) == ["Achat de logiciel"]
    # What the engine itself does with the words (not our folding): its analyzer.
    tokens = engine.indices.analyze(index=PAGE_INDEX, body={"analyzer": "default", "text": "l'accord sécurité"})
    assert [token["token"] for token in tokens["tokens"]] == ["acord", "securit"]


def test_indexing_follows_publish_unpublish_move_and_delete(engine, client, market_index, home_page):
    market = publish(market_index, "Téléphonie mobile", summary="Forfaits.")
    draft = MarketPageFactory(parent=market_index, title="Brouillon télécoms", live=False)
    assert "Téléphonie mobile" in stored_titles(engine) and "Brouillon télécoms" not in stored_titles(engine)
    assert titles(catalogue(client, market_index, engine, q="telephonie")) == ["Téléphonie mobile"]

    market.unpublish()
    assert "Téléphonie mobile" not in stored_titles(engine)
    assert titles(catalogue(client, market_index, engine, q="telephonie")) == []
    market.save_revision().publish()
    assert titles(catalogue(client, market_index, engine, q="telephonie")) == ["Téléphonie mobile"]

    about = home_page.add_child(instance=StandardPage(title="Qui sommes-nous", slug="qui"))
    legal = home_page.add_child(instance=StandardPage(title="Informations", slug="informations"))
    team = about.add_child(instance=StandardPage(title="Gouvernance partagée", slug="gouvernance"))
    team.move(legal, pos="last-child")
    team.refresh_from_db()
    stored = {s["title"]: s["path_filter"] for i, s in stored_documents(engine) if i.startswith(PAGE_INDEX)}
    assert stored["Gouvernance partagée"] == team.path
    assert site_titles(client, engine, "gouvernance") == ["Gouvernance partagée"]

    PageViewRestriction.objects.create(page=legal, restriction_type=PageViewRestriction.LOGIN)
    assert {"Informations", "Gouvernance partagée"}.isdisjoint(stored_titles(engine))
    assert site_titles(client, engine, "gouvernance") == []
    PageViewRestriction.objects.filter(page=legal).delete()
    assert site_titles(client, engine, "gouvernance") == ["Gouvernance partagée"]

    market.delete()
    draft.delete()
    assert "Téléphonie mobile" not in stored_titles(engine)
    assert titles(catalogue(client, market_index, engine, q="telephonie")) == []


def test_update_index_rebuilds_into_a_new_index_behind_the_alias(engine, client, market_index):
    publish(market_index, "Impression et reprographie")
    before = set(engine.indices.get_alias(name=PAGE_INDEX))
    call_command("update_index", backend_name="engine", verbosity=0)
    after = set(engine.indices.get_alias(name=PAGE_INDEX))
    assert len(after) == 1 and after.isdisjoint(before)  # built aside, then the alias moved
    assert not engine.indices.exists(index=",".join(before))  # the old one is gone
    assert titles(catalogue(client, market_index, engine, q="reprographie")) == ["Impression et reprographie"]


def test_facets_from_aggregations_and_paging(engine, client, market_index):
    scc, esi = HolderFactory(name="SCC"), HolderFactory(name="E.S.I.")
    logiciel = ThemeFactory(name="Logiciel")
    gestion = ThemeFactory(name="Logiciel de gestion", parent=logiciel)
    for n in range(12):
        publish(market_index, f"Licences {n:02}", holders=[scc] if n % 3 else [scc, esi], themes=[gestion])
    publish(market_index, "Cybersécurité", holders=[esi], themes=[logiciel], summary="Pare-feu.")
    found = catalogue(client, market_index, engine, q="licences")
    assert found.total == 12 and len(found.page) == 10 and found.page.paginator.num_pages == 2
    assert {v.name: v.count for v in found.holder_facet} == {"SCC": 12, "E.S.I.": 4}
    theme = found.theme_facet[0]
    assert (theme.name, theme.count, [(c.name, c.count) for c in theme.children]) == (
        "Logiciel",
        12,
        [("Logiciel de gestion", 12)],
    )
    second = catalogue(client, market_index, engine, q="licences", page="2")
    assert len(second.page) == 2 and not set(titles(second)) & set(titles(found))
    # Disjunctive: ticking E.S.I. still shows how many SCC has.
    ticked = catalogue(client, market_index, engine, titulaire="esi")
    assert ticked.total == 5
    assert {v.name: v.count for v in ticked.holder_facet} == {"SCC": 12, "E.S.I.": 5}
    assert {v.name: v.count for v in ticked.theme_facet} == {"Logiciel": 5}


def test_suggestions_as_you_type(engine, client, market_index):
    econocom = HolderFactory(name="ECONOCOM")
    publish(market_index, "Cybersécurité des systèmes", holders=[econocom])
    hidden = publish(market_index, "Sécurité réservée")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    refresh(engine)
    found = client.get("/recherche/suggestions/", {"q": "cybersecu"}).json()["suggestions"]
    assert found == [
        {"label": "Cybersécurité des systèmes", "kind": "Marché", "url": "/marches/cybersecurite-des-systemes/"}
    ]
    found = client.get("/recherche/suggestions/", {"q": "écono"}).json()["suggestions"]
    assert found[0] == {"label": "ECONOCOM", "kind": "Titulaire", "url": "/marches/?titulaire=econocom"}
    assert "Sécurité réservée" not in str(client.get("/recherche/suggestions/", {"q": "secu"}).json())
    for value in HOSTILE:
        response = client.get("/recherche/suggestions/", {"q": value})
        if "\x00" in value:  # refused before any view (core.middleware)
            assert response.status_code == 400
        else:
            assert response.status_code == 200 and isinstance(response.json()["suggestions"], list)


class Proxy:
    """A TCP proxy to the engine, which a test closes and opens again (an outage)."""

    def __init__(self, target):
        host, port = target.rsplit("//", 1)[1].split(":")
        self.target = (host, int(port.strip("/")))
        self.server = None
        self.connections = 0
        self.port = None

    def open(self):
        self.server = socket.create_server(("127.0.0.1", self.port or 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def close(self):
        self.server.close()

    def _accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()


def test_engine_down_answers_from_the_database_then_back(engine, client, market_index, settings, caplog):
    from search.config import search_backends
    from tests.search.conftest import OPENSEARCH_URL

    publish(market_index, "Téléphonie fixe", summary="Lignes.")
    refresh(engine)
    proxy = Proxy(OPENSEARCH_URL)
    proxy.open()
    settings.WAGTAILSEARCH_BACKENDS = search_backends(
        opensearch_url=f"http://127.0.0.1:{proxy.port}", index_prefix=SESSION_PREFIX, timeout=2
    )
    assert titles(catalogue(client, market_index, engine, q="telephonie")) == ["Téléphonie fixe"]
    assert proxy.connections >= 1

    proxy.close()
    with caplog.at_level(logging.WARNING, logger="core.search"):
        for params in ({"q": "telephonie"}, {"q": "lignes", "page": "1"}):
            found = catalogue(client, market_index, engine, **params)
            assert titles(found) == ["Téléphonie fixe"]
        assert site_titles(client, engine, "téléphonie") == ["Téléphonie fixe"]
    assert "Search engine unavailable for catalogue" in caplog.text
    assert "Search engine unavailable for site search" in caplog.text

    proxy.open()  # same port
    before, caplog_lines = proxy.connections, len(caplog.records)
    assert titles(catalogue(client, market_index, engine, q="fixe")) == ["Téléphonie fixe"]
    assert site_titles(client, engine, "fixe") == ["Téléphonie fixe"]
    assert proxy.connections > before and len(caplog.records) == caplog_lines
    proxy.close()


def test_hostile_parameters_never_fail(engine, client, market_index):
    """Results or none, never a 500 nor an engine's message (a NUL byte is refused with a 400
    before any view: core.middleware)."""
    publish(market_index, "Téléphonie", holders=[HolderFactory(name="ORANGE")])
    refresh(engine)
    for value in HOSTILE:
        expected = 400 if "\x00" in value else 200
        for name in ("q", "statut", "titulaire", "theme", "page"):
            response = client.get(market_index.url, {name: value})
            assert response.status_code == expected, (name, value[:20])
        for name in ("q", "page"):
            response = client.get("/recherche/", {name: value})
            assert response.status_code == expected, (name, value[:20])
            assert b"Error" not in response.content and b"opensearch" not in response.content.lower()
    found = catalogue(client, market_index, engine, q='t\u00e9l\u00e9phonie" OR (*:*')
    assert titles(found) in ([], ["Téléphonie"])  # the quote and parentheses are only punctuation
