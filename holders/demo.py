"""Demo of the holders' side: two holder accounts, two years of accepted reports with their
sales, the S1 campaign of this year with a late report, and the current half-year's
campaign with a report in each state. Idempotent: a second run adds nothing."""

import datetime
import random
import secrets
from decimal import Decimal

from django.utils import timezone

from markets.models import Holder
from members.models import Establishment, User
from subscriptions.models import Subscription

from .campaigns import campaign_open
from .lots import holder_lots
from .models import Campaign, HolderContact, Report, ReportVersion, SalesLine

ACCOUNTS = (
    ("427498365", "commercial@scc.example", "Sophie", "Carrel"),  # SCC
    ("528603913", "rapports@altima-telecom.example", "Karim", "Haddad"),  # ALTIMA TÉLÉCOM
)
TEXT = {
    "commercial_actions": (
        "Deux webinaires de présentation de l'accord-cadre (86 inscrits), 14 rendez-vous avec des "
        "collectivités, une lettre d'information trimestrielle. 9 nouvelles commandes."
    ),
    "return_on_investment": "Projets livrés dans les délais ; économies estimées de 12 % sur les coûts de licence.",
    "good_practices": "Un interlocuteur unique par établissement, un point d'avancement mensuel.",
    "failures": "Deux commandes reçues d'établissements sans souscription finalisée.",
    "corrective_measures": "Rappel de la démarche de souscription aux deux établissements concernés.",
}


def ensure_holders_demo(*, reset_passwords):
    """Returns the holder logins, as loaders.ensure_accounts does."""
    logins = [_account(*account, reset_passwords=reset_passwords) for account in ACCOUNTS]
    today = timezone.localdate()
    current = (today.year, 2) if today.month >= 7 else (today.year - 1, 2)
    halves = _halves_before(current, 5)  # two years of history, then the last half-year
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    for year, half in halves:
        if Campaign.objects.filter(year=year, half=half).exists():
            continue
        campaign = campaign_open(year=year, half=half, notify=False)
        late = (year, half) == halves[-1]
        for index, report in enumerate(_reports(campaign)):
            if late and index % 5 == 0:
                _fill(report, lines=False)  # a draft never submitted: late
            else:
                _fill(report)
                _submit(report)
                _decide(report, staff, accept=True)
    if not Campaign.objects.filter(year=current[0], half=current[1]).exists():
        campaign = campaign_open(year=current[0], half=current[1], opened_by=staff, notify=False)
        seen = {}
        for report in _reports(campaign):
            # Each holder's first report a draft, then submitted, sent back, accepted.
            state = seen[report.holder_id] = seen.get(report.holder_id, -1) + 1
            state %= 4
            if state == 0:
                _fill(report, lines=False)  # draft
                continue
            _fill(report)
            _submit(report)
            if state == 2:
                _decide(report, staff, accept=False)
            elif state == 3:
                _decide(report, staff, accept=True)
    return logins


def _account(siren, email, first_name, last_name, *, reset_passwords):
    holder = Holder.objects.filter(siren=siren).order_by("pk").first()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    user = user or User(email=email)
    user.first_name, user.last_name = first_name, last_name
    user.status, user.is_active = User.Status.HOLDER, True
    password = None
    if created or reset_passwords:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    user.save()
    if holder is not None:
        HolderContact.objects.update_or_create(
            email=email, defaults={"holder": holder, "user": user, "accepted_at": timezone.now(), "revoked_at": None}
        )
    label = f"Titulaire ({holder.name if holder else siren}) — espace titulaire"
    return (label, email, password, created)


def _halves_before(current, count):
    year, half = current
    halves = []
    for _ in range(count):
        year, half = (year, 1) if half == 2 else (year - 1, 2)
        halves.append((year, half))
    return list(reversed(halves))


def _reports(campaign):
    # The two demo holders' reports first, so each of them shows every state.
    demo = [siren for siren, *_ in ACCOUNTS]
    return sorted(
        campaign.reports.select_related("market", "holder", "campaign"),
        key=lambda report: (report.holder.siren not in demo, report.market.title, report.holder.name),
    )


def _buyers(report):
    finalized = set(
        Subscription.objects.finalized().filter(market=report.market).values_list("establishment__siret", flat=True)
    )
    establishments = list(Establishment.objects.order_by("siret").values_list("pk", "siret", "name")[:12])
    rng = random.Random(f"{report.market_id}-{report.holder_id}")
    chosen = rng.sample(establishments, k=min(len(establishments), 6))
    return [(pk, siret, name, siret not in finalized) for pk, siret, name in chosen], finalized


def _fill(report, *, lines=True):
    for name, value in TEXT.items():
        setattr(report, name, value)
    if not lines:
        report.save()
        return
    buyers, _ = _buyers(report)
    lots = holder_lots(market=report.market.specific, holder=report.holder) or ["Lot unique"]
    rng = random.Random(f"{report.pk}")
    growth = Decimal(1 + (report.campaign.year - 2024) * 0.15 + report.campaign.half * 0.05)
    rows = []
    for number, (pk, siret, name, outside) in enumerate(buyers, start=2):
        amount = (Decimal(rng.randint(30_000, 450_000)) * growth).quantize(Decimal("0.01"))
        rows.append(
            SalesLine(
                report=report,
                row=number,
                siret=siret,
                name=name,
                lot=lots[number % len(lots)],
                amount=amount,
                quantity=Decimal(rng.randint(1, 400)),
                establishment_id=pk,
                out_of_subscription=outside,
            )
        )
    SalesLine.objects.bulk_create(rows)
    report.volume = sum((row.amount for row in rows), Decimal("0"))
    report.save()


def _submit(report):
    now = timezone.now()
    deadline = datetime.datetime.combine(report.campaign.deadline, datetime.time(10), tzinfo=now.tzinfo)
    submitted = min(now, deadline - datetime.timedelta(days=3))
    contact = HolderContact.objects.filter(holder=report.holder, user__isnull=False).first()
    report.status = Report.Status.PENDING
    report.submitted_at = submitted
    report.submitted_by = contact.user if contact else None
    report.save()
    ReportVersion.objects.create(
        report=report,
        number=report.versions.count() + 1,
        submitted_at=submitted,
        submitted_by=report.submitted_by,
        content={"volume": str(report.volume), "sales_lines": report.sales_lines.count()},
    )


def _decide(report, staff, *, accept):
    reason = "" if accept else "Le détail des ventes n'inclut pas le lot 2 : complétez-le et soumettez à nouveau."
    report.status = Report.Status.ACCEPTED if accept else Report.Status.REJECTED
    report.decided_at = min(timezone.now(), report.submitted_at + datetime.timedelta(days=5))
    report.decided_by = staff
    report.decision_reason = reason
    report.save()
    report.versions.filter(decided_at__isnull=True).update(
        decision=report.status, decided_at=report.decided_at, decided_by=staff, reason=reason
    )
