"""An editor publishing a market: a slug already taken by an abandoned draft shows as an
error counted on the "Promotion" tab, and a new market's slug is typed without accents."""

import pytest
from playwright.sync_api import expect

from markets.models import MarketPage
from tests.browser.test_layout import SCREENSHOTS
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, email, url):
    page.goto(f"/compte/connexion/?next={url}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_a_slug_taken_by_a_draft_is_counted_on_its_tab(page, market_index):
    editor = StaffFactory(email="redaction@canut.org")
    draft = MarketPageFactory(parent=market_index, title="Télécoms (abandonné)", slug="telecoms")
    MarketPage.objects.filter(pk=draft.pk).update(live=False, has_unpublished_changes=True)
    market = MarketPageFactory(parent=market_index, title="Télécoms et réseaux", slug="telecoms-et-reseaux")

    log_in(page, editor.email, f"/admin/pages/{market.pk}/edit/")
    page.get_by_role("tab", name="Promotion").click()
    slug = page.locator("#id_slug")
    slug.fill("telecoms")
    page.get_by_role("tab", name="Marché").click()  # the error will be on a tab not shown
    page.evaluate("document.querySelector('button[name=action-publish]').click()")

    promotion = page.get_by_role("tab", name="Promotion")
    expect(promotion.locator("[data-w-count-target=total]")).to_have_text("1")
    expect(promotion.locator(".w-tabs__errors")).to_be_visible()
    assert MarketPage.objects.get(pk=market.pk).slug == "telecoms-et-reseaux"


def test_a_new_market_slug_has_no_accents(page, market_index):
    editor = StaffFactory(email="redaction@canut.org")
    log_in(page, editor.email, f"/admin/pages/add/markets/marketpage/{market_index.pk}/")
    title = page.locator("#id_title")
    title.fill("Télécoms et réseaux")
    title.blur()
    expect(page.locator("#id_slug")).to_have_value("telecoms-et-reseaux")


def test_the_subscriptions_listing_leaves_room_for_the_market_name(page, market_index):
    from tests.factories.members import EstablishmentFactory
    from tests.factories.subscriptions import SubscriptionFactory

    editor = StaffFactory(email="gestion@canut.org")
    market = MarketPageFactory(parent=market_index, title="Acquisition de logiciels d'occasion et services associés")
    SubscriptionFactory(market=market, establishment=EstablishmentFactory(name="CC DU VAL DE DRÔME"))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, editor.email, "/admin/souscriptions/")
    cell = page.locator("td.listing-title-wide").first
    expect(cell).to_contain_text("Acquisition de logiciels")
    assert cell.bounding_box()["width"] >= 250
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "1280-admin-souscriptions.png", full_page=True)
