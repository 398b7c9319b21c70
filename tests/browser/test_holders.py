"""A holder fills its six-monthly report and its sales spreadsheet, staff accept it in the
admin, and a member sees its own purchases on "Gérer mon marché"."""

import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from holders.campaigns import campaign_open
from tests.factories.billing import finalized_subscription
from tests.factories.holders import holder_account
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot
from tests.factories.members import PASSWORD, EstablishmentFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page, email):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def shots(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{width}-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_holder_reports_staff_accept_member_sees_purchases(page, market_index, tmp_path):
    holder = HolderFactory(name="ALTIMA TÉLÉCOM")
    market = MarketPageFactory(
        parent=market_index,
        title="Téléphonie mobile",
        notified_on=datetime.date(2024, 1, 1),
        holders=[],
        lots=[lot(1, "Forfaits voix et données", holder_entry(holder))],
    )
    member = UserFactory(email="agent@nyons.fr")
    commune = EstablishmentFactory(name="COMMUNE DE NYONS", postcode="26110", users=[member])
    subscription = finalized_subscription(market=market, establishment=commune, finalized_on=datetime.date(2025, 1, 5))
    holder_account(holder, email="rapports@altima.example")
    StaffFactory(email="equipe@canut.org")
    campaign_open(year=2025, half=1)

    # The holder: its space, the template, the upload, the report.
    log_in(page, "rapports@altima.example")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Espace titulaire").click()
    expect(page.get_by_role("heading", name="Espace titulaire")).to_be_visible()
    shots(page, "espace-titulaire")
    page.get_by_role("link", name="Téléphonie mobile").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le modèle (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        workbook = load_workbook(handle)
    sheet = workbook.active
    assert sheet["A2"].value == commune.siret
    sheet["D2"] = "12 345,60 €"
    sheet.append(["26840031400012", "HOPITAL DE CARPENTRAS", "", 1000, None])
    filled = tmp_path / "ventes.xlsx"
    workbook.save(filled)
    page.get_by_label("Détail des ventes (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Déposer le détail des ventes").click()
    expect(page.get_by_text("Détail des ventes enregistré : 2 ligne(s).")).to_be_visible()
    expect(page.locator("#ventes").get_by_text("Hors souscription", exact=True)).to_be_visible()
    page.get_by_label("Actions commerciales menées et leurs résultats").fill("Deux webinaires, 9 commandes.")
    page.get_by_label("Volume d'affaires global HT du semestre (€)").fill("13345.60")
    page.get_by_label("Retour sur investissement des projets livrés").fill("Déploiement en 3 semaines.")
    shots(page, "rapport-titulaire")
    page.get_by_role("button", name="Soumettre le rapport").click()
    expect(page.get_by_text("Votre rapport est soumis à la CANUT. Merci.")).to_be_visible()
    expect(page.locator("table").get_by_text("Soumis")).to_be_visible()

    # Staff: the queue, the decision.
    staff_page = page.context.browser.new_context(base_url=page.url.split("/titulaire")[0], locale="fr-FR").new_page()
    staff_page.goto("/compte/connexion/?next=/admin/")
    staff_page.get_by_label("Adresse e-mail").fill("equipe@canut.org")
    staff_page.get_by_label("Mot de passe").fill(PASSWORD)
    staff_page.get_by_role("button", name="Connexion").click()
    staff_page.get_by_role("link", name="Rapports semestriels à examiner").click()
    staff_page.get_by_role("link", name="Valider ou refuser").first.click()
    staff_page.get_by_label("Accepter le rapport").check()
    staff_page.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff_page.get_by_text("validé(e)")).to_be_visible()
    staff_page.get_by_role("button", name="Rapports des titulaires").click()
    staff_page.get_by_role("link", name="Ventes déclarées").click()
    expect(staff_page.locator(".holder-chart svg rect").first).to_be_visible()
    staff_page.screenshot(path=str(SCREENSHOTS / "1280-admin-ventes-declarees.png"), full_page=True)

    # The member: its own purchases on "Gérer mon marché".
    page.locator(".account__toggle").click()
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, "agent@nyons.fr")
    page.locator(".account__toggle").click()
    page.get_by_role("navigation", name="Menu de mon compte").get_by_role("link", name="Mes marchés").click()
    page.get_by_role("link", name="Téléphonie mobile").first.click()
    section = page.locator("section", has=page.get_by_role("heading", name="Mes achats déclarés par les titulaires"))
    expect(section).to_contain_text("12\u202f345,60")
    expect(section).not_to_contain_text("1\u202f000,00")
    shots(page, "gerer-mon-marche-achats")
    assert subscription.pk
