"""Public Atom feeds: valid Atom, only what the public page shows."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from markets.access import Audience
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    ThemeFactory,
    holder_entry,
    lot,
    piece,
)

from .conftest import publish, restrict

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id") is not None and feed.find(f"{ATOM}updated") is not None
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        found.append(entry)
    return found


@pytest.fixture
def catalogue(market_index):
    theme, holder = ThemeFactory(name="Sécurité"), HolderFactory(name="SCC", slug="scc")
    secret = MarketDocumentFactory(title="BPU confidentiel")
    public = publish(
        MarketPageFactory(
            parent=market_index,
            title="Antivirus",
            slug="antivirus",
            live=False,
            themes=[theme],
            lots=[
                lot(1, "Lot réservé aux adhérents", holder_entry(holder, name="Contact Privé", email="prive@scc.fr"))
            ],
            documents=[piece(secret, "bpu", Audience.SUBSCRIBERS, title="BPU confidentiel")],
        )
    )
    hidden = publish(MarketPageFactory(parent=market_index, title="Marché protégé", slug="protege", live=False))
    restrict(hidden)
    MarketPageFactory(parent=market_index, title="Brouillon", slug="brouillon", live=False).save_revision()
    return public, theme, holder


def test_the_feed_lists_public_markets_with_public_content_only(client, catalogue):
    [entry] = entries(client.get(reverse("alerts:feed")))
    text = ET.tostring(entry, encoding="unicode")
    assert "Antivirus" in text and "/marches/antivirus/" in text and "SCC" in text and "Sécurité" in text
    for restricted in (
        "Marché protégé",
        "Brouillon",
        "Lot réservé",
        "Contact Privé",
        "prive@scc.fr",
        "BPU confidentiel",
    ):
        assert restricted not in client.get(reverse("alerts:feed")).text


def test_theme_and_holder_feeds(client, catalogue, market_index):
    _, theme, holder = catalogue
    MarketPageFactory(parent=market_index, title="Téléphonie", slug="telephonie", live=False).save_revision().publish()
    assert len(entries(client.get(reverse("alerts:feed")))) == 2
    assert [
        e.find(f"{ATOM}title").text for e in entries(client.get(reverse("alerts:feed_theme", args=[theme.slug])))
    ] == ["Antivirus"]
    holder_feed = entries(client.get(reverse("alerts:feed_holder", args=[holder.slug])))
    assert [e.find(f"{ATOM}title").text for e in holder_feed] == ["Antivirus"]
    assert client.get(reverse("alerts:feed_theme", args=["inconnu"])).status_code == 404


def test_the_catalogue_links_its_feed(client, market_index):
    page = client.get(market_index.url)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Marchés nouveaux et mis à jour" '
        f'href="{reverse("alerts:feed")}">' in page.text
    )


def test_a_catalogue_filtered_on_a_theme_links_its_feed(client, catalogue, market_index):
    _, theme, holder = catalogue
    page = client.get(f"{market_index.url}?theme={theme.slug}&titulaire={holder.slug}")
    assert f'href="{reverse("alerts:feed_theme", args=[theme.slug])}"' in page.text
    assert f'href="{reverse("alerts:feed_holder", args=[holder.slug])}"' in page.text
