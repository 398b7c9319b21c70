"""Demo fees and invoices: this year's and next year's schedules, a market "sans frais",
the demo communes' sizes, and a second demo member whose commune has a finalized
subscription and an issued, prorated invoice in "Mes factures". Idempotent: schedules by
year, the account by e-mail, the establishment by SIRET, the invoice by (subscription, year)."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from billing import services
from billing.models import EstablishmentSize, FeeBand, FeeSchedule, InvoiceKind, MarketFee, SizeBasis
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
                "convention-contresignee-visan.pdf",
                ContentFile(pdf("Convention de mise à disposition (contresignée)", [market.title, data["name"]])),
                save=False,
            )
            subscription.save()
        permissions.market_grant(market=market, establishment=establishment)
        if subscription.finalized_on.month < 12 and subscription.finalized_on < today.replace(day=1):
            issue_on = (subscription.finalized_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
            for draft in services.invoices_due(kind=InvoiceKind.FIRST, today=issue_on):
                if draft.subscription == subscription:
                    services.invoice_issue(draft=draft, today=issue_on)
    return [(ACCOUNT["label"], user.email, password, created)]
