"""The catalogue's search box suggests markets and holders as a visitor types, by keyboard."""

import pytest
from wagtail.models import Site

from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(market_index, live_server):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    for title, holder in (("Cybersécurité", "E.S.I."), ("Matériels bureautiques", "ECONOCOM")):
        market = MarketPageFactory(
            parent=market_index, title=title, holders=[("holder", holder_entry(HolderFactory(name=holder)))]
        )
        market.save_revision().publish()
    return market_index


def test_suggestions_by_keyboard(page, catalogue):
    page.goto(catalogue.url)
    box = page.get_by_role("combobox", name="Rechercher")
    box.fill("cyber")
    option = page.get_by_role("option", name="Cybersécurité Marché")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    box.fill("econo")
    page.get_by_role("option", name="ECONOCOM Titulaire").wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/marches/?titulaire=econocom")
    assert page.get_by_role("heading", name="1 marché trouvé").is_visible()


def test_without_suggestions_the_box_is_a_plain_search(page, catalogue):
    page.goto(catalogue.url)
    box = page.get_by_role("combobox", name="Rechercher")
    box.fill("materiels")
    box.press("Enter")  # nothing selected: the form is submitted as without JavaScript
    page.wait_for_url("**/marches/?q=materiels*")
    assert page.get_by_role("heading", name="1 marché trouvé").is_visible()
