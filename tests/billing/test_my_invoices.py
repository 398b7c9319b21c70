"""'Mes factures' as a member reads it: where each invoice stands on the right day, credit
notes beside their invoice, every PDF downloadable by the establishment's users only, and
the references the member wants on its invoices."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from billing import services
from billing.models import BuyerReference, ChorusStatus, InvoiceKind
from billing.states import invoice_state
from tests.billing.test_pdf import flat
from tests.factories.billing import fee_schedule, finalized_subscription
from tests.factories.members import EstablishmentFactory

TODAY = timezone.localdate()


def pdf_text(content: bytes) -> str:
    return flat(PdfReader(io.BytesIO(content)).pages[0].extract_text())


def issue_on(market, establishment, issued_on):
    """An invoice issued on `issued_on` (due 30 days later)."""
    fee_schedule(issued_on.year) if not _has_schedule(issued_on.year) else None
    finalized = (issued_on.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    if finalized.month == 12:
        finalized = finalized.replace(month=11)
    finalized_subscription(market=market, establishment=establishment, finalized_on=finalized)
    [invoice] = services.invoices_issue(kind=InvoiceKind.FIRST, today=issued_on)
    return invoice


def _has_schedule(year):
    from billing.models import FeeSchedule

    return FeeSchedule.objects.filter(year=year).exists()


def test_overdue_starts_the_day_after_the_due_date(markets, commune):
    invoice = issue_on(markets[0], commune, datetime.date(2026, 6, 1))
    assert invoice.due_on == datetime.date(2026, 7, 1)
    assert invoice_state(invoice, datetime.date(2026, 7, 1))[0] == "due"
    assert invoice_state(invoice, datetime.date(2026, 7, 2))[0] == "overdue"
    invoice.chorus_status = ChorusStatus.REJECTED
    assert invoice_state(invoice, datetime.date(2026, 7, 2))[0] == "rejected"
    services.invoice_mark_paid(invoice=invoice, paid_on=datetime.date(2026, 7, 3))
    assert invoice_state(invoice, datetime.date(2026, 8, 1))[0] == "paid"


def test_my_invoices_shows_each_state_and_credit_notes_beside_their_invoice(client, member, markets, commune):
    late = issue_on(markets[0], commune, TODAY - datetime.timedelta(days=45))
    due = issue_on(markets[1], commune, TODAY - datetime.timedelta(days=5))
    paid = issue_on(markets[2], commune, TODAY - datetime.timedelta(days=60))
    services.invoice_mark_paid(invoice=paid, paid_on=TODAY - datetime.timedelta(days=40))
    credited = issue_on(markets[3], commune, TODAY - datetime.timedelta(days=50))
    note = services.credit_note_issue(
        invoice=credited, amount_excl_vat=credited.total_excl_vat, reason="Souscription annulée", today=TODAY
    )
    client.force_login(member)
    content = client.get(reverse("billing:invoices")).content.decode()
    for invoice, label in ((late, "En retard"), (due, "À payer"), (paid, "Payée"), (credited, "Annulée par avoir")):
        card = content[content.index(f"Facture {invoice.number}") :][:2500]
        assert f'">{label}</span>' in card, (invoice.number, label)
    card = content[content.index(f"Facture {credited.number}") :]
    card = card[: card.index("</li>\n      \n      <li") if "</li>\n      \n      <li" in card else 4000]
    assert f"Avoir {note.number}" in card and "Souscription annulée" in card
    assert reverse("billing:credit_note_pdf", args=[note.pk]) in card
    owed = late.total_incl_vat + due.total_incl_vat
    assert "Reste à payer" in content and f"{late.total_incl_vat}".replace(".", ",") in content
    assert owed > 0

    download = client.get(reverse("billing:credit_note_pdf", args=[note.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith(f'"avoir-{note.number}.pdf"')
    assert f"Avoir n° {note.number}" in pdf_text(download.content)
    invoice_download = client.get(reverse("billing:invoice_pdf", args=[late.pk]))
    assert f"Facture n° {late.number}" in pdf_text(invoice_download.content)


def test_a_chorus_rejection_shows_with_its_reason(client, member, markets, commune):
    invoice = issue_on(markets[0], commune, TODAY - datetime.timedelta(days=3))
    invoice.chorus_status = ChorusStatus.REJECTED
    invoice.chorus_reason = "Code service inconnu"
    invoice.save()
    client.force_login(member)
    content = client.get(reverse("billing:invoices")).content.decode()
    assert "Rejetée par Chorus Pro</span>" in content and "Code service inconnu" in content


def test_credit_notes_of_other_establishments_are_a_404(client, outsider, markets, commune):
    invoice = issue_on(markets[0], commune, TODAY - datetime.timedelta(days=3))
    note = services.credit_note_issue(invoice=invoice, amount_excl_vat=10, reason="Geste", today=TODAY)
    url = reverse("billing:credit_note_pdf", args=[note.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_member_sets_the_references_printed_on_the_next_invoices(client, member, markets, commune):
    client.force_login(member)
    page = client.get(reverse("billing:invoices"))
    url = reverse("billing:buyer_reference", args=[commune.pk])
    assert url in page.content.decode()  # reached from "Mes factures"
    response = client.post(url, {"service_code": "SERV-FIN-01", "engagement_number": "EJ/2026-0042"})
    assert response.status_code == 302
    invoice = issue_on(markets[0], commune, TODAY - datetime.timedelta(days=3))
    assert (invoice.buyer_chorus_code, invoice.buyer_engagement_number) == ("SERV-FIN-01", "EJ/2026-0042")
    download = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert "N° d'engagement juridique : EJ/2026-0042" in pdf_text(download.content)


@pytest.mark.parametrize("value", ["EJ\x00", "x" * 51, "<script>", "EJ\n42"])
def test_hostile_references_get_a_french_message_not_a_500(client, member, commune, value):
    client.force_login(member)
    response = client.post(reverse("billing:buyer_reference", args=[commune.pk]), {"engagement_number": value})
    if "\x00" in value:
        assert response.status_code == 400  # the project's middleware answers NUL bytes
    else:
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.content.decode()
    assert not BuyerReference.objects.exists()


def test_another_establishment_s_references_are_a_404(client, member, outsider):
    foreign = EstablishmentFactory(users=[outsider])
    client.force_login(member)
    url = reverse("billing:buyer_reference", args=[foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"service_code": "X"}).status_code == 404
