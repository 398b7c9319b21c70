"""Writes: invoice runs (preview, then issue), numbering, payment, credit notes.

A run first lists what is due (`invoices_due`, the preview), then issues each invoice in its
own transaction (`invoice_issue`): the year's number counter is locked first, the "already
invoiced?" check runs under that lock, and the unique (subscription, fee_year) constraint
is the last guard. Two runs at once therefore issue each invoice once, and a number is
consumed only by a committed invoice: numbers stay chronological and without gaps.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from core.actions import record_step
from subscriptions.models import Subscription

from . import chorus, selectors
from .fees import HUNDRED, Fee, money
from .models import (
    BuyerReference,
    ChorusStatus,
    CreditNote,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    NumberCounter,
)
from .tasks import chorus_deposit, queue_deposit

# Staff steps in Wagtail's history (labels: wagtail_hooks.py).
ISSUED_ACTION = "billing.issued"
PAID_ACTION = "billing.paid"
CREDITED_ACTION = "billing.credited"
CHORUS_ACTION = "billing.chorus_redeposit"

CREDIT_TOO_LARGE = "Le montant de l'avoir doit être positif et ne pas dépasser le reste de la facture."
ALREADY_PAID = "Cette facture est déjà marquée payée."


@dataclass(frozen=True)
class InvoiceDraft:
    """One invoice a run would issue (the preview), or why it cannot."""

    subscription: Subscription
    kind: str
    year: int
    fee: Fee | None
    problem: str = ""


def due_first_subscriptions(*, today: datetime.date):
    """Finalized before this month (so invoiced "the month after"), not in December, not
    yet invoiced for their year, live, not on a market "sans frais"."""
    month_start = today.replace(day=1)
    candidates = (
        Subscription.objects.live()
        .filter(finalized_on__lt=month_start, finalized_on__gte=datetime.date(today.year - 1, 1, 1))
        .exclude(finalized_on__month=12)
        .exclude(market__billing_fee__free=True)
        .select_related("establishment", "market")
        .order_by("finalized_on", "pk")
    )
    invoiced = set(Invoice.objects.filter(subscription__in=candidates).values_list("subscription_id", "fee_year"))
    return [sub for sub in candidates if (sub.pk, sub.finalized_on.year) not in invoiced]


def due_yearly_subscriptions(*, year: int):
    """Live subscriptions finalized before `year`, not yet invoiced for it."""
    return list(
        Subscription.objects.live()
        .filter(finalized_on__lt=datetime.date(year, 1, 1))
        .exclude(market__billing_fee__free=True)
        .exclude(invoices__fee_year=year)
        .select_related("establishment", "market")
        .order_by("finalized_on", "pk")
    )


def invoices_due(*, kind: str, today: datetime.date) -> list[InvoiceDraft]:
    """The preview of a run: what it would issue today, with the amounts."""
    if kind == InvoiceKind.FIRST:
        pairs = [(sub, sub.finalized_on.year) for sub in due_first_subscriptions(today=today)]
    else:
        pairs = [(sub, today.year) for sub in due_yearly_subscriptions(year=today.year)]
    schedules = {}
    drafts = []
    for subscription, year in pairs:
        if year not in schedules:
            schedules[year] = selectors.schedule_for(year=year)
        schedule = schedules[year]
        if schedule is None:
            drafts.append(InvoiceDraft(subscription, kind, year, None, f"Aucun barème des frais pour {year}."))
            continue
        fee = selectors.subscription_fee(subscription=subscription, year=year, schedule=schedule)
        drafts.append(InvoiceDraft(subscription, kind, year, fee))
    return drafts


def next_number(*, series: str, year: int) -> str:
    """The next number of the series, under a row lock held until the transaction ends."""
    counter, _ = NumberCounter.objects.get_or_create(series=series, year=year)
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{series}{year}-{counter.last:05d}"


def invoice_issue(*, draft: InvoiceDraft, today: datetime.date, by=None) -> Invoice | None:
    """Issue one drafted invoice; None if another run issued it first (or nothing is owed).
    The new row is its own lock (nobody sees it before the commit); the counter's lock
    orders the runs; the step is written in Wagtail's history with who ran it (`by`, None
    for the scheduled run)."""
    if draft.fee is None or draft.problem:
        return None
    subscription = draft.subscription
    establishment = subscription.establishment
    fee = draft.fee
    reference = BuyerReference.objects.filter(establishment=establishment).first()
    try:
        with transaction.atomic():
            number = next_number(series="F", year=today.year)
            # Under the counter's lock: a concurrent run's invoice is committed and visible.
            if Invoice.objects.filter(subscription=subscription, fee_year=draft.year).exists():
                transaction.set_rollback(True)
                return None
            invoice = Invoice.objects.create(
                subscription=subscription,
                establishment=establishment,
                market=subscription.market,
                kind=draft.kind,
                fee_year=draft.year,
                months=fee.months,
                number=number,
                issued_on=today,
                due_on=today + datetime.timedelta(days=draft_payment_days(draft)),
                buyer_name=establishment.name,
                buyer_siret=establishment.siret,
                buyer_chorus_code=(reference and reference.service_code) or establishment.chorus_code,
                buyer_engagement_number=reference.engagement_number if reference else "",
                buyer_address="\n".join(establishment.billing_address.splitlines() or establishment.address_lines),
                vat_rate=fee.vat_rate,
                total_excl_vat=fee.total_excl_vat,
                vat_amount=fee.vat_amount,
                total_incl_vat=fee.total_incl_vat,
            )
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    position=index,
                    label=f"{line.label} — {subscription.market.title}"[:255] if index == 1 else line.label,
                    amount_excl_vat=line.amount_excl_vat,
                    vat_amount=line.vat_amount,
                )
                for index, line in enumerate(fee.lines, start=1)
            )
            log(instance=invoice, action=ISSUED_ACTION, user=by, data={"number": number})
            queue_deposit(invoice)
    except IntegrityError:
        # The unique (subscription, fee_year) constraint: issued by a concurrent run.
        return None
    return invoice


def draft_payment_days(draft: InvoiceDraft) -> int:
    schedule = selectors.schedule_for(year=draft.year)
    return schedule.payment_days if schedule else 30


def invoices_issue(*, kind: str, today: datetime.date, by=None) -> list[Invoice]:
    """Run: issue every invoice due today; running it again issues nothing twice."""
    issued = []
    for draft in invoices_due(kind=kind, today=today):
        invoice = invoice_issue(draft=draft, today=today, by=by)
        if invoice is not None:
            issued.append(invoice)
    return issued


def invoice_mark_paid(*, invoice: Invoice, paid_on: datetime.date, by=None) -> Invoice:
    def perform(locked: Invoice) -> Invoice:
        if locked.status == InvoiceStatus.PAID:
            raise ValidationError(ALREADY_PAID)
        locked.status = InvoiceStatus.PAID
        locked.paid_on = paid_on
        locked.save(update_fields=["status", "paid_on"])
        return locked

    return record_step(instance=invoice, action=PAID_ACTION, by=by, perform=perform, data={"on": str(paid_on)})


def credit_note_issue(
    *, invoice: Invoice, amount_excl_vat: Decimal, reason: str, today: datetime.date, by=None
) -> CreditNote:
    """An "avoir" crediting part or all of an issued invoice (the invoice stays as issued)."""
    amount = money(Decimal(amount_excl_vat))
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de l'avoir."})

    def perform(locked: Invoice) -> CreditNote:
        credited = sum((note.amount_excl_vat for note in locked.credit_notes.all()), Decimal("0"))
        if amount <= 0 or amount + credited > locked.total_excl_vat:
            raise ValidationError({"amount_excl_vat": CREDIT_TOO_LARGE})
        vat = money(amount * locked.vat_rate / HUNDRED)
        return CreditNote.objects.create(
            invoice=locked,
            number=next_number(series="A", year=today.year),
            issued_on=today,
            reason=reason.strip(),
            amount_excl_vat=amount,
            vat_amount=vat,
            total_incl_vat=amount + vat,
        )

    return record_step(
        instance=invoice,
        action=CREDITED_ACTION,
        by=by,
        perform=perform,
        data={"amount_excl_vat": str(amount), "reason": reason.strip()},
    )


def buyer_reference_save(*, establishment, service_code: str, engagement_number: str) -> BuyerReference:
    """What the member wants on its establishment's next invoices (issued ones stay as issued)."""
    reference, _ = BuyerReference.objects.update_or_create(
        establishment=establishment,
        defaults={"service_code": service_code.strip(), "engagement_number": engagement_number.strip()},
    )
    return reference


def statement_apply(*, lines, paid_on: datetime.date, by=None) -> list[Invoice]:
    """Mark paid the invoices a statement's matched lines pay (the line's date, else `paid_on`)."""
    paid = []
    for line in lines:
        if line.invoice is None:
            continue
        try:
            paid.append(invoice_mark_paid(invoice=line.invoice, paid_on=line.paid_on or paid_on, by=by))
        except ValidationError as error:
            line.problem, line.invoice = " ".join(error.messages), None
    return paid


def chorus_redeposit(*, invoice: Invoice, by=None) -> Invoice:
    """Deposit again an invoice Chorus Pro never took or rejected (the worker does it)."""
    if not chorus.configured():
        raise ValidationError("Chorus Pro n'est pas configuré sur ce portail.")

    def perform(locked: Invoice) -> Invoice:
        if locked.chorus_status not in (ChorusStatus.FAILED, ChorusStatus.REJECTED):
            raise ValidationError("Cette facture n'est ni en échec ni rejetée sur Chorus Pro.")
        locked.chorus_status, locked.chorus_flow_number, locked.chorus_invoice_id = ChorusStatus.QUEUED, "", ""
        locked.chorus_reason, locked.chorus_attempts = "", 0
        locked.save()
        transaction.on_commit(lambda: chorus_deposit.enqueue(invoice_id=locked.pk))
        return locked

    return record_step(instance=invoice, action=CHORUS_ACTION, by=by, perform=perform, data={})
