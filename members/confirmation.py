"""The link that proves a member owns the address they typed: signed (SECRET_KEY),
expiring (EMAIL_CONFIRMATION_MAX_AGE seconds) and of one use (it names the address, and an
address confirmed once is not confirmed again)."""

from django.conf import settings
from django.core import signing

SALT = "members.email-confirmation"


class LinkInvalid(Exception):
    message = (
        "Ce lien de confirmation n'est pas valide : copiez-le en entier depuis l'e-mail, ou demandez-en un nouveau."
    )


class LinkExpired(LinkInvalid):
    message = "Ce lien de confirmation a expiré : demandez-en un nouveau ci-dessous."


class LinkUsed(LinkInvalid):
    message = "Ce lien a déjà servi : votre adresse e-mail est confirmée."


def token_for(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=False)


def read_token(token: str) -> tuple[int, str]:
    """(user pk, email) the token was made for; LinkExpired or LinkInvalid otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        raise LinkInvalid
    return data["u"], data["e"]
