"""A member finds "acrobat" prices, filters by publisher, opens a line's history, compares
two lines and exports them; an editor imports a revised catalogue, sees the difference and
applies it."""

import openpyxl
import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from markets.access import Audience
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, piece
from tests.factories.members import PASSWORD, StaffFactory
from tests.prices.conftest import ROWS, document_with, import_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REVISED = [["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "13 %", "263,88"], *ROWS[1:]]


@pytest.fixture
def catalogue(market_index, live_server):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    holder = HolderFactory(name="SCC")
    document = document_with(xlsx(ROWS), "Liste des solutions logicielles")
    market = MarketPageFactory(
        parent=market_index,
        title="Multi-éditeurs",
        holders=[("holder", holder_entry(holder))],
        documents=[piece(document, "catalogue", Audience.MEMBERS)],
    )
    import_rows(market, document, ROWS, holder=holder)
    return market


def log_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_member_searches_compares_exports_and_editor_revises(page, catalogue, member, tmp_path):
    page.goto("/prix/?q=acrobat")
    expect(page.get_by_role("heading", name="0 ligne de prix")).to_be_visible()  # members-only piece

    log_in(page, member.email)
    page.goto("/prix/")
    page.get_by_label("Rechercher un produit").fill("acrobat")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="2 lignes de prix")).to_be_visible()
    page.get_by_label("Adobe").check()
    page.get_by_role("button", name="Filtrer").click()
    assert "editeur=Adobe" in page.url
    expect(page.get_by_text("208,70 € HT")).to_be_visible()

    page.get_by_role("link", name="Acrobat Pro — abonnement 1 an", exact=True).click()
    expect(page.get_by_role("heading", name="Historique du prix")).to_be_visible()
    expect(page.locator("svg polyline, svg circle").first).to_be_attached()
    page.go_back()

    page.get_by_label("Comparer Acrobat Pro — abonnement 1 an").check()
    page.get_by_label("Comparer Acrobat Standard — abonnement 1 an").check()
    page.get_by_role("button", name="Comparer les lignes cochées").click()
    expect(page.get_by_role("heading", name="Comparer des lignes de prix")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter ces lignes (.xlsx)").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {row[4] for row in rows[1:]} == {r[1] for r in ROWS[:2]}

    editor = StaffFactory()
    admin = page.context.browser.new_context(base_url=page.url.split("/prix")[0]).new_page()
    log_in(admin, editor.email)
    admin.goto("/admin/prix/")
    admin.get_by_label("Pièce de prix").select_option(
        label="Multi-éditeurs — Liste des solutions logicielles (Adhérents connectés)"
    )
    revised = tmp_path / "catalogue-revise.xlsx"
    revised.write_bytes(xlsx(REVISED))
    admin.get_by_label("Nouvelle version du fichier (facultatif)").set_input_files(str(revised))
    admin.get_by_label("Prix applicables à partir du").fill("2026-01-01")
    admin.get_by_role("button", name="Déposer et proposer les colonnes").click()
    admin.get_by_role("button", name="Vérifier le fichier").click()
    expect(admin.get_by_text("1 prix en hausse, 0 en baisse")).to_be_visible()
    expect(admin.get_by_text("+10,0 %")).to_be_visible()
    admin.get_by_role("button", name="Appliquer ces prix").click()
    expect(admin.get_by_text("Prix appliqués le")).to_be_visible()

    page.goto("/prix/?q=acrobat+pro")
    expect(page.get_by_text("229,58 € HT")).to_be_visible()
