"""A visitor searches and filters "Tous les marchés", then opens a market page."""

import pytest
from wagtail.models import Site

from markets.access import Audience
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    ThemeFactory,
    holder_entry,
    piece,
)

# Restores the rows migrations made after the live server's flush, as the other
# transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(market_index, live_server):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    scc, esi = HolderFactory(name="SCC"), HolderFactory(name="E.S.I.")
    securite = ThemeFactory(name="Sécurité")
    logiciel = ThemeFactory(name="Logiciel")
    for title, holders, theme in (
        ("Multi-éditeurs", [scc], logiciel),
        ("Microsoft et alternatives", [scc, esi], logiciel),
        ("Cybersécurité", [esi], securite),
    ):
        market = MarketPageFactory(
            parent=market_index,
            title=title,
            holders=[("holder", holder_entry(h)) for h in holders],
            documents=[piece(MarketDocumentFactory(title=f"Fiche {title}"), "summary", Audience.PUBLIC)],
        )
        market.themes.set([theme])
        market.save_revision().publish()
    return market_index


def test_search_filter_and_open_a_market(page, catalogue):
    page.goto(catalogue.url)
    assert page.get_by_role("heading", name="3 marchés trouvés").is_visible()

    page.get_by_label("Rechercher", exact=True).fill("securite")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("heading", name="1 marché trouvé").is_visible()
    assert page.get_by_role("link", name="Cybersécurité", exact=True).is_visible()

    # Facets count within the current search: SCC has no security market, so start afresh.
    assert page.locator("#titulaire-scc").count() == 0
    page.goto(catalogue.url)
    page.get_by_label("SCC").check()
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("heading", name="2 marchés trouvés").is_visible()
    assert "titulaire=scc" in page.url  # a shareable address
    # The holder facet still counts E.S.I.'s markets while SCC is ticked.
    assert page.locator("label[for=titulaire-esi] .count").inner_text() == "2"

    page.get_by_label("Logiciel").check()
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("heading", name="2 marchés trouvés").is_visible()

    page.get_by_role("link", name="Multi-éditeurs", exact=True).click()
    assert page.get_by_role("heading", level=1, name="Multi-éditeurs").is_visible()
    assert page.get_by_role("link", name="Fiche Multi-éditeurs").is_visible()
    assert page.get_by_role("heading", name="Accéder à toutes les pièces").is_visible()


def test_keyboard_reaches_the_filters_and_results(page, catalogue, axe):
    page.goto(catalogue.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    axe.check(page)  # the page as the keyboard left it (the test ends before the load audit runs)


def test_on_a_phone_the_results_come_before_the_folded_filters(page, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{catalogue.url}?titulaire=scc&statut=tous")

    toggle = page.locator("summary.filters-panel__toggle")
    assert toggle.inner_text().startswith("Filtrer (2)")  # a holder and a status
    assert not page.get_by_label("E.S.I.").is_visible()  # folded
    first_card = page.get_by_role("link", name="Microsoft et alternatives", exact=True)
    box = first_card.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box  # seen without scrolling
    assert page.evaluate("window.scrollY") == 0

    toggle.click()  # unfolds without JavaScript of ours: a <details>
    page.get_by_label("E.S.I.").check()
    page.get_by_role("button", name="Filtrer", exact=True).click()
    assert page.get_by_role("heading", name="3 marchés trouvés").is_visible()
    assert page.locator("summary.filters-panel__toggle").inner_text().startswith("Filtrer (3)")


def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(page, catalogue):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(catalogue.url)
    assert not page.locator("summary.filters-panel__toggle").is_visible()
    assert page.get_by_label("SCC").is_visible()
    filters = page.locator("form.filters").bounding_box()
    results = page.locator("#results-count").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]  # side by side
