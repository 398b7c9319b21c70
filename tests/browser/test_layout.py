"""The member pages at phone (390 px) and desktop (1280 px) widths: nothing wider than the
window, the subscription's steps all on screen, tables scrolling in their own box, the
header menu by keyboard. Screenshots go to var/screenshots/ for a person to look at."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from groupements.models import Groupement
from tests.factories.directory import directory_entries
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# In the project's var/ (git-ignored), not the test run's temporary VAR_DIR: kept to look at.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def member_pages(market_index):
    member = UserFactory(
        email="agent@nyons.fr", first_name="Agnès", last_name="Martin", function="Responsable informatique"
    )
    colleague = UserFactory(email="direction.generale.des.services@commune-de-nyons.example.fr", function="DGS")
    establishment = EstablishmentFactory(name="COMMUNE DE NYONS", users=[member, colleague])
    market = MarketPageFactory(
        parent=market_index, title="Logiciels d'occasion", subtitle="Accord-cadre multi attributaire"
    )
    subscription = SubscriptionFactory(
        market=market,
        establishment=establishment,
        requested_by=member,
        sent_on=datetime.date(2026, 2, 2),
        received_on=datetime.date(2026, 2, 9),
    )
    GroupementFactory(parent=establishment, created_by=member, status=Groupement.Status.VALIDATED, members=3)
    return {
        "member": member,
        "pages": {
            "tableau-de-bord": "/compte/tableau-de-bord/",
            "mes-marches": "/compte/marches/",
            "souscription": f"/compte/souscriptions/{subscription.pk}/",
            "etablissements": "/compte/etablissements/",
            "groupements": "/compte/groupements/",
            "mon-compte": "/compte/mon-compte/",
            "catalogue": market_index.url,
        },
    }


def log_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("heading", name="Bonjour !").wait_for()


def overflow(page):
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def too_wide(page):
    """The outermost elements that reach past the window's right edge (for the failure message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.parentElement.closest(".table-scroll"))
            .slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""
    )


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_member_pages_fit_the_window(page, member_pages, viewport):
    page.set_viewport_size(viewport)
    log_in(page, member_pages["member"].email)
    assert page.url.endswith("/compte/tableau-de-bord/")  # login lands on the dashboard
    for name, url in member_pages["pages"].items():
        page.goto(url)
        shoot(page, f"{viewport['width']}-{name}")
        scroll_width, client_width = overflow(page)
        assert scroll_width <= client_width, f"{url}: {scroll_width}px in a {client_width}px window: {too_wide(page)}"

    page.goto(member_pages["pages"]["souscription"])
    finalized = page.get_by_text("Convention finalisée")
    box = finalized.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], "last step off screen"

    # The users' table scrolls inside its labelled, focusable box, not the page.
    page.goto(member_pages["pages"]["etablissements"])
    region = page.get_by_role("region", name="Utilisateurs de COMMUNE DE NYONS")
    assert region.get_attribute("tabindex") == "0"
    if viewport is PHONE:
        assert region.evaluate("box => box.scrollWidth > box.clientWidth")


def test_the_phone_menu_by_keyboard(page, member_pages, axe):
    page.set_viewport_size(PHONE)
    log_in(page, member_pages["member"].email)
    menu_button = page.get_by_role("button", name="Menu")
    catalogue = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Tous les marchés"
    )
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(catalogue).to_be_hidden()

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(catalogue).to_be_visible()
    # The member's links are in the open menu, reached with Tab.
    member_menu = page.get_by_role("navigation", name="Menu de mon compte")
    expect(member_menu.get_by_role("link", name="Mes marchés")).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Mes établissements":
            break
    else:
        pytest.fail("Tab never reached « Mes établissements »")
    shoot(page, "390-menu-ouvert")
    axe.check(page)  # the open menu too

    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_be_focused()
    expect(catalogue).to_be_hidden()

    menu_button.click()
    page.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name="Mes établissements").click()
    page.get_by_role("heading", name="Mes établissements", level=1).wait_for()


def test_the_account_menu_on_desktop_by_keyboard(page, member_pages, axe):
    page.set_viewport_size(DESKTOP)
    log_in(page, member_pages["member"].email)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    account = page.get_by_role("button", name="Agnès Martin")
    links = page.get_by_role("navigation", name="Menu de mon compte")
    expect(links).to_be_hidden()

    account.focus()
    page.keyboard.press("Enter")
    expect(account).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link")).to_have_text(
        [
            "Mon tableau de bord",
            "Mes marchés",
            "Mes établissements",
            "Mes groupements",
            "Mes factures",
            "Mes simulations",
            "Mes alertes",
            "Aide et contact",
            "Mon compte",
        ]
    )
    expect(links.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(links.get_by_role("link", name="Mes marchés")).to_be_focused()
    shoot(page, "1280-menu-compte")
    axe.check(page)
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(account).to_be_focused()

    # Tabbing out of the menu closes it.
    page.keyboard.press("Enter")
    expect(links).to_be_visible()
    for _ in range(links.get_by_role("link").count() + 2):  # each link, "Se déconnecter", then out
        page.keyboard.press("Tab")
    expect(links).to_be_hidden()

    account.click()
    links.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_without_javascript_every_link_shows(live_server, page, axe, member_pages):
    page.goto("/compte/connexion/")  # axe needs JavaScript: it audits this one
    axe.check(page)  # now: the rest of the test drives another context, and may end before the load audit runs
    context = page.context.browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    nojs = context.new_page()
    nojs.goto("/compte/connexion/?next=/compte/etablissements/")
    nojs.get_by_label("Adresse e-mail").fill(member_pages["member"].email)
    nojs.get_by_label("Mot de passe").fill(PASSWORD)
    nojs.get_by_role("button", name="Connexion").click()
    nojs.get_by_role("heading", name="Mes établissements", level=1).wait_for()  # the safe `next`
    expect(nojs.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        nojs.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name="Mes groupements")
    ).to_be_visible()
    expect(nojs.get_by_role("link", name="Tous les marchés")).to_be_visible()
    scroll_width, client_width = overflow(nojs)
    assert scroll_width <= client_width
    context.close()


def test_a_form_error_puts_the_focus_on_its_summary(page, home_page):
    UserFactory(email="agent@nyons.fr")
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("agent@nyons.fr")
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Connexion").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert re.search("valides", summary.inner_text())


def test_the_establishment_search_updates_its_live_region_in_place(page, home_page, settings):
    settings.COMPANY_REGISTER_URL = "http://127.0.0.1:9"  # down: only the directory answers
    directory_entries(
        {
            "siret": "21260210600016",
            "siren": "212602106",
            "name": "COMMUNE DE NYONS",
            "postcode": "26110",
            "city": "NYONS",
        }
    )
    page.set_viewport_size(PHONE)
    page.goto("/compte/inscription/")
    page.evaluate("window.liveRegion = document.getElementById('establishment-results')")
    page.get_by_label("Saisissez le nom, ville, code postal ou SIRET de l'établissement").press_sequentially(
        "nyons", delay=30
    )
    expect(page.get_by_role("link", name=re.compile("COMMUNE DE NYONS"))).to_be_visible()
    # Screen readers announce changes inside a live region they know, not a new one.
    assert page.evaluate("window.liveRegion === document.getElementById('establishment-results')")
    assert page.evaluate("window.liveRegion.getAttribute('aria-live')") == "polite"
    assert page.locator("#establishment-results").count() == 1
    scroll_width, client_width = overflow(page)
    assert scroll_width <= client_width
    shoot(page, "390-inscription-recherche")
