"""Demo fees and invoices: this year's and next year's schedules, a market "sans frais",
the demo communes' sizes, and a second demo member whose commune has a finalized
subscription and an issued, prorated invoice in "Mes factures". Idempotent: schedules by
year, the account by e-mail, the establishment by SIRET, the invoice by (subscription, year)."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Site

from billing import services
from billing.models import (
    BillingSettings,
    BuyerReference,
    ChorusStatus,
    EstablishmentSize,
    FeeBand,
    FeeSchedule,
    InvoiceKind,
    InvoiceStatus,
    MarketFee,
    SizeBasis,
)
from markets.models import MarketPage
from members.models import Establishment, User
from subscriptions import permissions
from subscriptions.models import AssociationStanding, Subscription

from .files import pdf

BANDS = [
    (SizeBasis.POPULATION, 0, 999, "150.00", "200.00"),
    (SizeBasis.POPULATION, 1000, 4999, "350.00", "450.00"),
    (SizeBasis.POPULATION, 5000, 19999, "500.00", "650.00"),
    (SizeBasis.POPULATION, 20000, None, "800.00", "1000.00"),
    (SizeBasis.HEADCOUNT, 0, 49, "250.00", None),
    (SizeBasis.HEADCOUNT, 50, 249, "450.00", None),
    (SizeBasis.HEADCOUNT, 250, None, "700.00", None),
    (SizeBasis.DEFAULT, None, None, "350.00", None),
]
FREE_MARKET = "formation-au-numerique"
BILLED_MARKET = "logiciels-doccasion"
SIZES = {"21260210600016": 7126}  # COMMUNE DE NYONS
ACCOUNT = {
    "email": "adherent.factures@canut.org",
    "label": "Adhérent de démonstration avec une facture (COMMUNE DE VISAN, « Mes factures »)",
    "first_name": "Dominique",
    "last_name": "Facturée",
    "establishment": {
        "siret": "21840143800005",
        "siren": "218401438",
        "name": "COMMUNE DE VISAN",
        "ape_code": "84.11Z",
        "chorus_code": "FACTURES-MAIRIE",
        "street_number": "1",
        "street_name": "PLACE DE LA MAIRIE",
        "postcode": "84820",
        "city": "VISAN",
        "status": "validated",
    },
    "population": 2041,
}


def ensure_schedule(year):
    schedule, created = FeeSchedule.objects.get_or_create(year=year)
    if created:
        FeeBand.objects.bulk_create(FeeBand.from_row(row, schedule=schedule) for row in BANDS)
    return schedule


def ensure_billing(*, reset_passwords):
    """Returns the extra demo login, as loaders.ensure_accounts does."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        ensure_schedule(year)
    free = MarketPage.objects.filter(slug=FREE_MARKET).first()
    if free:
        MarketFee.objects.update_or_create(market=free, defaults={"free": True, "note": "Formations prises en charge."})
    for siret, population in SIZES.items():
        establishment = Establishment.objects.filter(siret=siret).first()
        if establishment:
            EstablishmentSize.objects.update_or_create(establishment=establishment, defaults={"population": population})

    user = User.objects.filter(email__iexact=ACCOUNT["email"]).first()
    created = user is None
    user = user or User(email=ACCOUNT["email"])
    user.first_name, user.last_name = ACCOUNT["first_name"], ACCOUNT["last_name"]
    user.status, user.is_active = "active", True
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()  # as the other demo accounts
    password = None
    if created or reset_passwords:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    user.save()
    data = ACCOUNT["establishment"]
    establishment, _ = Establishment.objects.update_or_create(siret=data["siret"], defaults=data)
    establishment.users.add(user)
    EstablishmentSize.objects.update_or_create(
        establishment=establishment, defaults={"population": ACCOUNT["population"]}
    )

    market = MarketPage.objects.filter(slug=BILLED_MARKET).first()
    if market is not None:
        # Finalized four months ago (in this year when possible): the first run issues its
        # prorated invoice the month after.
        finalized_on = max(today - datetime.timedelta(days=120), today.replace(month=1, day=2))
        subscription, _created = _finalized_subscription(market, establishment, user, finalized_on, "visan")
        permissions.market_grant(market=market, establishment=establishment)
        if subscription.finalized_on.month < 12 and subscription.finalized_on < today.replace(day=1):
            issue_on = (subscription.finalized_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
            for draft in services.invoices_due(kind=InvoiceKind.FIRST, today=issue_on):
                if draft.subscription == subscription:
                    services.invoice_issue(draft=draft, today=issue_on)
    ensure_seller()
    BuyerReference.objects.update_or_create(
        establishment=establishment,
        defaults={"service_code": data["chorus_code"], "engagement_number": "EJ-2026-0042"},
    )
    ensure_invoice_states(establishment=establishment, user=user, today=today)
    return [(ACCOUNT["label"], user.email, password, created)]


# The seller's bank account: a valid example IBAN (the checks pass), never a real account.
SELLER = {
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "account_holder": "CANUT — Agence comptable",
    "billing_email": "facturation@canut.org",
}
# Each state "Mes factures" shows, on its own market: days before today the invoice is issued.
STATES = [("due", 10), ("rejected", 20), ("overdue", 50), ("credited", 80), ("paid", 100)]


def ensure_seller():
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    settings = BillingSettings.for_site(site)
    for name, value in SELLER.items():
        setattr(settings, name, getattr(settings, name) or value)
    settings.save()


def ensure_invoice_states(*, establishment, user, today):
    """One invoice per state for the demo member: due, rejected by Chorus Pro (with the
    buyer's reason), overdue (reminded), fully credited, paid; one partial credit note."""
    markets = MarketPage.objects.live().exclude(slug__in=[FREE_MARKET, BILLED_MARKET]).order_by("path")[: len(STATES)]
    for (state, days), market in zip(STATES, markets, strict=False):
        issue_on = today - datetime.timedelta(days=days)
        finalized_on = (issue_on.replace(day=1) - datetime.timedelta(days=1)).replace(day=5)
        if finalized_on.month == 12:
            finalized_on = finalized_on.replace(month=11)
        subscription, created = _finalized_subscription(market, establishment, user, finalized_on, f"visan-{market.pk}")
        if created:
            permissions.market_grant(market=market, establishment=establishment)
        invoice = subscription.invoices.first()
        if invoice is None:
            for draft in services.invoices_due(kind=InvoiceKind.FIRST, today=issue_on):
                if draft.subscription == subscription:
                    invoice = services.invoice_issue(draft=draft, today=issue_on)
        if invoice is None or invoice.status == InvoiceStatus.PAID or invoice.credit_notes.exists():
            continue
        if state == "paid":
            services.invoice_mark_paid(invoice=invoice, paid_on=invoice.due_on - datetime.timedelta(days=3))
        elif state == "credited":
            services.credit_note_issue(
                invoice=invoice,
                amount_excl_vat=invoice.total_excl_vat,
                reason="Souscription annulée avant sa mise en œuvre",
                today=issue_on + datetime.timedelta(days=12),
            )
        elif state == "rejected":
            invoice.chorus_status = ChorusStatus.REJECTED
            invoice.chorus_reason = "Le code service « FACTURES-MAIRIE » n'est pas actif pour ce SIRET."
            invoice.save(update_fields=["chorus_status", "chorus_reason"])
        elif state == "overdue":
            services.credit_note_issue(
                invoice=invoice,
                amount_excl_vat=min(invoice.total_excl_vat, 20),
                reason="Remise commerciale sur la tranche",
                today=issue_on + datetime.timedelta(days=5),
            )
            invoice.reminder_sent_on = invoice.due_on + datetime.timedelta(days=15)
            invoice.save(update_fields=["reminder_sent_on"])


def _finalized_subscription(market, establishment, user, finalized_on, name):
    """The establishment's live subscription to `market` (made finalized on that day if none),
    and whether it was made."""
    subscription = Subscription.objects.live().filter(market=market, establishment=establishment).first()
    if subscription is None:
        subscription = Subscription(
            market=market,
            establishment=establishment,
            requested_by=user,
            association_standing=AssociationStanding.MEMBER,
            sent_on=finalized_on - datetime.timedelta(days=20),
            received_on=finalized_on - datetime.timedelta(days=7),
            finalized_on=finalized_on,
        )
        subscription.countersigned_convention.save(
            f"convention-contresignee-{name}.pdf",
            ContentFile(pdf("Convention de mise à disposition (contresignée)", [market.title, establishment.name])),
            save=False,
        )
        subscription.save()
        return subscription, True
    return subscription, False
