"""Hourly limits on what anyone can trigger (emails, stored files), through the cache so
every worker shares them (Redis in production)."""

import hashlib

from django.core.cache import cache

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


def allow(*identities: tuple[str, str], limit: int, namespace: str, window: int = WINDOW) -> bool:
    """Count one hit for each (scope, value); False when any is over `limit` in the window."""
    allowed = True
    for scope, value in identities:
        if not value:
            continue
        key = _key(namespace, scope, value)
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        allowed = allowed and count <= limit
    return allowed
