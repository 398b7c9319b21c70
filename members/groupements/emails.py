"""The email telling a groupement's creator what staff decided."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse


def _recipients(groupement):
    """The creator, or the parent's users if that account is gone or disabled."""
    if groupement.created_by_id and groupement.created_by.is_active:
        return [groupement.created_by.email]
    return list(groupement.parent.users.filter(is_active=True).values_list("email", flat=True))


def decision_message(groupement):
    validated = groupement.status == groupement.Status.VALIDATED
    subject = f"Votre groupement « {groupement.name} » est {'validé' if validated else 'refusé'}"
    context = {
        "groupement": groupement,
        "validated": validated,
        "list_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("members:groupements:list"),
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("members/groupements/emails/decision.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_recipients(groupement),
    )
