"""Staff: schedules validated as a whole, runs previewed then issued, invoices listed,
filtered, exported, marked paid, credited; figures on the admin home."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from billing import services
from billing.models import CreditNote, FeeSchedule, Invoice, InvoiceKind, InvoiceStatus
from tests.factories.billing import finalized_subscription
from tests.factories.members import EstablishmentFactory, StaffFactory, UserFactory

D = datetime.date


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def invoices(schedule, markets, commune):
    other = EstablishmentFactory(name="SYNDICAT DES EAUX")
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 20))
    finalized_subscription(market=markets[1], establishment=other, finalized_on=D(2026, 3, 20))
    services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 3, 2))
    services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 4, 1))
    return list(Invoice.objects.order_by("number"))


def schedule_data(year, bands):
    return nested_form_data(
        {
            "year": year,
            "vat_rate": "20.00",
            "second_discount": "20",
            "later_discount": "40",
            "payment_days": "30",
            "bands": inline_formset(
                [
                    {"basis": basis, "low": low, "high": high, "amount": amount, "non_member_amount": ""}
                    for basis, low, high, amount in bands
                ]
            ),
        }
    )


GOOD = [("population", 0, 999, "150"), ("population", 1000, "", "350"), ("default", "", "", "300")]


def test_staff_create_a_schedule_and_see_overlaps_and_gaps_in_french(staff_client):
    add = reverse("wagtailsnippets_billing_feeschedule:add")
    bad = [("population", 0, 999, "150"), ("population", 900, 4999, "350"), ("population", 6000, "", "700")]
    response = staff_client.post(add, schedule_data(2027, bad))
    content = response.content.decode()
    assert response.status_code == 200
    assert "se chevauchent" in content
    assert "Aucune tranche ne couvre de 5000 à 5999 habitants." in content
    assert "exactement une tranche par défaut" in content
    assert not FeeSchedule.objects.filter(year=2027).exists()
    response = staff_client.post(add, schedule_data(2027, GOOD))
    assert response.status_code == 302
    assert FeeSchedule.objects.get(year=2027).bands.count() == 3


def test_a_year_already_invoiced_cannot_change(staff_client, invoices, schedule):
    edit = reverse("wagtailsnippets_billing_feeschedule:edit", args=[schedule.pk])
    response = staff_client.post(edit, schedule_data(2026, GOOD))
    assert "Des factures ont déjà été émises pour 2026" in response.content.decode()
    assert schedule.bands.count() == 6


def test_run_previews_then_issues_once(staff_client, schedule, markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    run = reverse("billing_invoices:run")
    preview = staff_client.get(run, {"kind": "first", "today": "2026-06-01"})
    content = preview.content.decode()
    assert "1 facture(s) à émettre, 204,17\u00a0€ HT, 245,00\u00a0€ TTC" in content
    assert not Invoice.objects.exists()
    response = staff_client.post(run, {"kind": "first", "today": "2026-06-01"})
    assert response.status_code == 302
    assert Invoice.objects.get().number == "F2026-00001"
    staff_client.post(run, {"kind": "first", "today": "2026-06-01"})
    assert Invoice.objects.count() == 1


def test_invoice_list_filters_by_year_month_status_establishment_market(staff_client, invoices, markets, commune):
    index = reverse("billing_invoices:index")
    services.invoice_mark_paid(invoice=invoices[0], paid_on=D(2026, 3, 30))

    def numbers(**params):
        content = staff_client.get(index, params).content.decode()
        return [i.number for i in invoices if i.number in content]

    assert numbers() == ["F2026-00001", "F2026-00002"]
    assert numbers(year=2026, month=4) == ["F2026-00002"]
    assert numbers(year=2025) == []
    assert numbers(status="paid") == ["F2026-00001"]
    assert numbers(establishment=commune.pk) == ["F2026-00001"]
    assert numbers(market=markets[1].pk) == ["F2026-00002"]


def test_invoice_list_exports_for_accounting(staff_client, invoices):
    response = staff_client.get(reverse("billing_invoices:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Numéro", "Émise le", "Échéance")
    assert {row[0] for row in rows[1:]} == {"F2026-00001", "F2026-00002"}
    csv = staff_client.get(reverse("billing_invoices:index"), {"export": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "F2026-00002" in text and "SYNDICAT DES EAUX" in text


def test_invoice_list_query_count_is_constant(staff_client, invoices, schedule, markets):
    index = reverse("billing_invoices:index")
    staff_client.get(index)
    with CaptureQueriesContext(connection) as two:
        staff_client.get(index)
    for n, market in enumerate(markets[2:]):
        finalized_subscription(market=market, establishment=EstablishmentFactory(), finalized_on=D(2026, 5, 2 + n))
    services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))
    assert Invoice.objects.count() == 4
    with CaptureQueriesContext(connection) as four:
        staff_client.get(index)
    assert len(four.captured_queries) == len(two.captured_queries)


def test_mark_paid_and_credit_note_from_the_invoice(staff_client, invoices):
    invoice = invoices[0]
    response = staff_client.post(reverse("billing_invoices:mark_paid", args=[invoice.pk]), {"paid_on": "2026-04-02"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == (InvoiceStatus.PAID, D(2026, 4, 2))
    again = staff_client.post(reverse("billing_invoices:mark_paid", args=[invoice.pk]), {"paid_on": "2026-04-03"})
    assert "déjà marquée payée" in again.content.decode()
    too_much = staff_client.post(
        reverse("billing_invoices:credit_note", args=[invoice.pk]), {"amount_excl_vat": "9999", "reason": "Erreur"}
    )
    assert "ne pas dépasser le reste de la facture" in too_much.content.decode()
    staff_client.post(
        reverse("billing_invoices:credit_note", args=[invoice.pk]), {"amount_excl_vat": "10", "reason": "Erreur"}
    )
    note = CreditNote.objects.get()
    assert note.number == "A2026-00001"
    assert staff_client.get(reverse("billing_invoices:credit_note_pdf", args=[note.pk])).content.startswith(b"%PDF")
    pdf = staff_client.get(reverse("billing_invoices:pdf", args=[invoice.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_members_and_plain_users_cannot_reach_staff_billing(client, member, invoices):
    client.force_login(member)
    for name, args in (("index", []), ("run", []), ("pdf", [invoices[0].pk]), ("mark_paid", [invoices[0].pk])):
        response = client.get(reverse(f"billing_invoices:{name}", args=args))
        assert response.status_code in (302, 403), name
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("billing_invoices:run")).status_code in (302, 403)


def test_admin_home_shows_the_billing_figures(staff_client, invoices, markets, commune):
    content = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Facturation" in content
    assert "À émettre ce mois-ci" in content and "Impayées depuis plus de 30 jours : 2" in content


def test_command_previews_by_default_and_issues_with_issue(schedule, markets, commune, capsys):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 5, 20))
    call_command("billing_run", "--kind", "first", "--date", "2026-06-01")
    assert "204,17\u00a0€ HT" in capsys.readouterr().out
    assert not Invoice.objects.exists()
    call_command("billing_run", "--kind", "first", "--date", "2026-06-01", "--issue")
    call_command("billing_run", "--kind", "first", "--date", "2026-06-01", "--issue")
    assert Invoice.objects.get().total_excl_vat == Decimal("204.17")


def test_a_year_already_invoiced_keeps_its_schedule(staff_client, invoices, schedule):
    delete = reverse("wagtailsnippets_billing_feeschedule:delete", args=[schedule.pk])
    response = staff_client.post(delete)
    assert response.status_code == 302
    assert FeeSchedule.objects.filter(pk=schedule.pk).exists()
