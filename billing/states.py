"""The one place that says where an invoice stands, for the member's list, the admin and
the reminders. Only "issued" and "paid" are stored; the rest follows from the dates, the
credit notes and Chorus Pro's answer, so it can never go stale."""

import datetime

from .models import ChorusStatus, InvoiceStatus

REMINDER_AFTER_DAYS = 15


class State:
    PAID = ("paid", "Payée")
    CREDITED = ("credited", "Annulée par avoir")
    REJECTED = ("rejected", "Rejetée par Chorus Pro")
    OVERDUE = ("overdue", "En retard")
    DUE = ("due", "À payer")
    ISSUED = ("issued", "Émise")


def invoice_state(invoice, today: datetime.date):
    """(code, label). `credited_excl_vat` reads the prefetched credit notes."""
    if invoice.status == InvoiceStatus.PAID:
        return State.PAID
    if invoice.credited_excl_vat >= invoice.total_excl_vat:
        return State.CREDITED
    if invoice.chorus_status == ChorusStatus.REJECTED:
        return State.REJECTED
    if today > invoice.due_on:
        return State.OVERDUE
    if invoice.chorus_status in (ChorusStatus.AVAILABLE, ChorusStatus.DEPOSITED) or not invoice.chorus_status:
        return State.DUE
    return State.ISSUED


def reminder_due_on(invoice) -> datetime.date:
    """The day a reminder leaves: 15 days after the due date."""
    return invoice.due_on + datetime.timedelta(days=REMINDER_AFTER_DAYS)
