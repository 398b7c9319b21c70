"""Following invoices to payment: the reminder 15 days after the due date, once, through
the worker's task; the figures on the admin home."""

import datetime
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from billing import selectors, services
from billing.models import ChorusStatus, Invoice, InvoiceKind
from billing.tasks import send_overdue_reminders
from tests.factories.billing import finalized_subscription
from tests.factories.members import StaffFactory

D = datetime.date


def issued(markets, commune, n=0):
    finalized_subscription(market=markets[n], establishment=commune, finalized_on=D(2026, 5, 20 + n))
    return [i for i in services.invoices_issue(kind=InvoiceKind.FIRST, today=D(2026, 6, 1))]


def test_the_reminder_leaves_on_the_15th_day_after_the_due_date_and_only_once(
    schedule, markets, commune, member, bank, django_capture_on_commit_callbacks
):
    [invoice] = issued(markets, commune)
    assert invoice.due_on == D(2026, 7, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders.call(today="2026-07-15") == 0  # 14 days late
        assert send_overdue_reminders.call(today="2026-07-16") == 1
        assert send_overdue_reminders.call(today="2026-07-17") == 0
    [message] = mail.outbox
    assert message.to == [member.email] or member.email in message.to
    assert invoice.number in message.subject
    assert "FR76 3000 6000 0112 3456 7890 189" in message.body.replace("\u00a0", " ")
    assert "40 €" in message.body.replace("\u00a0", " ")
    assert Invoice.objects.get(pk=invoice.pk).reminder_sent_on == D(2026, 7, 16)


def test_no_reminder_for_paid_credited_or_rejected_invoices(
    schedule, markets, commune, member, django_capture_on_commit_callbacks
):
    paid, credited, rejected = (issued(markets, commune, n)[0] for n in range(3))
    services.invoice_mark_paid(invoice=paid, paid_on=D(2026, 7, 10))
    services.credit_note_issue(
        invoice=credited, amount_excl_vat=credited.total_excl_vat, reason="Annulée", today=D(2026, 6, 5)
    )
    Invoice.objects.filter(pk=rejected.pk).update(chorus_status=ChorusStatus.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders.call(today="2026-09-01") == 0
    assert mail.outbox == []


def test_the_daily_command_queues_the_followup(schedule, markets, commune, member, django_capture_on_commit_callbacks):
    [invoice] = issued(markets, commune)
    Invoice.objects.filter(pk=invoice.pk).update(due_on=D(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("billing_followup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_admin_home_shows_what_is_due_and_overdue(schedule, markets, commune, client):
    first, second = issued(markets, commune, 0)[0], issued(markets, commune, 1)[0]
    Invoice.objects.filter(pk=first.pk).update(due_on=D(2020, 1, 1))
    Invoice.objects.filter(pk=second.pk).update(due_on=D(2099, 1, 1))
    services.credit_note_issue(invoice=first, amount_excl_vat=Decimal("10"), reason="Geste", today=D(2026, 6, 5))
    owed = selectors.owed_amounts(today=D(2026, 12, 1))
    assert owed["overdue"] == first.total_incl_vat - Decimal("12.00")
    assert owed["due"] == first.total_incl_vat + second.total_incl_vat - Decimal("12.00")
    client.force_login(StaffFactory())
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Restant dû" in content and "en retard (1 facture)" in content
