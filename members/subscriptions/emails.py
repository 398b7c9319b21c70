"""Emails of the subscription journey, sent as tasks (see tasks.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _recipients(subscription):
    """The requesting user, or the establishment's users if that account is gone."""
    if subscription.requested_by_id and subscription.requested_by.is_active:
        return [subscription.requested_by.email]
    return [user.email for user in subscription.establishment.users.filter(is_active=True)]


def _attach(message, field_file):
    with field_file.open("rb") as handle:
        content = handle.read()
    name = field_file.name.rsplit("/", 1)[-1]
    message.attach(name, content, PDF_TYPE if name.lower().endswith(".pdf") else DOCX_TYPE)


def _message(subscription, *, subject, template_name, attachment):
    context = {"subscription": subscription, "market": subscription.market, "establishment": subscription.establishment}
    message = EmailMessage(
        subject=f"{subject} — {subscription.market.title}",
        body=render_to_string(template_name, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_recipients(subscription),
    )
    _attach(message, attachment)
    return message


def convention_sent_message(subscription):
    return _message(
        subscription,
        subject="Votre convention de mise à disposition",
        template_name="members/subscriptions/emails/convention_sent.txt",
        attachment=subscription.convention,
    )


def subscription_finalized_message(subscription):
    return _message(
        subscription,
        subject="Votre souscription est finalisée",
        template_name="members/subscriptions/emails/subscription_finalized.txt",
        attachment=subscription.countersigned_convention,
    )
