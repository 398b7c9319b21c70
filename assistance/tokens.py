"""A visitor's access to their request: a signed, timestamped link, valid for that request
only. Every email carries a fresh one, so the access lasts as long as the exchange goes on."""

import datetime

from django.conf import settings
from django.core import signing

SALT = "assistance.request-access"


def request_token(support_request) -> str:
    return signing.dumps({"r": support_request.pk}, salt=SALT, compress=False)


def request_pk_from_token(token: str) -> int | None:
    """The request a token opens, or None if it is forged, damaged or too old."""
    max_age = datetime.timedelta(days=settings.ASSISTANCE_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    pk = data.get("r") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None
