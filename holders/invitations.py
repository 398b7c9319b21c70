"""Holder contacts get in: staff invite an email for a holder, the contact follows a
signed, expiring, one-use link to set a password; staff may revoke a contact.

The link carries the contact's id and a nonce stored on the row: accepting, revoking or
inviting again changes the nonce, so an earlier link is dead before it expires.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from core.emails import email_send, portal_url

from .models import HolderContact

SALT = "holders.invitation"
INVITE_ACTION = "holders.invite"
REVOKE_ACTION = "holders.revoke"
LINK_INVALID = (
    "Ce lien d'invitation n'est plus valable (déjà utilisé, expiré ou révoqué) : "
    "demandez une nouvelle invitation à la CANUT."
)
EMAIL_TAKEN = "Cette adresse est déjà celle d'un compte du portail : invitez une autre adresse."
ALREADY_ACTIVE = "Ce contact a déjà un compte actif pour ce titulaire."


def invitation_days() -> int:
    return getattr(settings, "HOLDER_INVITATION_DAYS", 7)


def invitation_token(contact: HolderContact) -> str:
    return signing.dumps({"c": contact.pk, "n": contact.nonce}, salt=SALT, compress=True)


def contact_invite(*, holder, email: str, invited_by) -> HolderContact:
    """Invite `email` for `holder` (again, for a pending or revoked contact): emails the link."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        contact = HolderContact.objects.select_for_update().filter(email__iexact=email).first()
        if contact is not None and contact.holder_id != holder.pk:
            raise ValidationError({"email": "Cette adresse est déjà celle d'un contact d'un autre titulaire."})
        if contact is not None and contact.accepted_at and not contact.revoked_at:
            raise ValidationError({"email": ALREADY_ACTIVE})
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None and (contact is None or contact.user_id != user.pk):
            raise ValidationError({"email": EMAIL_TAKEN})
        contact = contact or HolderContact(holder=holder, email=email)
        contact.new_nonce()
        contact.invited_by = invited_by
        contact.invited_at = timezone.now()
        contact.accepted_at = None
        contact.revoked_at = None
        contact.revoked_by = None
        contact.full_clean()
        contact.save()
        log(instance=contact, action=INVITE_ACTION, user=invited_by)
        link = portal_url() + reverse("holders:accept", args=[invitation_token(contact)])
        email_send(
            to=[contact.email],
            template="holders/emails/invitation",
            context={"holder": holder.name, "link": link, "days": invitation_days()},
        )
    return contact


def contact_for_token(token: str) -> HolderContact:
    """The contact a link invites, or ValidationError(LINK_INVALID)."""
    try:
        data = signing.loads(token[:500], salt=SALT, max_age=invitation_days() * 86400)
        contact = HolderContact.objects.select_related("holder").get(pk=int(data["c"]))
    except (signing.BadSignature, HolderContact.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError(LINK_INVALID) from None
    if not contact.nonce or contact.nonce != data.get("n") or contact.accepted_at or contact.revoked_at:
        raise ValidationError(LINK_INVALID)
    return contact


def contact_accept(*, token: str, first_name: str, last_name: str, password: str):
    """The contact sets a password: its account is created (or reopened), the link dies."""
    User = get_user_model()
    with transaction.atomic():
        contact = contact_for_token(token)
        contact = HolderContact.objects.select_for_update().get(pk=contact.pk)
        contact_for_token(token)  # again, under the lock: two tabs, one account
        user = contact.user
        if user is None:
            if User.objects.filter(email__iexact=contact.email).exists():
                raise ValidationError(EMAIL_TAKEN)
            user = User(email=contact.email)
        user.first_name, user.last_name = first_name, last_name
        user.status = User.Status.HOLDER
        user.is_active = True
        user.set_password(password)
        user.save()
        contact.user = user
        contact.accepted_at = timezone.now()
        contact.nonce = ""
        contact.save(update_fields=["user", "accepted_at", "nonce"])
    return user


def contact_revoke(*, contact: HolderContact, revoked_by) -> HolderContact:
    """The contact's link dies and its account can no longer log in."""
    with transaction.atomic():
        contact = HolderContact.objects.select_for_update().get(pk=contact.pk)
        if contact.revoked_at:
            raise ValidationError("Ce contact est déjà révoqué.")
        contact.revoked_at = timezone.now()
        contact.revoked_by = revoked_by
        contact.nonce = ""
        contact.save(update_fields=["revoked_at", "revoked_by", "nonce"])
        if contact.user_id:
            get_user_model().objects.filter(pk=contact.user_id).update(is_active=False)
        log(instance=contact, action=REVOKE_ACTION, user=revoked_by)
    return contact
