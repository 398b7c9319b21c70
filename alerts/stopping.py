"""The signed one-click stop link of every alert email, which works without logging in.

The token names the user, the kind of alert and, for a saved search, the search: it is
signed with SECRET_KEY (django.core.signing), so a changed character makes it worthless.
It does not expire: a stop link in an old email must still stop the emails.
"""

from django.core import signing
from django.urls import reverse

from core.emails import portal_url

from .models import AlertOptOut, SavedSearch, UsageKind

SALT = "alerts.stop"
SEARCHES = "recherches"


def stop_token(*, user_id: int, kind: str, search_id: int = 0) -> str:
    return signing.dumps([user_id, kind, search_id], salt=SALT, compress=True)


def stop_path(**kwargs) -> str:
    return reverse("alerts:stop", args=[stop_token(**kwargs)])


def stop_headers(**kwargs) -> dict:
    """RFC 2369 and RFC 8058: mail programs show "Se désabonner" and POST to the link."""
    return {
        "List-Unsubscribe": f"<{portal_url()}{stop_path(**kwargs)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str):
    """(user_id, kind, search_id), or None when the token was not signed by us."""
    try:
        user_id, kind, search_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(search_id, int):
        return None
    if kind != SEARCHES and kind not in UsageKind.values:
        return None
    return user_id, kind, search_id


def describe(kind: str, search) -> str:
    if kind == SEARCHES:
        return f"les e-mails de la recherche « {search.name} »" if search else "les e-mails de toutes vos recherches"
    return f"les e-mails « {UsageKind(kind).label} »"


def stop(*, user_id: int, kind: str, search_id: int) -> None:
    """Idempotent: a second click changes nothing."""
    if kind == SEARCHES:
        searches = SavedSearch.objects.filter(user_id=user_id)
        if search_id:
            searches = searches.filter(pk=search_id)
        searches.update(paused=True)
    else:
        AlertOptOut.objects.get_or_create(user_id=user_id, kind=kind)
