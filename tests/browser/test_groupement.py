"""A parent's user uploads a groupement's spreadsheet, staff validate it in the admin, the
parent subscribes for the groupement and a child establishment's user downloads a piece."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from groupements.models import Groupement
from markets.access import Audience
from subscriptions.models import Subscription
from tests.factories.groupements import child_rows, xlsx
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.members import PASSWORD, EstablishmentFactory, StaffFactory, UserFactory

# Live-server tests flush the tables: serialized rollback restores what migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = child_rows(3)
CCAP = b"PK\x03\x04 CCAP des materiels neufs"


@pytest.fixture
def people(home_page):
    member = UserFactory(email="dsi@canut.example.fr")
    parent = EstablishmentFactory(name="CANUT", siren="924435951", siret="92443595100018", users=[member])
    # The second child is already known to the portal, with a user of its own.
    child_user = UserFactory(email="mairie@visan.example.fr")
    EstablishmentFactory(
        name="COMMUNE DE VISAN", siren=ROWS[1].siret[:9], siret=ROWS[1].siret, postcode="84820", users=[child_user]
    )
    return {"member": member, "parent": parent, "staff": StaffFactory(email="equipe@canut.org")}


@pytest.fixture
def market(market_index):
    # A .docx: Chromium would show a PDF inline rather than download it.
    ccap = MarketDocumentFactory(title="CCAP matériels neufs", file=ContentFile(CCAP, name="ccap.docx"))
    market = MarketPageFactory(
        parent=market_index, title="Matériels bureautiques neufs", documents=[piece(ccap, "ccap", Audience.SUBSCRIBERS)]
    )
    return market


def log_in(page, email, url):
    page.goto(url)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_upload_validate_subscribe_then_a_child_downloads_a_piece(page, people, market, tmp_path):
    bad, good = tmp_path / "groupement-faux.xlsx", tmp_path / "groupement.xlsx"
    bad.write_bytes(xlsx([(ROWS[0].siret, ROWS[0].name, "pas-un-email"), (ROWS[0].siret, "DOUBLON", "a@b.fr")]))
    good.write_bytes(xlsx([(r.siret, r.name, r.email) for r in ROWS]))

    log_in(page, "dsi@canut.example.fr", "/compte/groupements/")
    expect(page.get_by_role("heading", name="Mes groupements")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableur").click()
    assert download.value.suggested_filename == "groupement-canut.xlsx"

    page.get_by_role("link", name="Déposer un tableur complété").click()
    page.get_by_label("Nom du groupement").fill("CANUT_MAT_NEUF2")
    page.get_by_label("Tableur complété (.xlsx)").set_input_files(bad)
    page.get_by_role("button", name="Envoyer à la CANUT").click()
    problems = page.locator("#spreadsheet-problems")
    expect(problems.get_by_text("Ligne 2, colonne Email de contact : « pas-un-email »")).to_be_visible()
    expect(problems.get_by_text("Ligne 3, colonne SIRET : ce SIRET figure déjà ligne 2.")).to_be_visible()
    assert not Groupement.objects.exists()

    page.get_by_label("Tableur complété (.xlsx)").set_input_files(good)
    page.get_by_role("button", name="Envoyer à la CANUT").click()
    expect(page.get_by_text("Votre groupement « CANUT_MAT_NEUF2 » (3 établissement(s)) est enregistré")).to_be_visible()
    row = page.get_by_role("row", name="CANUT_MAT_NEUF2")
    expect(row.get_by_text("En attente de validation")).to_be_visible()

    staff_page = page.context.browser.new_context(base_url=page.url.split("/compte")[0]).new_page()
    log_in(staff_page, "equipe@canut.org", "/compte/connexion/?next=/admin/groupements/")
    staff_page.get_by_role("link", name="CANUT_MAT_NEUF2").first.click()
    staff_page.get_by_role("link", name="Valider ou refuser").first.click()
    expect(staff_page.get_by_text(ROWS[2].siret, exact=True)).to_be_visible()
    staff_page.get_by_label("Valider le groupement").check()
    staff_page.get_by_role("button", name="Enregistrer la décision").click()
    expect(staff_page.get_by_text("CANUT_MAT_NEUF2 : validé(e)")).to_be_visible()
    staff_page.context.close()

    page.reload()
    expect(page.get_by_role("row", name="CANUT_MAT_NEUF2").get_by_text("Validé")).to_be_visible()

    # The parent subscribes for the groupement from the market page.
    page.goto(market.url)
    page.get_by_role("link", name="Préparer sa souscription").first.click()
    page.get_by_label("Pour un groupement").check()
    expect(page.locator("#grp-siret")).to_have_value("92443595100018")
    page.get_by_label("Mon établissement est déjà adhérent de l'association CANUT").check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre demande de souscription a bien été prise en compte.")).to_be_visible()
    assert Subscription.objects.get().groupement.name == "CANUT_MAT_NEUF2"
    (convention_email,) = [m for m in mail.outbox if "convention" in m.subject.lower()]
    assert "ceux des 3 établissements du groupement" in convention_email.body

    # A child establishment's user sees it on the dashboard and downloads a piece at once.
    child = page.context.browser.new_context(base_url=page.url.split("/compte")[0], accept_downloads=True).new_page()
    log_in(child, "mairie@visan.example.fr", "/compte/connexion/?next=/compte/tableau-de-bord/")
    card = child.locator(".subscription-card", has_text="Matériels bureautiques neufs")
    expect(card.get_by_text("CANUT - 69002", exact=True)).to_be_visible()
    expect(card.get_by_text("CANUT_MAT_NEUF2", exact=True)).to_be_visible()
    card.get_by_role("link", name="Gérer mon marché").click()
    # "Mon adhésion" tells the child it has nothing to sign, and nothing above says otherwise.
    expect(child.get_by_text("Vous n'avez rien à signer")).to_be_visible()
    expect(child.get_by_text("Il ne vous reste plus qu'à la compléter")).to_have_count(0)
    child.get_by_role("link", name="Pièces du marché").click()
    with child.expect_download() as download:
        child.get_by_role("link", name="CCAP matériels neufs").click()
    assert download.value.path().read_bytes() == CCAP
    child.context.close()
