"""'Tous les marchés': cached results, fragments and labels follow every change, at the next request."""

import datetime

import pytest
from django.utils import timezone

from markets.access import Audience
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    holder_entry,
    piece,
)
from tests.markets.catalogue_helpers import facet, titles


@pytest.fixture(autouse=True, params=["mémoire", "redis"])
def shared_cache(request):
    """Each test on a process's memory cache and on Redis, the cache all workers share."""
    if request.param == "redis":
        request.getfixturevalue("redis_server")


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
