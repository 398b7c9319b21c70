"""Alerts on what a member uses: new pieces on the markets their establishments subscribe
to (directly or through a groupement), the coming end of those markets and lots, and
reminders on conventions left waiting. Each runs in the task worker and takes its batch's
key first (alerts.delivery), so a repeated run or a second worker sends nothing twice.

"The users a subscription covers" is the django-guardian permission the subscriptions
grant on the market (markets.access.PIECES_PERMISSION): the one answer, kept true by the
subscriptions app when subscriptions and establishments change.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.models import UserObjectPermission

from core.emails import email_send
from markets.access import PIECES_PERMISSION
from markets.blocks import DocumentKind
from markets.models import MarketPage

from .delivery import claim
from .matching import market_path
from .models import AlertOptOut, DeliveryKind, EventKind, MarketEvent, MarketSnapshot, UsageKind
from .stopping import stop_headers, stop_path

END_THRESHOLDS = (90, 30)  # days before the end: the first alert plans the renewal, the second reminds


def market_users(market_ids, kind):
    """{market id: [users]} covered by a subscription of each market, active, who did not turn `kind` off."""
    rows = UserObjectPermission.objects.filter(
        object_pk__in=[str(pk) for pk in market_ids],
        permission__codename=PIECES_PERMISSION.split(".")[1],
        permission__content_type__app_label="markets",
    ).values_list("object_pk", "user_id")
    by_market = defaultdict(set)
    for object_pk, user_id in rows:
        by_market[int(object_pk)].add(user_id)
    user_ids = set().union(*by_market.values()) if by_market else set()
    opted_out = set(AlertOptOut.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(pk__in=user_ids - opted_out, is_active=True, status="active")
    users = {user.pk: user for user in users}
    return {pk: [users[u] for u in sorted(ids) if u in users] for pk, ids in by_market.items()}


def subscribers_count(market) -> int:
    """How many members an email about `market`'s new pieces would reach (the editor sees it)."""
    return len(market_users([market.pk], UsageKind.PIECES).get(market.pk, []))


# New pieces ------------------------------------------------------------------------------


def pieces_notify(*, event_ids) -> int:
    """One email per covered user for the pieces one publication added to a market."""
    events = list(MarketEvent.objects.filter(pk__in=event_ids, kind=EventKind.PIECE).select_related("market"))
    if not events:
        return 0
    market = events[0].market
    with transaction.atomic():
        delivery = claim(f"pieces:{market.pk}:{min(event_ids)}-{max(event_ids)}", DeliveryKind.PIECE)
        if delivery is None or not market.live:
            return 0
        users = market_users([market.pk], UsageKind.PIECES).get(market.pk, [])
        pieces = [
            {
                "title": e.label,
                "kind": DocumentKind.LABELS.get(e.document_kind, "Pièce"),
                "amendment": e.document_kind == "amendment",
            }
            for e in events
        ]
        amendment = any(piece["amendment"] for piece in pieces)
        for user in users:
            email_send(
                to=[user.email],
                template="alerts/emails/pieces",
                context={
                    "first_name": user.first_name,
                    "market": market.title,
                    "market_path": market_path(market),
                    "pieces": pieces,
                    "amendment": amendment,
                    "stop_path": stop_path(user_id=user.pk, kind=UsageKind.PIECES),
                },
                headers=stop_headers(user_id=user.pk, kind=UsageKind.PIECES),
            )
        MarketEvent.objects.filter(pk__in=[e.pk for e in events]).update(notified_at=timezone.now())
        delivery.emails = len(users)
        delivery.save(update_fields=["emails"])
    return len(users)


# End dates -------------------------------------------------------------------------------


def ends_of(market, snapshot):
    """[(lot label or "", end date)]: the market's end, and each lot's that differs from it."""
    ends = [("", market.ends_on)]
    for lot in snapshot.lots if snapshot else []:
        if lot.get("ends_on"):
            ends_on = datetime.date.fromisoformat(lot["ends_on"])
            if ends_on != market.ends_on:
                ends.append((f"{lot['label']} — {lot['title']}", ends_on))
    return ends


def threshold_for(days_left):
    """The alert due `days_left` days before an end: 90 from J-90, 30 from J-30 (a missed day catches up)."""
    if days_left < 0:
        return None
    due = [threshold for threshold in END_THRESHOLDS if days_left <= threshold]
    return min(due) if due else None


def coming_ends(market_ids=None, today=None, horizon=END_THRESHOLDS[0]):
    """[(market, lot label, end date, days left)] of live markets ending within `horizon` days."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=horizon)
    markets = MarketPage.objects.live().filter(ends_on__gte=today)
    if market_ids is not None:
        markets = markets.filter(pk__in=market_ids)
    snapshots = {s.market_id: s for s in MarketSnapshot.objects.filter(market__in=markets)}
    ends = []
    for market in markets.filter(Q(ends_on__lte=last) | Q(pk__in=snapshots)).order_by("ends_on"):
        for lot, ends_on in ends_of(market, snapshots.get(market.pk)):
            if today <= ends_on <= last:
                ends.append((market, lot, ends_on, (ends_on - today).days))
    return sorted(ends, key=lambda end: end[2])


def end_alerts_send(*, today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    ends = [(m, lot, on, threshold_for(days)) for m, lot, on, days in coming_ends(today=today)]
    ends = [end for end in ends if end[3] is not None]
    users = market_users({market.pk for market, *_ in ends}, UsageKind.END_DATES)
    for market, lot, ends_on, threshold in ends:
        with transaction.atomic():
            key = f"fin:{market.pk}:{lot[:100] or '-'}:{ends_on.isoformat()}:{threshold}"
            delivery = claim(key, DeliveryKind.END_DATE)
            if delivery is None:
                continue
            recipients = users.get(market.pk, [])
            for user in recipients:
                email_send(
                    to=[user.email],
                    template="alerts/emails/end_date",
                    context={
                        "first_name": user.first_name,
                        "market": market.title,
                        "lot": lot,
                        "ends_on": ends_on.strftime("%d/%m/%Y"),
                        "days": (ends_on - today).days,
                        "market_path": market_path(market),
                        "stop_path": stop_path(user_id=user.pk, kind=UsageKind.END_DATES),
                    },
                    headers=stop_headers(user_id=user.pk, kind=UsageKind.END_DATES),
                )
            delivery.emails = len(recipients)
            delivery.save(update_fields=["emails"])
            sent += len(recipients)
    return sent


def dashboard_ends(*, user, today=None):
    """The ends within 90 days of the markets `user`'s establishments subscribe to, for the dashboard."""
    market_ids = UserObjectPermission.objects.filter(
        user=user,
        permission__codename=PIECES_PERMISSION.split(".")[1],
        permission__content_type__app_label="markets",
    ).values_list("object_pk", flat=True)
    ids = [int(pk) for pk in market_ids if str(pk).isdigit()]
    return [
        {"market": market, "lot": lot, "ends_on": ends_on, "days": days, "path": market_path(market)}
        for market, lot, ends_on, days in coming_ends(market_ids=ids, today=today)
    ]


# Conventions -----------------------------------------------------------------------------


def convention_reminders_send(*, today=None) -> int:
    """The member whose convention was sent `ALERTS_CONVENTION_SENT_DAYS` days ago and never
    came back; staff, for one received `ALERTS_CONVENTION_RECEIVED_DAYS` days ago and not
    finalized. Once per subscription and step."""
    from django.apps import apps

    Subscription = apps.get_model("subscriptions", "Subscription")  # noqa: N806  (nothing imports subscriptions)
    today = today or timezone.localdate()
    sent_before = today - datetime.timedelta(days=settings.ALERTS_CONVENTION_SENT_DAYS)
    received_before = today - datetime.timedelta(days=settings.ALERTS_CONVENTION_RECEIVED_DAYS)
    live = Subscription.objects.filter(cancelled_on__isnull=True, finalized_on__isnull=True)
    waiting_member = live.filter(received_on__isnull=True, sent_on__lte=sent_before).select_related(
        "market", "establishment", "requested_by"
    )
    waiting_staff = live.filter(received_on__lte=received_before).select_related("market", "establishment")
    opted_out = set(AlertOptOut.objects.filter(kind=UsageKind.CONVENTIONS).values_list("user_id", flat=True))
    count = 0
    for subscription in waiting_member:
        user = subscription.requested_by
        with transaction.atomic():
            delivery = claim(f"convention-envoyee:{subscription.pk}", DeliveryKind.CONVENTION_SENT)
            if delivery is None or user is None or user.pk in opted_out or not user.is_active:
                continue
            email_send(
                to=[user.email],
                template="alerts/emails/convention_sent",
                context={
                    "first_name": user.first_name,
                    "market": subscription.market.title,
                    "establishment": subscription.establishment.name,
                    "sent_on": subscription.sent_on.strftime("%d/%m/%Y"),
                    "subscription_pk": subscription.pk,
                    "stop_path": stop_path(user_id=user.pk, kind=UsageKind.CONVENTIONS),
                },
                headers=stop_headers(user_id=user.pk, kind=UsageKind.CONVENTIONS),
            )
            delivery.emails = 1
            delivery.save(update_fields=["emails"])
            count += 1
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(pk__in=opted_out)
        .values_list("email", flat=True)
    )
    for subscription in waiting_staff:
        with transaction.atomic():
            delivery = claim(f"convention-recue:{subscription.pk}", DeliveryKind.CONVENTION_RECEIVED)
            if delivery is None or not staff:
                continue
            email_send(
                to=staff,
                template="alerts/emails/convention_received",
                context={
                    "market": subscription.market.title,
                    "establishment": subscription.establishment.name,
                    "received_on": subscription.received_on.strftime("%d/%m/%Y"),
                    "subscription_pk": subscription.pk,
                },
            )
            delivery.emails = 1
            delivery.save(update_fields=["emails"])
            count += 1
    return count
