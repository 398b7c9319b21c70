"""The member guide walked as a new member would, on the demo's content, at 390 and 1280 px:
every page reached by clicking from the menu or the page before (only the home page is
typed), what misled members checked where they see it (issue 24), and a screenshot of each
screen (var/screenshots/<width>-guide-<key>.png) that the user guide is built from
(home/guide.py, `manage.py build_user_guide`)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from home.guide import SECTIONS
from members.models import User
from tests.browser.test_layout import DESKTOP, PHONE, SCREENSHOTS, overflow, too_wide
from tests.factories.members import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MEMBER = "adherent.demo@canut.org"
TEMPLATE_SYNTAX = re.compile(r"\{[#%{]")
MONEY = re.compile(r"(\d[\d\u202f\u00a0 ]*(?:,\d+)?)\s*€")


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())
    member = User.objects.get(email=MEMBER)
    member.set_password(PASSWORD)
    member.save()
    return member


def shoot(page, width, key):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{width}-guide-{key}.png", full_page=True)


def check(page, width, key):
    """What every screen of the walk must be: no template syntax shown, nothing wider than
    the window; then its screenshot."""
    page.wait_for_load_state("load")
    text = page.locator("body").inner_text()
    assert not TEMPLATE_SYNTAX.search(text), f"{page.url} shows template syntax: {TEMPLATE_SYNTAX.search(text)}"
    scroll_width, client_width = overflow(page)
    assert scroll_width <= client_width, f"{page.url}: {scroll_width}px in {client_width}px: {too_wide(page)}"
    shoot(page, width, key)


def open_menu(page):
    """On a phone the header's links are behind "Menu"."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def menu(page, name):
    """A link of the main menu."""
    open_menu(page)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name=name, exact=True).click()


def account(page, name):
    """A link of the header's account menu (behind "Menu" on a phone)."""
    open_menu(page)
    button = page.locator("[data-account-toggle]")
    if button.is_visible() and button.get_attribute("aria-expanded") == "false":
        button.click()
    page.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name=name, exact=True).click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_new_member_walks_the_guide(page, demo, viewport):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.goto("/")
    check(page, width, "accueil")

    open_menu(page)
    page.get_by_role("link", name="Se connecter").first.click()
    check(page, width, "connexion")
    page.get_by_role("link", name="inscrivez-vous").click()
    check(page, width, "inscription")
    page.go_back()
    page.get_by_label("Adresse e-mail").fill(MEMBER)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Connexion")).to_have_count(0)
    menu(page, "Tableau de bord")  # the login went back to the page it was asked from
    page.get_by_role("heading", name="Bonjour !").wait_for()
    check(page, width, "tableau-de-bord")

    # An ended and an upcoming market say why they take no subscription, on the card and the page.
    menu(page, "Tous les marchés")
    check(page, width, "catalogue")
    for status, title, reason in (
        ("À venir", "Réseaux et Wi-Fi", "la souscription ouvrira à cette date"),
        ("Terminés", "Impression et reprographie", "a pris fin le 03/01/2025"),
    ):
        if width == PHONE["width"]:
            page.locator("summary", has_text="Filtrer").click()
        page.get_by_label(status, exact=True).check()
        page.get_by_role("button", name="Filtrer").click()
        card = page.locator("article.market-card", has=page.get_by_role("link", name=title, exact=True))
        expect(card.get_by_text(reason)).to_be_visible()
        expect(card.get_by_role("link", name=re.compile("Préparer sa souscription"))).to_have_count(0)
    page.get_by_role("link", name="Impression et reprographie", exact=True).click()
    expect(page.get_by_text("Ce marché a pris fin le 03/01/2025")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Préparer sa souscription"))).to_have_count(0)
    expect(page.get_by_text("Frais d'utilisation estimés")).to_have_count(0)

    # A market in force: the estimate follows "ne souhaite pas adhérer".
    menu(page, "Tous les marchés")
    page.get_by_role("link", name="Multi-éditeurs", exact=True).click()
    check(page, width, "marche")
    page.locator("#souscription").get_by_role("link", name=re.compile("Préparer sa souscription")).click()
    expect(page.get_by_role("link", name="COMMUNE DE NYONS - 26110")).to_be_visible()  # as written, not lowercased
    member_fee = page.locator("[data-fee-for=member]")
    non_member_fee = page.locator("[data-fee-for=neither]")
    expect(member_fee).to_be_visible()
    expect(non_member_fee).to_be_hidden()
    page.get_by_label("Mon établissement n'est pas adhérent et ne souhaite pas adhérer").check()
    expect(member_fee).to_be_hidden()
    expect(non_member_fee).to_contain_text("Tarif sans adhésion à l'association")
    page.get_by_label("Mon établissement est déjà adhérent de l'association CANUT").check()
    expect(member_fee).to_be_visible()
    check(page, width, "souscription")

    # The help form, from the page the member was on: its context readable at any width.
    page.get_by_role("link", name="Besoin d'aide ?").click()
    page.get_by_role("heading", name="Contexte de votre demande").wait_for()
    for dd in page.locator(".assistance-context dd").all():
        box = dd.bounding_box()
        assert box["width"] >= 150, f"a context value {box['width']}px wide: {dd.inner_text()}"
    # It was 5,700 px at 1280 px (one letter a line); a phone stacks what a computer sets side by side.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (3000 if width >= 1280 else 4500), f"the help form is {height}px tall at {width}px"
    check(page, width, "assistance")
    page.go_back()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_role("heading", name="Mes marchés")).to_be_visible()
    page.get_by_role("link", name=re.compile("Gérer mon marché — Multi-éditeurs")).click()
    expect(page.get_by_role("heading", name="Statut de mon adhésion")).to_be_visible()
    check(page, width, "gerer-mon-marche")

    # The last user of an establishment with a live subscription is told before "Confirmer".
    account(page, "Mes établissements")
    check(page, width, "etablissements")
    page.get_by_role("link", name=re.compile("Supprimer")).first.click()
    expect(page.get_by_text("Vous êtes le dernier utilisateur de « COMMUNE DE NYONS »")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmer")).to_have_count(0)
    page.get_by_role("link", name="Retour à mes établissements").click()

    account(page, "Mes groupements")
    check(page, width, "groupements")

    # Produits et prix: the markets in force, in their own order, one money format, every holder.
    menu(page, "Produits et prix")
    check(page, width, "prix")
    expect(page.get_by_label("Marchés", exact=True)).to_have_value("en-cours")
    lines = page.locator("li.price-line")
    first = lines.first.locator(".price-line__title").inner_text()
    assert "Carte SIM" not in first, "the list opens on the cheapest line, not the markets' order"
    for index in range(lines.count()):
        line = lines.nth(index)
        details = line.locator(".price-line__market").inner_text()
        assert "Impression et reprographie" not in details
        assert re.search(r" — [^—]+ — applicable depuis", details), f"no holder: {details}"
        muted = line.locator("p.muted")
        if muted.count():
            assert not muted.inner_text().strip().endswith("·"), muted.inner_text()
        for amount in MONEY.findall(line.locator(".price-line__head").inner_text()):
            assert re.search(r",\d\d$", amount.strip()), f"money without cents: {amount} €"
    page.get_by_label("Marchés", exact=True).select_option(label="Marchés terminés")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Copieur multifonction A3 couleur", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Carte SIM ou eSIM", exact=True)).to_have_count(0)

    assert {f"{width}-guide-{s.key}.png" for s in SECTIONS} <= {p.name for p in SCREENSHOTS.iterdir()}
