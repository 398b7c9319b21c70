"""Hourly limits on what anyone can trigger from the help pages (core.throttle)."""

from django.conf import settings

from core import throttle
from core.throttle import client_id

__all__ = ["TOO_MANY", "allow", "client_id"]

TOO_MANY = "Vous avez envoyé beaucoup de messages en peu de temps : réessayez dans une heure, ou appelez l'assistance."


def allow(*identities: tuple[str, str], limit: int | None = None) -> bool:
    """Count one hit for each (scope, value); False when any is over the hourly limit."""
    return throttle.allow(*identities, limit=limit or settings.ASSISTANCE_HOURLY_LIMIT, namespace="assistance")
