"""Work the worker does for billing: deposit an invoice on Chorus Pro (retried later while
Chorus is down), read Chorus's statuses back, send the 15-days-overdue reminder once.

`billing_followup` (cron, daily) queues the last two; an issued invoice queues its deposit.
Each task is idempotent: a deposited invoice is never deposited again, a reminded one never
reminded again, whatever runs twice.
"""

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.emails import email_send

from . import chorus
from .bank import printed_iban
from .fees import euros
from .models import ChorusStatus, Invoice, InvoiceStatus
from .pdf import invoice_pdf
from .seller import seller
from .states import REMINDER_AFTER_DAYS

logger = logging.getLogger(__name__)

# Chorus Pro's invoice statuses, as we show them.
CHORUS_STATUSES = {
    "DEPOSEE": ChorusStatus.DEPOSITED,
    "EN_COURS_ACHEMINEMENT": ChorusStatus.DEPOSITED,
    "MISE_A_DISPOSITION": ChorusStatus.AVAILABLE,
    "PRISE_EN_COMPTE_DESTINATAIRE": ChorusStatus.AVAILABLE,
    "SERVICE_FAIT": ChorusStatus.AVAILABLE,
    "MANDATEE": ChorusStatus.AVAILABLE,
    "SUSPENDUE": ChorusStatus.AVAILABLE,
    "A_COMPLETER": ChorusStatus.AVAILABLE,
    "COMPLETEE": ChorusStatus.AVAILABLE,
    "REJETEE": ChorusStatus.REJECTED,
    "MISE_EN_PAIEMENT": ChorusStatus.PAID,
}
RETRY_DELAY = 600  # seconds before the first later attempt, doubled at each


def queue_deposit(invoice) -> None:
    """At issue: mark the invoice for Chorus and deposit it once the issue commits."""
    if not chorus.configured():
        return
    Invoice.objects.filter(pk=invoice.pk).update(chorus_status=ChorusStatus.QUEUED)
    invoice.chorus_status = ChorusStatus.QUEUED
    transaction.on_commit(lambda: chorus_deposit.enqueue(invoice_id=invoice.pk))


@task()
def chorus_deposit(*, invoice_id: int, attempt: int = 1) -> str:
    if not chorus.configured():
        return "off"
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None or invoice.chorus_flow_number:
            return "done"
        try:
            flow = chorus.ChorusClient().deposit(invoice_pdf(invoice), invoice.pdf_filename)
        except chorus.ChorusUnavailable as error:
            can_wait = chorus_deposit.get_backend().supports_defer
            later = can_wait and attempt < settings.CHORUS_PRO["max_attempts"]
            invoice.chorus_status = ChorusStatus.QUEUED if later else ChorusStatus.FAILED
            _record(invoice, attempt, str(error))
            if later:
                delay = RETRY_DELAY * 2 ** (attempt - 1)
                transaction.on_commit(
                    lambda: chorus_deposit.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                        invoice_id=invoice_id, attempt=attempt + 1
                    )
                )
            logger.warning("Chorus deposit of %s failed (attempt %d): %s", invoice.number, attempt, error)
            return "retry" if later else "failed"
        except chorus.ChorusRefused as error:
            invoice.chorus_status = ChorusStatus.FAILED
            _record(invoice, attempt, str(error))
            logger.error("Chorus refused the deposit of %s: %s", invoice.number, error)
            return "failed"
        invoice.chorus_status = ChorusStatus.DEPOSITED
        invoice.chorus_flow_number = flow
        _record(invoice, attempt, "")
        return "deposited"


def _record(invoice, attempt, reason):
    invoice.chorus_attempts = attempt
    invoice.chorus_reason = reason[:1000]
    invoice.save(update_fields=["chorus_status", "chorus_flow_number", "chorus_attempts", "chorus_reason"])


@task()
def chorus_refresh() -> int:
    """Read back the status of every invoice Chorus has and has not settled; the number changed."""
    if not chorus.configured():
        return 0
    client = chorus.ChorusClient()
    changed = 0
    pending = Invoice.objects.filter(chorus_status__in=[ChorusStatus.DEPOSITED, ChorusStatus.AVAILABLE]).exclude(
        chorus_flow_number=""
    )
    for invoice in pending.order_by("pk"):
        try:
            status, reason, invoice_id = _chorus_state(client, invoice)
        except chorus.ChorusError as error:
            logger.warning("Chorus status of %s unread: %s", invoice.number, error)
            continue
        if (status, reason, invoice_id) != (invoice.chorus_status, invoice.chorus_reason, invoice.chorus_invoice_id):
            changed += 1
        Invoice.objects.filter(pk=invoice.pk).update(
            chorus_status=status, chorus_reason=reason, chorus_invoice_id=invoice_id, chorus_checked_at=timezone.now()
        )
    return changed


def _chorus_state(client, invoice):
    if not invoice.chorus_invoice_id:
        state, errors = client.flow_report(invoice.chorus_flow_number)
        if state == "IN_REJETE":
            return ChorusStatus.REJECTED, "; ".join(errors) or "Flux rejeté par Chorus Pro.", ""
        if state != "IN_INTEGRE":
            return invoice.chorus_status, invoice.chorus_reason, ""
    found = client.invoice_status(invoice.number)
    if found is None:
        return invoice.chorus_status, invoice.chorus_reason, invoice.chorus_invoice_id
    invoice_id, code = found
    status = CHORUS_STATUSES.get(code, invoice.chorus_status)
    reason = client.rejection_reason(invoice_id) if status == ChorusStatus.REJECTED else ""
    return status, reason, invoice_id


@task()
def send_overdue_reminders(*, today: str) -> int:
    """Once per invoice: unpaid, not fully credited, not rejected, due 15 days or more ago."""
    day = datetime.date.fromisoformat(today)
    company = seller()
    sent = 0
    candidates = (
        Invoice.objects.filter(
            status=InvoiceStatus.ISSUED,
            due_on__lte=day - timedelta(days=REMINDER_AFTER_DAYS),
            reminder_sent_on__isnull=True,
        )
        .exclude(chorus_status=ChorusStatus.REJECTED)
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=pk)
            if invoice.reminder_sent_on is not None or invoice.credited_excl_vat >= invoice.total_excl_vat:
                continue
            recipients = list(
                invoice.establishment.users.filter(is_active=True).order_by("pk").values_list("email", flat=True)
            )
            invoice.reminder_sent_on = day
            invoice.save(update_fields=["reminder_sent_on"])
            email_send(
                to=[*recipients, company.email],
                template="billing/emails/overdue_reminder",
                context={
                    "number": invoice.number,
                    "issued_on": f"{invoice.issued_on:%d/%m/%Y}",
                    "due_on": f"{invoice.due_on:%d/%m/%Y}",
                    "buyer_name": invoice.buyer_name,
                    "amount": euros(invoice.total_incl_vat),
                    "iban": printed_iban(company.iban) if company.has_bank_account else "",
                    "bic": company.bic,
                    "holder": company.account_holder,
                    "invoices_path": reverse("billing:invoices"),
                },
            )
            sent += 1
    return sent
