"""Payments from a bank statement CSV: reference and amount matched to invoices, the
unmatched lines listed with their reason; bounded and refused cleanly when hostile."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing import services
from billing.models import Invoice, InvoiceKind, InvoiceStatus
from tests.factories.billing import finalized_subscription
from tests.factories.members import StaffFactory

D = datetime.date


@pytest.fixture
def invoices(schedule, markets, commune):
    for n in range(3):
        finalized_subscription(market=markets[n], establishment=commune, finalized_on=D(2026, 5, 10 + n))
    return sorted(services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1)), key=lambda i: i.number)


def upload(client, text, name="releve.csv"):
    statement = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("billing_invoices:statement"), {"statement": statement, "paid_on": "2026-07-10"})


def test_matched_lines_mark_paid_and_the_others_are_listed(client, invoices):
    first, second, third = invoices
    services.credit_note_issue(invoice=third, amount_excl_vat=Decimal("10"), reason="Geste", today=D(2026, 6, 5))
    owed_third = third.total_incl_vat - Decimal("12.00")
    csv = (
        "Date;Référence;Montant\n"
        f"03/07/2026;VIR SEPA COMMUNE DE NYONS {first.number};{str(first.total_incl_vat).replace('.', ',')}\n"
        f"04/07/2026;{second.number};1,00\n"
        f"05/07/2026;REF {third.number} merci;{owed_third}\n"
        "06/07/2026;VIREMENT INCONNU;50,00\n"
        f"07/07/2026;{first.number} doublon;{first.total_incl_vat}\n"
    )
    client.force_login(StaffFactory())
    content = upload(client, csv).content.decode()
    assert Invoice.objects.get(pk=first.pk).paid_on == D(2026, 7, 3)
    assert Invoice.objects.get(pk=third.pk).paid_on == D(2026, 7, 5)
    assert Invoice.objects.get(pk=second.pk).status == InvoiceStatus.ISSUED
    assert "Lignes non rapprochées : 3" in content
    assert "Montant différent de ce que doit la facture" in content
    assert "Aucune facture ne porte cette référence." in content
    assert f"La facture {first.number} est déjà" in content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("releve.csv", "Libellé;Somme\nx;1\n", "Référence"),
        ("releve.pdf", "%PDF-1.4", ".csv"),
        ("releve.csv", "Référence;Montant\n" + "F2026-00001;1\n" * 6000, "lignes"),
    ],
)
def test_wrong_or_hostile_files_get_a_french_message(client, invoices, name, content, message):
    client.force_login(StaffFactory())
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invoice.objects.filter(status=InvoiceStatus.PAID).exists()


def test_only_staff_who_process_invoices_reach_it(client, member):
    client.force_login(member)
    assert upload(client, "Référence;Montant\n").status_code in (302, 403)
