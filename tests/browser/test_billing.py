"""A member sees the fee estimate before subscribing, then finds the invoice and its credit
note in "Mes factures", downloads both, and sets the references printed on the next invoices."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from facturx import get_xml_from_pdf, xml_check_xsd
from pypdf import PdfReader

from billing import services as billing_services
from billing.models import EstablishmentSize, InvoiceKind
from subscriptions import services
from subscriptions.models import Subscription
from tests.browser.test_layout import SCREENSHOTS
from tests.factories.billing import fee_schedule
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory
from tests.factories.subscriptions import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_sees_the_estimate_subscribes_and_downloads_the_invoice(live_server, market_index, page):
    today = timezone.localdate()
    fee_schedule(today.year)
    fee_schedule(today.year + 1)
    market = MarketPageFactory(parent=market_index, title="Virtualisation")
    member = UserFactory(email="agent@nyons.fr")
    commune = EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    EstablishmentSize.objects.create(establishment=commune, population=2960)
    base = live_server.url

    page.goto(base + "/compte/connexion/")
    page.fill("#id_username", member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()

    page.goto(base + market.url)
    estimate = page.locator(".fee-estimate")
    assert "Frais d'utilisation estimés pour COMMUNE DE NYONS" in estimate.inner_text()
    assert "350,00 € HT pour" in estimate.inner_text().replace("\u00a0", " ")
    page.get_by_role("link", name="Préparer sa souscription").first.click()
    page.get_by_role("heading", name="Mon adhésion").wait_for()
    # The form renders the member's and the non-member's estimates; the visible one follows the choice.
    assert "−20 % pour la 2e souscription de l'année" in page.locator(".fee-estimate:visible").inner_text()
    page.get_by_label("Mon établissement est déjà adhérent de l'association CANUT").check()
    page.get_by_role("button", name="Soumettre").click()
    page.get_by_text("Votre demande de souscription a bien été prise en compte.").wait_for()

    # Staff receive and countersign; the monthly (or, after December, the yearly) run issues.
    subscription = Subscription.objects.get()
    services.subscription_mark_received(subscription=subscription, on=today)
    services.subscription_finalize(subscription=subscription, countersigned=SimpleUploadedFile("s.pdf", pdf_bytes()))
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    kind = InvoiceKind.FIRST if today.month < 12 else InvoiceKind.YEARLY
    [invoice] = billing_services.invoices_issue(kind=kind, today=next_month)

    note = billing_services.credit_note_issue(
        invoice=invoice, amount_excl_vat=10, reason="Geste commercial", today=next_month
    )

    page.goto(base + "/compte/etablissements/")
    page.get_by_role("link", name="Mes factures").click()
    page.get_by_role("heading", name="Mes factures").wait_for()
    card = page.locator(".invoice-card", has_text=invoice.number)
    assert "À payer" in card.inner_text() and f"Avoir {note.number}" in card.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=SCREENSHOTS / f"{width}-mes-factures.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Télécharger la facture {invoice.number} (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        content = handle.read()
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text().replace("\u00a0", " ")
    assert f"Facture n° {invoice.number}" in text
    _, xml = get_xml_from_pdf(io.BytesIO(content), check_xsd=False)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Télécharger l'avoir {note.number} (PDF)").click()
    assert download_info.value.suggested_filename == f"avoir-{note.number}.pdf"

    page.get_by_role("link", name="Modifier les références de COMMUNE DE NYONS").click()
    page.get_by_label("Numéro d'engagement juridique").fill("EJ-2027-0001")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Références enregistrées pour COMMUNE DE NYONS").wait_for()
    assert "engagement EJ-2027-0001" in page.locator(".invoice-references").inner_text()
