"""A parent's user uploads a groupement's spreadsheet; staff validate it in the admin."""

import pytest
from playwright.sync_api import expect

from members.models import Groupement
from tests.factories.groupements import PASSWORD, EstablishmentFactory, StaffFactory, UserFactory, child_rows, xlsx

# Live-server tests flush the tables: serialized rollback restores what migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = child_rows(3)


@pytest.fixture
def people(home_page):
    member = UserFactory(email="dsi@canut.example.fr")
    parent = EstablishmentFactory(name="CANUT", siren="924435951", siret="92443595100018", users=[member])
    return {"member": member, "parent": parent, "staff": StaffFactory(email="equipe@canut.org")}


def log_in(page, email, url):
    page.goto(url)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_upload_a_spreadsheet_then_staff_validate_it(page, people, tmp_path):
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
    expect(staff_page.get_by_text("Groupement « CANUT_MAT_NEUF2 » validé")).to_be_visible()
    staff_page.context.close()

    page.reload()
    expect(page.get_by_role("row", name="CANUT_MAT_NEUF2").get_by_text("Validé")).to_be_visible()
