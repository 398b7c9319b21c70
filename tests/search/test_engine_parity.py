"""The same searches through the database backend and the engine: the same markets and the
same facet counts; and what the engine stores holds nothing the public may not read."""

import datetime
import json
import logging

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from assistance.models import FaqPage
from home.models import StandardPage
from markets.access import Audience
from search.config import search_backends
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    ThemeFactory,
    holder_entry,
    lot,
    piece,
)
from tests.search.conftest import SESSION_PREFIX, needs_engine, refresh, stored_documents

pytestmark = [pytest.mark.opensearch, needs_engine]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

QUERIES = [
    {"q": "logiciels"},
    {"q": "logiciel"},
    {"q": "Logiciels"},
    {"q": "sécurité"},
    {"q": "securite"},
    {"q": "cybersécurité"},
    {"q": "téléphonie"},
    {"q": "telephonie mobile"},
    {"q": "impression"},
    {"q": "matériels"},
    {"q": "materiel informatique"},
    {"q": "SCC"},
    {"q": "econocom"},
    {"q": "orange"},
    {"q": "licences"},
    {"q": "réseaux"},
    {"q": "introuvable"},
    {"q": "zzzz"},
    {"q": "logiciels", "statut": "tous"},
    {"q": "logiciels", "statut": "termines"},
    {"q": "reseaux", "statut": "a-venir"},
    {"statut": "tous"},
    {"statut": "termines"},
    {"statut": "a-venir"},
    {},
    {"titulaire": "scc"},
    {"titulaire": ["scc", "esi"]},
    {"titulaire": "econocom", "statut": "tous"},
    {"theme": "logiciel"},
    {"theme": "logiciel-de-gestion"},
    {"theme": ["materiels", "securite"]},
    {"theme": "logiciel", "titulaire": "esi"},
    {"q": "logiciels", "titulaire": "scc"},
    {"q": "logiciels", "theme": "environnement-de-travail"},
    {"q": "licences", "titulaire": "scc", "theme": "logiciel", "statut": "tous"},
    {"q": "sécurité", "titulaire": "orange"},
    {"q": "l'impression"},
    {"q": "ÉCRANS"},
]


@pytest.fixture
def seed(engine, market_index):
    """Markets as the catalogue holds them: several holders and themes, three statuses."""
    holders = {n: HolderFactory(name=n) for n in ("SCC", "E.S.I.", "ECONOCOM", "ORANGE")}
    logiciel = ThemeFactory(name="Logiciel")
    themes = {
        "logiciel": logiciel,
        "travail": ThemeFactory(name="Environnement de travail", parent=logiciel),
        "gestion": ThemeFactory(name="Logiciel de gestion", parent=logiciel),
        "materiels": ThemeFactory(name="Matériels"),
        "securite": ThemeFactory(name="Sécurité"),
        "telecoms": ThemeFactory(name="Télécoms"),
    }

    def market(title, holder_names, theme_names, summary, **kwargs):
        page = MarketPageFactory(
            parent=market_index,
            title=title,
            subtitle="",
            summary=summary,
            holders=[("holder", holder_entry(holders[n])) for n in holder_names],
            **kwargs,
        )
        page.themes.set([themes[n] for n in theme_names])
        page.save_revision().publish()
        return page

    market("Multi-éditeurs", ["SCC"], ["travail", "gestion"], "Logiciels de nombreux éditeurs, licences.")
    market("Microsoft et alternatives", ["SCC", "E.S.I."], ["travail"], "Licences de logiciels bureautiques.")
    market("Matériels bureautiques neufs", ["ECONOCOM"], ["materiels"], "Fixes, portables, écrans.")
    market("Matériel informatique reconditionné", ["ECONOCOM", "SCC"], ["materiels"], "Postes et écrans.")
    market("Cybersécurité", ["E.S.I."], ["securite"], "Solutions de sécurité des systèmes.")
    market("Téléphonie mobile", ["ORANGE"], ["telecoms"], "Forfaits et terminaux, sécurité des flottes.")
    market("Impression et reprographie", ["ECONOCOM"], ["materiels"], "Copieurs et impression.")
    market("Logiciels de gestion financière", ["E.S.I."], ["gestion"], "Logiciel de gestion.")
    market(
        "Ancien marché de logiciels",
        ["SCC"],
        ["gestion"],
        "Licences.",
        notified_on=TODAY - 2000 * DAY,
        ends_on=TODAY - DAY,
    )
    market(
        "Futurs réseaux", ["ORANGE"], ["telecoms"], "Réseaux.", notified_on=TODAY + 10 * DAY, ends_on=TODAY + 1500 * DAY
    )
    market_index.per_page = 100
    market_index.save_revision().publish()
    refresh(engine)


def answer(client, market_index, params):
    cache.clear()
    response = client.get(market_index.url, params)
    assert response.status_code == 200, params
    found = response.context["catalogue"]

    def counts(values):
        flat = {}
        for value in values:
            flat[value.slug] = value.count
            flat.update({child.slug: child.count for child in getattr(value, "children", [])})
        return flat

    return {
        "markets": sorted(card.title for card in found.page),
        "total": found.total,
        "holders": counts(found.holder_facet),
        "themes": counts(found.theme_facet),
    }


def test_database_and_engine_find_the_same(seed, client, market_index, settings, caplog):
    assert len(QUERIES) >= 30
    with caplog.at_level(logging.WARNING, logger="core.search"):
        on_engine = [answer(client, market_index, params) for params in QUERIES]
    assert "Search engine unavailable" not in caplog.text  # the engine answered every one
    settings.WAGTAILSEARCH_BACKENDS = search_backends()  # the database alone
    on_database = [answer(client, market_index, params) for params in QUERIES]
    for params, engine_answer, database_answer in zip(QUERIES, on_engine, on_database, strict=True):
        assert engine_answer == database_answer, params
    assert sum(1 for found in on_engine if found["total"]) >= 25  # most queries find something
    assert on_engine[QUERIES.index({"q": "introuvable"})]["markets"] == []


PAGE_TITLES = {
    "questions": "Questions fréquentes",
    "faq": "Questions fréquentes",
    "fréquentes": "Questions fréquentes",
    "conditions": "Conditions et prix de la souscription",
    "mentions": "Mentions légales",
    "données personnelles": "Données personnelles",
    "qui sommes": "Qui sommes-nous",
}


def test_site_search_finds_pages_by_their_titles_on_both_backends(engine, client, home_page, settings, caplog):
    home_page.add_child(instance=FaqPage(title="Questions fréquentes", slug="questions-frequentes"))
    for title, slug in (
        ("Conditions et prix de la souscription", "conditions"),
        ("Mentions légales", "mentions-legales"),
        ("Données personnelles", "donnees-personnelles"),
        ("Qui sommes-nous", "qui-sommes-nous"),
    ):
        home_page.add_child(instance=StandardPage(title=title, slug=slug))
    refresh(engine)
    for backends in (settings.WAGTAILSEARCH_BACKENDS, search_backends()):
        settings.WAGTAILSEARCH_BACKENDS = backends
        for query, title in PAGE_TITLES.items():
            results = client.get("/recherche/", {"q": query}).context["results"]
            assert title in [page.title for page in results], (query, list(backends))
    assert "Search engine unavailable" not in caplog.text


def test_the_engine_stores_nothing_the_public_may_not_read(engine, client, market_index, home_page):
    document = MarketDocumentFactory
    market = MarketPageFactory(
        parent=market_index,
        title="Terminaux mobiles",
        lots=[lot(1, "Lot réservé aux adhérents", holder_entry(HolderFactory(name="ORANGE")))],
        documents=[
            piece(document(title="Règlement public"), "other", Audience.PUBLIC),
            piece(document(title="Fiche"), "other", Audience.MEMBERS, title="Grille tarifaire confidentielle"),
            piece(document(title="Avenant numéro secret"), "other", Audience.SUBSCRIBERS),
        ],
    )
    market.save_revision().publish()
    private = MarketPageFactory(parent=market_index, title="Marché privé caché")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    members_page = home_page.add_child(instance=StandardPage(title="Espace réservé interne", slug="interne"))
    PageViewRestriction.objects.create(page=members_page, restriction_type=PageViewRestriction.LOGIN)
    MarketPageFactory(parent=market_index, title="Brouillon jamais publié", live=False)
    market.title = "Titre en brouillon"
    market.save_revision()  # a draft: the live page keeps its title

    stored = stored_documents(engine)
    text = json.dumps([source for _, source in stored], ensure_ascii=False).lower()
    assert "terminaux mobiles" in text and "reglement public" in text  # public: there
    for secret in (
        "Lot réservé",
        "Grille tarifaire",
        "numéro secret",
        "Marché privé",
        "Espace réservé",
        "Brouillon jamais",
        "Titre en brouillon",
    ):
        assert secret.lower() not in text, secret
        assert secret.lower().replace("é", "e") not in text, secret
    # Only the indexes the public searches read hold anything: pages and holders.
    assert all(f"{SESSION_PREFIX}wagtailcore_page" in i or f"{SESSION_PREFIX}markets_holder" in i for i, _ in stored)
