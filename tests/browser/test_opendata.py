"""Staff fill a market's CPV code by typing words of its label, and reach a lot's own DECP
data from the market's: all by clicking from the admin menu."""

import datetime

import pytest
from playwright.sync_api import expect

from opendata.services import essential_data_ensure
from tests.browser.test_admin_publish import log_in
from tests.browser.test_layout import DESKTOP, PHONE, SCREENSHOTS
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot
from tests.factories.members import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_choose_a_cpv_code_by_its_label_and_open_a_lots_data(page, market_index):
    market = MarketPageFactory(
        parent=market_index,
        title="Nettoyage des locaux",
        notified_on=datetime.date(2024, 3, 1),
        lots=[lot(1, "Bureaux", holder_entry(HolderFactory())), lot(2, "Vitres", holder_entry(HolderFactory()))],
        holders=[],
    )
    essential_data_ensure(market=type(market).objects.get(pk=market.pk))
    staff = StaffFactory(email="equipe@canut.org", is_superuser=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    log_in(page, staff.email, "/admin/")

    page.get_by_role("link", name="Données essentielles (DECP)", exact=True).click()
    expect(page.locator("main table")).to_contain_text("Lot n°2 : identifiant DECP du lot")
    page.get_by_role("link", name="Nettoyage des locaux").first.click()

    box = page.get_by_label("Code CPV")
    box.fill("nettoyage")
    expect(page.locator("#id_cpv_code-cpv-list option[value='90910000']")).to_have_count(1)
    box.fill("90910000")
    expect(page.locator("#id_cpv_code-cpv-label")).to_have_text("Services de nettoyage")
    page.screenshot(path=str(SCREENSHOTS / "admin-decp-cpv-1280.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.locator(".messages")).to_be_visible()
    market.essential_data.refresh_from_db()
    assert market.essential_data.cpv_code == "90910000"

    page.get_by_role("link", name="Nettoyage des locaux").first.click()
    page.get_by_role("link", name="Lot n°2").click()
    expect(page.locator("main")).to_contain_text("Manquant pour publier ce lot en DECP")
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / "admin-decp-lot-390.png"), full_page=True)
    assert overflow <= 0
