"""Six-monthly campaigns: opened by staff (or `manage.py holder_reports open`), one report
per live agreement and holder; reminders 15 days before the deadline, the day before, and
once late, each sent once whatever runs again."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from core.emails import email_send
from markets.models import MarketPage

from .models import Campaign, HolderContact, Report, default_deadline

REMINDERS = (
    # (field, which: the template's wording)
    ("reminded_before_at", "before"),
    ("reminded_eve_at", "eve"),
    ("reminded_late_at", "late"),
)


def campaign_open(
    *, year: int, half: int, opened_by=None, deadline: datetime.date | None = None, notify: bool = True
) -> Campaign:
    """The half-year's campaign with a draft report for every holder of every agreement
    live during it; opening again adds only what is missing. Each holder whose reports
    were added hears of it once (`notify`; the demo keeps quiet)."""
    with transaction.atomic():
        campaign, created = Campaign.objects.get_or_create(
            year=year,
            half=half,
            defaults={"deadline": deadline or default_deadline(year, half), "opened_by": opened_by},
        )
        markets = MarketPage.objects.live().filter(notified_on__lte=campaign.ends_on, ends_on__gte=campaign.starts_on)
        existing = set(Report.objects.filter(campaign=campaign).values_list("market_id", "holder_id"))
        new = []
        for market_id, holder_id in markets.values_list("pk", "holder_links__holder_id"):
            if holder_id and (market_id, holder_id) not in existing:
                existing.add((market_id, holder_id))
                new.append(
                    Report(campaign=campaign, market_id=market_id, holder_id=holder_id, status=Report.Status.DRAFT)
                )
        Report.objects.bulk_create(new)
        if notify:
            _announce(campaign, {report.holder_id for report in new})
    return campaign


def _announce(campaign, holder_ids):
    contacts = HolderContact.objects.filter(
        holder_id__in=holder_ids, accepted_at__isnull=False, revoked_at__isnull=True
    ).select_related("holder")
    by_holder = {}
    for contact in contacts:
        by_holder.setdefault(contact.holder, []).append(contact.email)
    for holder, emails in by_holder.items():
        email_send(
            to=emails,
            template="holders/emails/campaign_open",
            context={
                "holder": holder.name,
                "campaign": campaign.label,
                "deadline": campaign.deadline.strftime("%d/%m/%Y"),
            },
        )


def reminder_due(report_deadline: datetime.date, today: datetime.date) -> str | None:
    """Which reminder the day calls for: 'before' from 15 days before, 'eve' the day
    before, 'late' after the deadline; None otherwise."""
    if today > report_deadline:
        return "late"
    if today == report_deadline - datetime.timedelta(days=1):
        return "eve"
    if report_deadline - datetime.timedelta(days=15) <= today < report_deadline - datetime.timedelta(days=1):
        return "before"
    return None


@task()
def send_reminders(*, today: str | None = None) -> int:
    """Email the contacts of every report still to hand in; each reminder once: the row is
    marked by a conditional update before the email is queued."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    waiting = Report.objects.filter(status__in=[Report.Status.DRAFT, Report.Status.REJECTED]).select_related(
        "campaign", "market", "holder"
    )
    fields = dict((which, field) for field, which in REMINDERS)
    for report in waiting.filter(campaign__deadline__gte=day - datetime.timedelta(days=366)):
        which = reminder_due(report.campaign.deadline, day)
        if which is None:
            continue
        field = fields[which]
        with transaction.atomic():
            marked = Report.objects.filter(Q(pk=report.pk), **{f"{field}__isnull": True}).update(
                **{field: timezone.now()}
            )
            if not marked:
                continue
            email_send(
                to=list(
                    HolderContact.objects.filter(
                        holder=report.holder, accepted_at__isnull=False, revoked_at__isnull=True
                    ).values_list("email", flat=True)
                ),
                template=f"holders/emails/reminder_{which}",
                context={
                    "market": report.market.title,
                    "holder": report.holder.name,
                    "campaign": report.campaign.label,
                    "deadline": report.campaign.deadline.strftime("%d/%m/%Y"),
                },
            )
            sent += 1
    return sent
