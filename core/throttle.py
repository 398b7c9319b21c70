"""Hourly limits on what anyone can trigger (emails, stored files), counted where every
worker sees the same count: the cache when it is shared (Redis, REDIS_URL), the database
otherwise (THROTTLE_STORE). A per-process memory cache would count per worker: with three
workers a limit of 20 would first refuse at the 53rd request."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import RateCounter
from core.proxy import client_ip

WINDOW = 3600  # seconds


def _key(namespace: str, scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{namespace}:{scope}:{digest}"


def client_id(request) -> str:
    """The account when there is one, else the address the request came from."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request) or ''}"


def _count_in_cache(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _count_in_database(key: str, window: int) -> int:
    """One more hit on `key`; its count since the window opened (the first hit)."""
    now = timezone.now()
    with transaction.atomic():
        RateCounter.objects.get_or_create(key=key, defaults={"expires_at": now + timedelta(seconds=window)})
        # The UPDATE locks the row: concurrent hits are counted one after the other.
        RateCounter.objects.filter(key=key, expires_at__lte=now).update(
            count=0, expires_at=now + timedelta(seconds=window)
        )
        RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key).values_list("count", flat=True).get()
    RateCounter.objects.filter(expires_at__lt=now - timedelta(seconds=window)).delete()
    return count


def allow(*identities: tuple[str, str], limit: int, namespace: str, window: int = WINDOW) -> bool:
    """Count one hit for each (scope, value); False when any is over `limit` in the window."""
    count_hit = _count_in_database if settings.THROTTLE_STORE == "database" else _count_in_cache
    allowed = True
    for scope, value in identities:
        if not value:
            continue
        allowed = count_hit(_key(namespace, scope, value), window) <= limit and allowed
    return allowed
