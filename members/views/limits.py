"""Limits on what an anonymous request can make the portal email (core.throttle): per
client address, answered on screen the same whatever the address typed; per address,
silently (the screen never tells whether an address has an account)."""

from django.conf import settings

from core import throttle

NAMESPACE = "members"
TOO_MANY = (
    "Trop de demandes ont été faites depuis votre connexion en peu de temps : réessayez dans une heure, "
    "ou écrivez-nous à canut@canut.org."
)


def client_allowed(request, scope: str) -> bool:
    """Counts this request for its client address; False past the hourly limit."""
    return throttle.allow(
        (scope, throttle.client_id(request)), limit=settings.MEMBERS_REQUESTS_PER_CLIENT_HOURLY, namespace=NAMESPACE
    )


def address_allowed(email: str) -> bool:
    """Counts one email to `email` (whatever sends it); False past the hourly limit."""
    return throttle.allow(("email", email), limit=settings.MEMBERS_EMAILS_PER_ADDRESS_HOURLY, namespace=NAMESPACE)
