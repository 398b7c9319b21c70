"""'Tous les marchés': keywords, facets, status, pagination and bad input, through real HTTP."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from markets.access import Audience
from markets.models import MarketPage
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    ThemeFactory,
    holder_entry,
    indexing_deferred,
    lot,
    piece,
)

TODAY = timezone.localdate()


@pytest.fixture
def catalogue(market_index):
    """Four current markets, one ended, one upcoming, one draft; holders and themes as in the seed."""
    scc, esi, econocom = (HolderFactory(name=n) for n in ("SCC", "E.S.I.", "ECONOCOM"))
    logiciel = ThemeFactory(name="Logiciel")
    travail = ThemeFactory(name="Environnement de travail", parent=logiciel)
    gestion = ThemeFactory(name="Logiciel de gestion", parent=logiciel)
    materiels = ThemeFactory(name="Matériels")
    securite = ThemeFactory(name="Sécurité")

    def market(title, holders, themes, **kwargs):
        page = MarketPageFactory(
            parent=market_index,
            title=title,
            holders=[("holder", holder_entry(h)) for h in holders],
            **kwargs,
        )
        page.themes.set(themes)
        page.save_revision().publish()
        return page

    return {
        "multi": market("Multi-éditeurs", [scc], [travail, gestion], summary="Logiciels de nombreux éditeurs."),
        "microsoft": market("Microsoft et alternatives", [scc, esi], [travail]),
        "materiels": market(
            "Matériels bureautiques neufs", [econocom], [materiels], summary="Fixes, portables, écrans."
        ),
        "securite": market("Cybersécurité", [esi], [securite], summary="Solutions de sécurité des systèmes."),
        "ended": market(
            "Ancien marché de logiciels",
            [scc],
            [gestion],
            notified_on=TODAY - datetime.timedelta(days=2000),
            ends_on=TODAY - datetime.timedelta(days=1),
        ),
        "upcoming": market(
            "Futur marché réseaux",
            [econocom],
            [materiels],
            notified_on=TODAY + datetime.timedelta(days=10),
            ends_on=TODAY + datetime.timedelta(days=1500),
        ),
        "draft": MarketPageFactory(parent=market_index, title="Brouillon de logiciels", live=False),
        "holders": {"scc": scc, "esi": esi, "econocom": econocom},
        "themes": {"logiciel": logiciel, "travail": travail, "materiels": materiels, "securite": securite},
    }


def titles(response):
    return [market.title for market in response.context["catalogue"].page]


def facet(response, name):
    return {value.name: value.count for value in getattr(response.context["catalogue"], name)}


def test_lists_current_live_markets_by_default(client, market_index, catalogue):
    response = client.get(market_index.url)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        ["Multi-éditeurs", "Microsoft et alternatives", "Matériels bureautiques neufs", "Cybersécurité"]
    )
    assert "4 marchés trouvés" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [("termines", ["Ancien marché de logiciels"]), ("a-venir", ["Futur marché réseaux"])],
)
def test_status_filter(client, market_index, catalogue, status, expected):
    assert titles(client.get(market_index.url, {"statut": status})) == expected


def test_all_statuses_never_show_drafts(client, market_index, catalogue):
    found = titles(client.get(market_index.url, {"statut": "tous"}))
    assert len(found) == 6
    assert "Brouillon de logiciels" not in found


def test_unpublished_market_disappears(client, market_index, catalogue):
    catalogue["multi"].unpublish()
    assert "Multi-éditeurs" not in titles(client.get(market_index.url))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("securite", ["Cybersécurité"]),  # accents forgiven
        ("SÉCURITÉ", ["Cybersécurité"]),
        ("portable", ["Matériels bureautiques neufs"]),  # "portables" in the summary
        ("solution systeme", ["Cybersécurité"]),
        ("logiciel", ["Multi-éditeurs", "Microsoft et alternatives"]),  # parent theme of their sub-themes
        ("portables ecran", ["Matériels bureautiques neufs"]),  # every word must match
        ("econocom", ["Matériels bureautiques neufs"]),  # holder names are indexed
        ("environnement travail", ["Multi-éditeurs", "Microsoft et alternatives"]),  # theme names too
    ],
)
def test_keyword_search_forgives_accents_and_plurals(client, market_index, catalogue, query, expected):
    assert sorted(titles(client.get(market_index.url, {"q": query}))) == sorted(expected)


def test_keyword_search_respects_status_and_drafts(client, market_index, catalogue):
    assert titles(client.get(market_index.url, {"q": "editeurs"})) == ["Multi-éditeurs"]
    found = titles(client.get(market_index.url, {"q": "logiciels gestion", "statut": "tous"}))
    assert sorted(found) == ["Ancien marché de logiciels", "Multi-éditeurs"]


def test_holder_values_combine_with_or(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": ["econocom", "esi"]})
    assert sorted(titles(response)) == ["Cybersécurité", "Matériels bureautiques neufs", "Microsoft et alternatives"]


def test_facets_combine_with_and(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": "scc", "theme": "logiciel"})
    assert sorted(titles(response)) == ["Microsoft et alternatives", "Multi-éditeurs"]
    response = client.get(market_index.url, {"titulaire": "econocom", "theme": "securite"})
    assert titles(response) == []


def test_facet_counts_ignore_their_own_selection(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": "scc"})
    # Ticking SCC still shows how many markets E.S.I. and ECONOCOM have.
    assert facet(response, "holder_facet") == {"SCC": 2, "E.S.I.": 2, "ECONOCOM": 1}
    # The theme facet follows the holder selection.
    themes = facet(response, "theme_facet")
    assert themes == {"Logiciel": 2}


def test_theme_facet_counts_parents_with_their_sub_themes(client, market_index, catalogue):
    response = client.get(market_index.url)
    (logiciel,) = [v for v in response.context["catalogue"].theme_facet if v.name == "Logiciel"]
    assert logiciel.count == 2
    assert {child.name: child.count for child in logiciel.children} == {
        "Environnement de travail": 2,
        "Logiciel de gestion": 1,
    }
    # Selecting the parent finds markets tagged with a sub-theme only.
    assert sorted(titles(client.get(market_index.url, {"theme": "logiciel"}))) == [
        "Microsoft et alternatives",
        "Multi-éditeurs",
    ]


def test_counts_appear_next_to_each_value(client, market_index, catalogue):
    html = client.get(market_index.url).content.decode()
    assert 'id="titulaire-scc"' in html
    assert 'aria-label="2 marchés">2</span>' in html


def test_facet_choices_are_labelled_ticked_and_escaped(client, market_index, catalogue):
    scc = catalogue["holders"]["scc"]
    scc.name = "<b>SCC</b> & fils"
    scc.save()
    html = client.get(market_index.url, {"titulaire": "scc"}).content.decode()
    assert (
        '<input type="checkbox" id="titulaire-scc" name="titulaire" value="scc" checked>'
        '<label for="titulaire-scc">&lt;b&gt;SCC&lt;/b&gt; &amp; fils '
        '<span class="count" aria-label="2 marchés">2</span></label>'
    ) in html
    assert '<input type="checkbox" id="titulaire-esi" name="titulaire" value="esi">' in html
    # With SCC ticked, its two markets both have the sub-theme "Environnement de travail".
    assert (
        'for="theme-environnement-de-travail">Environnement de travail <span class="count" aria-label="2 marchés">'
        in html
    )
    html = client.get(market_index.url, {"theme": "materiels"}).content.decode()
    assert '<input type="checkbox" id="theme-materiels" name="theme" value="materiels" checked>' in html
    assert 'for="theme-materiels">Matériels <span class="count" aria-label="1 marché">1</span>' in html


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


def _add_markets(market_index, count, holders, themes, document):
    for i in range(count):
        market = MarketPageFactory(
            parent=market_index,
            holders=[("holder", holder_entry(holders[i % len(holders)]))],
            lots=[lot(1, "Lot", holder_entry(holders[(i + 1) % len(holders)]))],
            documents=[piece(document, "summary", Audience.PUBLIC)],
        )
        market.themes.set([themes[i % len(themes)]])
        market.save()


# Wagtail's routing: the site, the root page and the index page (specific), the alias and
# view-restriction checks of the page served.
ROUTING_QUERIES = 6
# Every catalogue request: the catalogue's stamp and the page privacy restrictions, which
# the cache keys hold. Labels and the header and footer menus come from the cache.
KEY_QUERIES = 2
# A search not cached yet: the total and both facets (two queries; with keywords, the
# matching ids with their filters, then the facets), then one page of cards and their
# holders and pieces (two queries).
SEARCH_QUERIES = 4
# A logged-in visitor: the session and the user, and the Wagtail userbar's two permission
# reads (model and group permissions). Nothing else differs: the results are shared.
LOGGED_IN_QUERIES = 4
COLD, WARM = ROUTING_QUERIES + KEY_QUERIES + SEARCH_QUERIES, ROUTING_QUERIES + KEY_QUERIES


def test_query_count_does_not_grow_with_markets(client, market_index, member):
    holders = [HolderFactory() for _ in range(5)]
    themes = [ThemeFactory() for _ in range(4)]
    document = MarketDocumentFactory()
    requests = [{}, {"theme": themes[0].slug, "titulaire": holders[1].slug}, {"q": "licences"}, {"statut": "tous"}]

    def count(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(market_index.url, params).status_code == 200
        return len(captured.captured_queries)

    def cold_then_warm():
        client.get(market_index.url, {"statut": "a-venir"})  # caches site root paths, labels, menus
        return [(count(params), count(params)) for params in requests]

    _add_markets(market_index, 10, holders, themes, document)
    at_10 = cold_then_warm()
    with indexing_deferred():
        _add_markets(market_index, 190, holders, themes, document)
    assert cold_then_warm() == at_10 == [(COLD, WARM)] * len(requests)
    # The second page reads the cached counts: only its cards are new.
    assert count({"statut": "tous", "page": 2}) == WARM + 2

    client.force_login(member)
    assert [count(params) for params in requests] == [WARM + LOGGED_IN_QUERIES] * len(requests)


def test_cached_results_follow_every_change(client, market_index, catalogue, home_page):
    """Each change an editor can make shows at the next request, with no wait for the cache."""
    url = market_index.url
    before = titles(client.get(url))
    newcomer = MarketPageFactory(parent=market_index, title="Visioconférence", live=False)
    newcomer.save_revision().publish()
    assert titles(client.get(url)) == [*before, "Visioconférence"]

    newcomer.refresh_from_db()  # publishing saved another instance
    newcomer.unpublish()
    assert titles(client.get(url)) == before

    multi = catalogue["multi"]
    multi.themes.set([catalogue["themes"]["securite"]])
    multi.save_revision().publish()
    assert facet(client.get(url), "theme_facet")["Sécurité"] == 2

    multi.move(home_page, pos="last-child")
    assert "Multi-éditeurs" not in titles(client.get(url))

    catalogue["securite"].delete()
    assert facet(client.get(url), "theme_facet") == {"Logiciel": 1, "Matériels": 1}

    market_index.per_page = 1
    market_index.save_revision().publish()
    assert len(titles(client.get(url))) == 1


def test_cached_cards_follow_a_replaced_document(client, market_index):
    document = MarketDocumentFactory()
    MarketPageFactory(parent=market_index, documents=[piece(document, "summary", Audience.PUBLIC)])
    link = client.get(market_index.url).context["catalogue"].page[0].pieces[0].url
    document.file.name = "documents/synthese-2027.pdf"
    document.save()
    assert client.get(market_index.url).context["catalogue"].page[0].pieces[0].url != link
    assert client.get(market_index.url).context["catalogue"].page[0].pieces[0].url.endswith("/synthese-2027.pdf")


def test_cached_fragments_never_repeat_another_visitors_parameters(client, market_index, member):
    """The filters and cards are cached HTML; the pagination echoes each request's own parameters."""
    for n in range(12):
        MarketPageFactory(parent=market_index, title=f"Marché {n}")
    first = client.get(market_index.url, {"suivi": "campagne-xyz"}).content.decode()
    second = client.get(market_index.url).content.decode()
    assert "campagne-xyz" in first and "campagne-xyz" not in second
    assert "Page 1 sur 2" in second and second.count('class="market-card"') == 10
    assert "(connexion requise)" in second
    client.force_login(member)
    as_member = client.get(market_index.url).content.decode()
    assert "(connexion requise)" not in as_member and as_member.count('class="market-card"') == 10
    client.logout()
    assert "(connexion requise)" in client.get(market_index.url).content.decode()


def test_cached_results_follow_the_date(client, market_index, settings):
    """The statuses are read from today's date: a new day is a new cache key, with no write."""
    settings.TIME_ZONE = "Pacific/Pago_Pago"  # UTC-11; Kiritimati (UTC+14) is always a day or two ahead
    today = timezone.localdate()
    MarketPageFactory(
        parent=market_index, title="Dernier jour", notified_on=today - datetime.timedelta(days=300), ends_on=today
    )
    assert titles(client.get(market_index.url)) == ["Dernier jour"]
    settings.TIME_ZONE = "Pacific/Kiritimati"
    assert titles(client.get(market_index.url)) == []
    assert titles(client.get(market_index.url, {"statut": "termines"})) == ["Dernier jour"]


def test_keyword_search_is_paged_in_relevance_order_without_repeats(client, market_index):
    holder, theme, document = HolderFactory(), ThemeFactory(), MarketDocumentFactory()
    with indexing_deferred():
        _add_markets(market_index, 25, [holder], [theme], document)
    seen = []
    for page in (1, 2, 3):
        response = client.get(market_index.url, {"q": "licences", "page": page})
        seen += [card.pk for card in response.context["catalogue"].page]
    assert len(seen) == len(set(seen)) == 25
    assert response.context["catalogue"].total == 25


def test_cached_labels_follow_holder_and_theme_edits(client, market_index, catalogue):
    client.get(market_index.url)  # labels cached
    scc = catalogue["holders"]["scc"]
    scc.name = "SCC France"
    scc.save()
    materiels = catalogue["themes"]["materiels"]
    materiels.name = "Matériels et périphériques"
    materiels.save()

    response = client.get(market_index.url)

    assert "SCC France" in facet(response, "holder_facet")
    assert "Matériels et périphériques" in facet(response, "theme_facet")
    catalogue["themes"]["securite"].delete()
    assert "Sécurité" not in facet(client.get(market_index.url), "theme_facet")


def test_labels_cached_by_another_worker_are_read_again_when_a_holder_is_missing(client, market_index, catalogue):
    """A per-process cache misses the signal of a save in another worker: the facet still names the holder."""
    from django.core.cache import cache

    from markets.catalogue import LABELS_CACHE_KEY

    client.get(market_index.url)
    stale = cache.get(LABELS_CACHE_KEY)
    newcomer = HolderFactory(name="NOUVEAU TITULAIRE")
    market = catalogue["multi"]
    market.holders = [("holder", holder_entry(newcomer))]
    market.save_revision().publish()
    cache.set(LABELS_CACHE_KEY, stale)  # as another worker still holds it

    assert facet(client.get(market_index.url), "holder_facet")["NOUVEAU TITULAIRE"] == 1


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


def test_an_engine_answering_with_objects_gives_the_same_catalogue(client, market_index, catalogue, settings):
    """The Elasticsearch path: the engine's hits, in its order, stand for the set."""
    queries = [{"q": "logiciels"}, {"q": "securite", "statut": "tous"}, {"q": "logiciels", "titulaire": "scc"}]
    by_queryset = [client.get(market_index.url, params) for params in queries]
    # Another engine: other cache keys (the cached results of the first are not read).
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "tests.markets.ids_backend", "SEARCH_CONFIG": "french"}}
    assert not hasattr(MarketPage.objects.search("logiciels"), "get_queryset")  # the other path, then
    for params, expected in zip(queries, by_queryset, strict=True):
        response = client.get(market_index.url, params)
        assert titles(response) == titles(expected), params
        assert facet(response, "holder_facet") == facet(expected, "holder_facet"), params
        assert facet(response, "theme_facet") == facet(expected, "theme_facet"), params
    assert titles(client.get(market_index.url, {"q": "introuvable"})) == []
