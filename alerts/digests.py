"""The digests of saved searches: one email per member and period, only when something new
matches, run by the task worker (alerts.tasks) once a day or once a week.

A run takes its period's key first (alerts.delivery.claim): a repeated run, or a second
worker at the same moment, finds it taken and sends nothing. The searches, the period's
changes and the members' subscriptions are read in a fixed number of queries, however
many members there are; each email is then one queued task (core.emails).
"""

import json
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send

from .delivery import claim
from .matching import MarketChanges, PriceChanges
from .models import DeliveryKind, Frequency, SavedSearch, Source
from .searches import criteria_summary
from .stopping import SEARCHES, stop_headers, stop_path

KINDS = {Frequency.DAILY: DeliveryKind.DIGEST_DAILY, Frequency.WEEKLY: DeliveryKind.DIGEST_WEEKLY}
ITEMS_PER_SEARCH = 20  # in the email and in "Mes alertes"; the search's page shows the rest


def period_key(frequency: str, day) -> str:
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-S{week:02d}"


def _due(frequency):
    return SavedSearch.objects.filter(frequency=frequency, paused=False, user__is_active=True, user__status="active")


def due_searches(frequency):
    return list(_due(frequency).select_related("user"))


def digest_run(*, frequency: str, day=None) -> int:
    """Send the digests of `frequency` for the period of `day` (today); the number of emails."""
    day = day or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        delivery = claim(f"digest:{frequency}:{period_key(frequency, day)}", KINDS[frequency])
        if delivery is None:
            return 0
        searches = due_searches(frequency)
        if not searches:
            return 0
        since = min(search.checked_until for search in searches)
        users = _due(frequency).values("user_id")
        readers = {}
        if any(s.source == Source.MARKETS for s in searches):
            readers[Source.MARKETS] = MarketChanges(since, now)
        if any(s.source == Source.PRICES for s in searches):
            readers[Source.PRICES] = PriceChanges(since, now, users)
        found, last_found = defaultdict(list), defaultdict(list)
        for search in searches:
            items = readers[search.source].matching(search, search.user_id)
            if items:
                kept = [item.as_dict() for item in items[:ITEMS_PER_SEARCH]]
                last_found[json.dumps(kept, sort_keys=True)].append(search.pk)
                found[search.user].append((search, items))
        # Members with the same criteria found the same items: one write per distinct
        # result, whatever the number of members.
        for kept, pks in last_found.items():
            SavedSearch.objects.filter(pk__in=pks).update(last_found=json.loads(kept), last_found_at=now)
        _due(frequency).filter(checked_until__lt=now).update(checked_until=now)
        for user, results in found.items():
            email_send(
                to=[user.email],
                template="alerts/emails/digest",
                context=digest_context(user, frequency, results),
                headers=stop_headers(user_id=user.pk, kind=SEARCHES),
            )
        delivery.emails = len(found)
        delivery.save(update_fields=["emails"])
    return len(found)


def digest_context(user, frequency, results) -> dict:
    """Plain data (the queued task stores it as JSON)."""
    return {
        "first_name": user.first_name,
        "period": "du jour" if frequency == Frequency.DAILY else "de la semaine",
        "count": sum(len(items) for _, items in results),
        "searches": [
            {
                "name": search.name,
                "criteria": criteria_summary(search),
                "source": search.get_source_display(),
                "items": [item.as_dict() for item in items[:ITEMS_PER_SEARCH]],
                "more": max(0, len(items) - ITEMS_PER_SEARCH),
                "stop_path": stop_path(user_id=user.pk, kind=SEARCHES, search_id=search.pk),
            }
            for search, items in results
        ],
        "all_stop_path": stop_path(user_id=user.pk, kind=SEARCHES),
        "alerts_path": reverse("alerts:list"),
        "max_items": settings.ALERTS_MAX_PRICE_CHANGES,
    }
