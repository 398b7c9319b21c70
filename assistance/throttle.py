"""Hourly limits on what anyone can trigger (emails, stored files), through the cache so
every worker shares them (Redis in production)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.proxy import client_ip

WINDOW = 3600  # seconds
TOO_MANY = "Vous avez envoyé beaucoup de messages en peu de temps : réessayez dans une heure, ou appelez l'assistance."


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"assistance:{scope}:{digest}"


def client_id(request) -> str:
    """The account when there is one, else the address the request came from."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request) or ''}"


def allow(*identities: tuple[str, str], limit: int | None = None) -> bool:
    """Count one hit for each (scope, value); False when any is over the hourly limit."""
    limit = limit or settings.ASSISTANCE_HOURLY_LIMIT
    allowed = True
    for scope, value in identities:
        if not value:
            continue
        key = _key(scope, value)
        cache.add(key, 0, WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW)
            count = 1
        allowed = allowed and count <= limit
    return allowed
