"""A member saves a catalogue search, finds it in "Mes alertes" from the account menu and
pauses it; at 1280 and 390 px (screenshots in var/screenshots/)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from alerts.models import SavedSearch
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_member_saves_a_search_and_manages_it_in_mes_alertes(page, market_index, viewport, axe):
    MarketPageFactory(parent=market_index, title="Licences bureautiques", slug="licences")
    member = UserFactory(email="agent@nyons.fr", first_name="Agnès", last_name="Martin")
    EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    width = viewport["width"]
    page.set_viewport_size(viewport)

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("heading", name="Bonjour !").wait_for()

    if width < 768:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Tous les marchés").click()
    if width < 768:
        page.locator("summary.filters-panel__toggle").click()
    page.get_by_label("Rechercher", exact=True).fill("licences")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_text("Enregistrer cette recherche").click()
    page.get_by_label("Nom de la recherche").fill("Mes licences")
    page.get_by_label("Chaque jour").check()
    page.screenshot(path=str(SCREENSHOTS / f"{width}-alertes-enregistrer.png"), full_page=True)
    axe.check(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Recherche « Mes licences » enregistrée").wait_for()
    assert SavedSearch.objects.get().params["q"] == ["licences"]

    if width < 768:  # the member's links are in the open menu
        page.get_by_role("button", name="Menu").click()
    else:
        page.get_by_role("button", name="Agnès Martin").click()
    page.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name="Mes alertes").click()
    page.get_by_role("heading", name="Mes alertes", level=1).wait_for()
    expect(page.get_by_role("link", name="Mes licences")).to_be_visible()
    page.get_by_text("Modifier", exact=False).first.click()
    page.get_by_label("En pause").check()
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    page.get_by_text("Recherche « Mes licences » modifiée.").wait_for()
    expect(page.get_by_text("En pause", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / f"{width}-mes-alertes.png"), full_page=True)
    axe.check(page)
    assert SavedSearch.objects.get().paused
