"""Each staff step on an invoice (issued by a run, paid, credited) is recorded one way
(core.actions): who and when in Wagtail's history, shown on the history tab."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from billing import services
from billing.models import Invoice
from tests.factories.billing import finalized_subscription
from tests.factories.members import StaffFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def agent():
    return StaffFactory(first_name="Claire", last_name="Agent")


@pytest.fixture
def staff_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def invoice(staff_client, schedule, markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=D(2026, 2, 20))
    response = staff_client.post(reverse("billing_invoices:run"), {"kind": "first", "today": "2026-03-02"})
    assert response.status_code == 302
    return Invoice.objects.get()


def step_recorded(invoice, action, agent, staff_client, label):
    entry = ModelLogEntry.objects.get(object_id=str(invoice.pk), action=action)
    assert entry.user == agent
    assert abs((timezone.now() - entry.timestamp).total_seconds()) < 60
    history = staff_client.get(reverse("billing_invoices:history", args=[invoice.pk])).content.decode()
    assert label in history and "Claire Agent" in history


def test_issuing_records_who_ran_it(staff_client, invoice, agent):
    step_recorded(invoice, services.ISSUED_ACTION, agent, staff_client, "Facture émise")


def test_marking_paid_records_who_and_when(staff_client, invoice, agent):
    url = reverse("billing_invoices:mark_paid", args=[invoice.pk])
    assert staff_client.post(url, {"paid_on": "2026-03-20"}).status_code == 302
    step_recorded(invoice, services.PAID_ACTION, agent, staff_client, "Facture marquée payée")


def test_crediting_records_who_and_when(staff_client, invoice, agent):
    url = reverse("billing_invoices:credit_note", args=[invoice.pk])
    assert staff_client.post(url, {"amount_excl_vat": "10.00", "reason": "Erreur de taille"}).status_code == 302
    step_recorded(invoice, services.CREDITED_ACTION, agent, staff_client, "Avoir émis sur la facture")


def test_a_refused_credit_records_nothing(staff_client, invoice):
    url = reverse("billing_invoices:credit_note", args=[invoice.pk])
    response = staff_client.post(url, {"amount_excl_vat": "99999.00", "reason": "Trop"})
    assert response.status_code == 200 and escape(services.CREDIT_TOO_LARGE) in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=services.CREDITED_ACTION).exists()
