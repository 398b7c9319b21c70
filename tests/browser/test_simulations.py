"""A visitor adds a price line to a simulation, logs in to keep it, chooses the commune,
types what it pays today, reads the gain net of the fee and downloads the note; every page
at 390 and 1280 px, audited by axe, nothing wider than the window."""

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect
from wagtail.models import Site

from billing.models import EstablishmentSize
from tests.browser.test_layout import DESKTOP, PHONE, overflow, shoot, too_wide
from tests.factories.billing import fee_schedule
from tests.factories.members import PASSWORD
from tests.simulations.conftest import bpu_market

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shop(market_index, establishment, live_server):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    today = timezone.localdate()
    fee_schedule(today.year), fee_schedule(today.year + 1)
    EstablishmentSize.objects.create(establishment=establishment, population=2960)
    rows = [
        ["LIC-1", "Suite bureautique — licence annuelle", "0,05"],
        ["LIC-2", "Messagerie — licence annuelle", "12,34"],
    ]
    return bpu_market(market_index, "Licences bureautiques", rows, lot_number="1")


def fits(page, name, viewport):
    shoot(page, f"{viewport['width']}-{name}")
    scroll_width, client_width = overflow(page)
    assert scroll_width <= client_width, f"{page.url}: {scroll_width}px in {client_width}px: {too_wide(page)}"


def open_menu(page, viewport):
    if viewport is PHONE:
        page.get_by_role("button", name="Menu").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_visitor_simulates_a_purchase_and_downloads_the_note(page, shop, member, viewport, tmp_path):
    page.set_viewport_size(viewport)
    page.goto("/")
    open_menu(page, viewport)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Produits et prix").click()
    page.get_by_role("link", name="Ajouter à ma simulation Messagerie — licence annuelle").click()
    fits(page, "simulation-ajout", viewport)
    page.get_by_label("Quantité").fill("-3")
    page.get_by_role("button", name="Ajouter à ma simulation").click()
    expect(page.get_by_text("La quantité ne peut pas être négative.").first).to_be_visible()
    page.get_by_label("Quantité").fill("1 000")
    page.get_by_role("button", name="Ajouter à ma simulation").click()
    expect(page.get_by_role("heading", name="Ma simulation", level=1)).to_be_visible()
    expect(page.get_by_text("Une simulation n'engage à rien.")).to_be_visible()
    fits(page, "simulation-visiteur", viewport)

    page.get_by_role("main").get_by_role("link", name="Connectez-vous").click()
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_text("Votre simulation est enregistrée dans votre compte")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes simulations")).to_be_visible()
    fits(page, "simulations-liste", viewport)
    page.get_by_role("heading", name="Simulation du").get_by_role("link").click()

    page.get_by_text("Modifier le nom, l'établissement ou l'adhésion").click()
    page.get_by_label("Nom de la simulation").fill("Messagerie 2027")
    page.get_by_label("Établissement acheteur").select_option(index=1)
    page.get_by_role("button", name="Enregistrer les paramètres").click()
    expect(page.get_by_role("heading", name="Messagerie 2027", level=1)).to_be_visible()
    page.get_by_label("Prix unitaire HT payé aujourd'hui — Messagerie — licence annuelle").fill("14,90")
    page.get_by_role("button", name="Mettre à jour la simulation").click()
    expect(page.get_by_text("Simulation mise à jour.")).to_be_visible()
    expect(page.get_by_text("Gain net des frais").first).to_be_visible()
    expect(page.get_by_role("link", name="Préparer sa souscription").first).to_be_visible()
    fits(page, "simulation-membre", viewport)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la note (.docx)").click()
    path = tmp_path / "note.docx"
    download_info.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "COMMUNE DE NYONS" in text and "L2113-4" in text

    # From a market page, then back through the account menu.
    page.goto("/")
    open_menu(page, viewport)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Tous les marchés").click()
    page.get_by_role("link", name="Licences bureautiques").first.click()
    page.get_by_role("link", name="Ajouter à ma simulation des produits de Licences bureautiques").click()
    page.get_by_label("Quantité — Suite bureautique — licence annuelle").fill("12,5")
    page.get_by_role("combobox", name="Simulation").select_option(label="Messagerie 2027")
    fits(page, "simulation-ajout-marche", viewport)
    page.get_by_role("button", name="Ajouter à ma simulation").click()
    expect(page.get_by_role("cell", name="0,63 €").first).to_be_visible()  # 12,5 × 0,05 €, rounded half-up
    open_menu(page, viewport)
    if viewport is DESKTOP:
        page.locator("[data-account-toggle]").click()
    page.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name="Mes simulations").click()
    expect(page.get_by_role("link", name="Messagerie 2027", exact=True)).to_be_visible()
