""" "Produits et prix" on the search engine (prices.engine), against a real OpenSearch node.

Skipped unless OPENSEARCH_URL names one (scripts/opensearch). Each test writes to its own
index prefix and drops it at the end. The engine's answer is told from the database's by
the log: every fallback to the database writes a warning.
"""

import logging
import os
import uuid
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory, override_settings
from guardian.shortcuts import assign_perm

from markets.access import PIECES_PERMISSION, Audience
from markets.models import Holder
from prices import engine
from prices.models import PriceLine
from prices.selectors import price_search
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, piece
from tests.factories.members import StaffFactory
from tests.prices.conftest import document_with, import_rows, xlsx

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.opensearch,
    pytest.mark.skipif(not OPENSEARCH_URL, reason="OPENSEARCH_URL n'est pas défini (scripts/opensearch)"),
]

HARDWARE = [
    ["Dell", "Écran 24 pouces P2425H", "Matériels", "10 %", "189"],
    ["Dell", "Écrans 27 pouces U2724D", "Matériels", "12 %", "349"],
    ["Iiyama", "Moniteur ProLite 24 pouces", "Matériels", "8 %", "159"],
    ["Lenovo", "Ordinateur portable ThinkPad T14", "Postes de travail", "15 %", "1190"],
    ["HP", "PC portable EliteBook 840", "Postes de travail", "14 %", "1240"],
    ["Apple", "Tablette iPad 10,9 pouces", "Postes de travail", "5 %", "509"],
    ["Microsoft", "Licences Microsoft 365 E3 — abonnement 1 an", "Environnement de travail", "10 %", "390"],
    ["Microsoft", "Licence Visio Plan 2", "Environnement de travail", "10 %", "180"],
    ["Zoom", "Visioconférence Zoom Rooms", "Communication", "7 %", "499"],
    ["Logitech", "Caméra de visio MeetUp", "Communication", "9 %", "899"],
    ["Sophos", "Antivirus Intercept X Endpoint", "Sécurité", "20 %", "39"],
    ["Stormshield", "Pare-feu SN310 de l'établissement", "Sécurité", "18 %", "2100"],
    ["Veeam", "Sauvegarde Backup & Replication", "Sauvegarde", "11 %", "990"],
    ["Adobe", "Acrobat Pro — éducation", "Création et PDF", "30 %", "120"],
    ["Brother", "Imprimante laser HL-L5100", "Impression", "6 %", "320"],
    ["Canon", "Scanner de documents DR-C225", "Impression", "6 %", "sur devis"],
    ["Jabra", "Casque audio Evolve2 65", "Communication", "10 %", "199"],
    ["Kaspersky", "Antivirus poste Kaspersky Endpoint", "Sécurité", "22 %", "29"],
]
MEMBERS_ONLY = [
    ["Dell", "Écran 34 pouces incurvé", "Matériels", "15 %", "699"],
    ["Microsoft", "Licences Windows Server", "Environnement de travail", "12 %", "1100"],
]

QUERIES = [
    {},
    {"q": "ecran"},
    {"q": "écrans"},
    {"q": "moniteur"},
    {"q": "Licences"},
    {"q": "l'antivirus"},
    {"q": "sécurité"},
    {"q": "portable 14"},
    {"q": "acrobat", "tri": "prix-desc"},
    {"q": "pc", "tri": "prix"},
    {"q": "l'établissement"},
    {"editeur": "Microsoft"},
    {"categorie": "Sécurité"},
    {"categorie": ["Sécurité", "Matériels"]},
    {"titulaire": "scc"},
    {"titulaire": "bechtle", "categorie": "Matériels"},
    {"marche": "materiels-et-ecrans"},
    {"q": "abonnement", "editeur": ["Adobe", "Microsoft"], "categorie": "Création et PDF"},
    {"q": "visio", "titulaire": ["scc", "bechtle"]},
    {"q": "pouces", "marche": ["materiels-et-ecrans", "multi-editeurs"], "editeur": "Dell"},
    {"editeur": "Inconnu"},
    {"q": "introuvable"},
    {"q": "*:*"},
    {"q": "endpoint", "tri": "prix-desc", "page": "3"},
]
HOSTILE = ["\x00", "a" * 10_000, "*:*", '"', "(", "\\", 'acrobat" OR "1"="1', "écran\\", "{{ x }}", "AND"]


@pytest.fixture
def backends(settings):
    """(settings with the engine, settings without): the engine under a prefix of this test's."""
    database_only = {k: v for k, v in settings.WAGTAILSEARCH_BACKENDS.items() if k != engine.ENGINE_ALIAS}
    configured = settings.WAGTAILSEARCH_BACKENDS.get(engine.ENGINE_ALIAS) or {
        "BACKEND": "wagtail.search.backends.opensearch2"
    }
    with_engine = {
        **database_only,
        # No AUTO_UPDATE: Wagtail's own indexing of the pages is not this test's.
        engine.ENGINE_ALIAS: {
            **configured,
            "URLS": [OPENSEARCH_URL],
            "INDEX_PREFIX": f"pengine_test_{uuid.uuid4().hex[:8]}_",
            "TIMEOUT": 10,
            "AUTO_UPDATE": False,
        },
    }
    settings.WAGTAILSEARCH_BACKENDS = with_engine
    yield with_engine, database_only
    with override_settings(WAGTAILSEARCH_BACKENDS=with_engine):
        engine.drop()


@pytest.fixture
def catalogue(priced, market_index, backends, django_capture_on_commit_callbacks):
    """The fixture `priced` (one catalogue per audience) and a second market with two holders'
    pieces, one for members; every import indexed through the signals, as in production."""
    market, documents, _ = priced
    bechtle = HolderFactory(name="Bechtle", slug="bechtle")
    public = document_with(xlsx(HARDWARE), "BPU matériels", "bpu-materiels.xlsx")
    members = document_with(xlsx(MEMBERS_ONLY), "BPU adhérents", "bpu-adherents.xlsx")
    hardware = MarketPageFactory(
        parent=market_index,
        title="Matériels et écrans",
        slug="materiels-et-ecrans",
        holders=[("holder", holder_entry(bechtle))],
        documents=[piece(public, "bpu", Audience.PUBLIC), piece(members, "bpu", Audience.MEMBERS)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        engine.rebuild()  # the lines of `priced`, imported before the engine was configured
        import_rows(hardware, public, HARDWARE, holder=bechtle)
        import_rows(hardware, members, MEMBERS_ONLY, holder=bechtle)
    return market, hardware, documents


def reader(user):
    request = RequestFactory().get("/prix/")
    request.user = user
    return request


def ask(user, params, *, per_page=500):
    results = price_search(request=reader(user), params=QueryDict(urlencode(params, doseq=True)), per_page=per_page)
    facets = {name: {(v.slug, v.count, v.selected) for v in values} for name, values in results.facets.items()}
    return results.total, {line.pk for line in results.page}, facets


def engine_warnings(caplog):
    return [r for r in caplog.records if r.name in ("prices.engine", "core.search") and r.levelno >= logging.WARNING]


def test_the_engine_and_the_database_give_the_same_lines_and_counts(catalogue, backends, member, outsider, caplog):
    with_engine, database_only = backends
    subscriber = member
    assign_perm(PIECES_PERMISSION, subscriber, catalogue[0])
    readers = {"anonyme": AnonymousUser(), "adhérent": outsider, "souscripteur": subscriber, "éditeur": StaffFactory()}
    found_something = 0
    for who, user in readers.items():
        for params in QUERIES:
            with override_settings(WAGTAILSEARCH_BACKENDS=database_only):
                expected = ask(user, params)
            with caplog.at_level(logging.WARNING, logger="core.search"):
                answered = ask(user, params)
            assert not engine_warnings(caplog), (who, params)  # the engine answered, not the database
            assert answered == expected, (who, params)
            found_something += bool(expected[0])
    assert found_something >= 3 * len(QUERIES)  # the queries find lines: the comparison means something


def test_a_subscribers_line_is_found_only_by_the_subscriber(catalogue, member, outsider, client, caplog):
    market, _, _ = catalogue
    assign_perm(PIECES_PERMISSION, member, market)
    zebra = {"q": "zebrasecret"}
    members_word = {"q": "incurvé"}
    with caplog.at_level(logging.WARNING, logger="core.search"):
        assert ask(AnonymousUser(), zebra)[0] == 0
        assert ask(outsider, zebra)[0] == 0  # a member, without the subscription
        assert ask(member, zebra)[0] == 1
        assert ask(AnonymousUser(), members_word)[0] == 0
        assert ask(outsider, members_word)[0] == 1
        # Not counted in a facet either: the anonymous facets list no line of theirs.
        _, _, facets = ask(AnonymousUser(), {"editeur": "Editeur Zebrasecret"})
        assert ("Editeur Zebrasecret", 0, True) in facets["publisher"]
        response = client.get("/prix/", zebra)
        assert response.status_code == 200 and "Zebrasecret" not in response.content.decode()
    assert not engine_warnings(caplog)
    # The line is in the engine (filtered at query time, by the sources the reader may read).
    stored = engine.client().search(
        index=engine.alias_name(), body={"query": {"match": {"search_text": "zebrasecret"}}}
    )
    assert stored["hits"]["total"]["value"] == 1


def test_audience_subscription_and_publication_apply_at_once(catalogue, member, caplog):
    market, hardware, _ = catalogue
    with caplog.at_level(logging.WARNING, logger="core.search"):
        assert ask(member, {"q": "zebrasecret"})[0] == 0
        assign_perm(PIECES_PERMISSION, member, market)
        assert ask(member, {"q": "zebrasecret"})[0] == 1
        market.documents = [
            ("document", {**b.value, "audience": Audience.PUBLIC})
            if b.value["audience"] == Audience.SUBSCRIBERS
            else (b.block_type, b.value)
            for b in market.documents
        ]
        market.save()
        assert ask(AnonymousUser(), {"q": "zebrasecret"})[0] == 1
        before = ask(AnonymousUser(), {})[0]
        hardware.unpublish()
        assert ask(AnonymousUser(), {})[0] == before - len(HARDWARE)
        assert ask(AnonymousUser(), {"q": "moniteur"})[0] == 0
    assert not engine_warnings(caplog)


def test_a_new_import_replaces_the_lines_in_the_engine(catalogue, django_capture_on_commit_callbacks, caplog):
    _, hardware, _ = catalogue
    public = hardware.pieces.get(audience=Audience.PUBLIC).document
    revised = [row for row in HARDWARE if row[0] != "Iiyama"] + [
        ["Samsung", "Moniteur Odyssey G5", "Matériels", "9 %", "299"]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(hardware, public, revised, holder=Holder.objects.get(slug="bechtle"))
    with caplog.at_level(logging.WARNING, logger="core.search"):
        _, ids, facets = ask(AnonymousUser(), {"q": "moniteurs", "editeur": ["Samsung", "Iiyama"]})
        removed = ask(AnonymousUser(), {"q": "prolite"})[0]
    assert not engine_warnings(caplog)
    assert [PriceLine.objects.get(pk=pk).designation for pk in ids] == ["Moniteur Odyssey G5"] and removed == 0
    assert facets["publisher"] == {("Samsung", 1, True), ("Iiyama", 0, True), ("Dell", 2, False)}
    # Deleting the market deletes its sources: the engine forgets their lines.
    with django_capture_on_commit_callbacks(execute=True):
        hardware.delete()
    left = engine.client().count(index=engine.alias_name(), body={"query": {"term": {"market_id": hardware.pk}}})
    assert left["count"] == 0


def test_paging_and_a_page_past_the_end(catalogue, caplog):
    with caplog.at_level(logging.WARNING, logger="core.search"):
        pages, number = [], 1
        while True:
            results = price_search(
                request=reader(AnonymousUser()), params=QueryDict(f"tri=prix&page={number}"), per_page=4
            )
            pages.append([line.pk for line in results.page])
            if not results.page.has_next():
                break
            number += 1
        last = price_search(request=reader(AnonymousUser()), params=QueryDict("tri=prix&page=999999"), per_page=4)
    assert not engine_warnings(caplog)
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)) == results.total == 5 + len(HARDWARE)
    assert last.page.number == number and [line.pk for line in last.page] == pages[-1]
    prices = [line.net_price for page in pages for line in PriceLine.objects.filter(pk__in=page)]
    assert None in prices  # the line on quote is there, last


def test_rebuild_moves_the_alias_to_a_new_index_and_drops_the_old(catalogue):
    connection, alias = engine.client(), engine.alias_name()
    before = set(connection.indices.get_alias(name=alias))
    count = engine.rebuild()
    after = set(connection.indices.get_alias(name=alias))
    assert count == PriceLine.objects.count() and len(after) == 1 and not before & after
    assert not any(connection.indices.exists(index=name) for name in before)
    assert ask(AnonymousUser(), {"q": "ecran"})[0] == 3  # "moniteur" too


def test_engine_down_answers_from_the_database_with_a_log_line(catalogue, backends, client, caplog):
    with_engine, database_only = backends
    with override_settings(WAGTAILSEARCH_BACKENDS=database_only):
        expected = ask(AnonymousUser(), {"q": "ecran", "categorie": "Matériels"})
    down = {**with_engine, "engine": {**with_engine["engine"], "URLS": ["http://127.0.0.1:9"]}}  # nothing listens
    with override_settings(WAGTAILSEARCH_BACKENDS=down), caplog.at_level(logging.WARNING, logger="core.search"):
        assert ask(AnonymousUser(), {"q": "ecran", "categorie": "Matériels"}) == expected
        response = client.get("/prix/", {"q": "ecran"})
        assert response.status_code == 200 and "Écrans 27 pouces" in response.content.decode()
    assert any("answered from the database" in r.getMessage() for r in engine_warnings(caplog))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.search"):  # back: the engine again
        assert ask(AnonymousUser(), {"q": "ecran", "categorie": "Matériels"}) == expected
    assert not engine_warnings(caplog)


def test_hostile_parameters_never_give_an_error(catalogue, client, caplog):
    names = ("q", "editeur", "categorie", "titulaire", "marche", "tri", "page")
    with caplog.at_level(logging.WARNING, logger="core.search"):
        for value in HOSTILE:
            for name in names:
                # The engine's own answer (no fallback, no error), then the page. A NUL byte
                # in a URL is refused by core.middleware with a 400 before any view.
                ask(AnonymousUser(), {name: value, "q": "ecran" if name != "q" else value})
                response = client.get("/prix/", {name: value, "q": "ecran" if name != "q" else value})
                assert response.status_code == (400 if "\x00" in value else 200), (name, value)
            everything = {name: value for name in names} | {"page": "1000000"}
            total = ask(AnonymousUser(), everything)[0]
            assert total == (5 + len(HARDWARE) if value == "\x00" else 0), value  # NUL: every value dropped
    assert not engine_warnings(caplog), [r.getMessage() for r in engine_warnings(caplog)]
