"""The one way the portal sends email.

A service calls `email_send`: once its transaction commits, a task renders the template
pair `<template>_subject.txt` and `<template>.txt` with links starting at PORTAL_BASE_URL,
Reply-To the contact address of the site settings, attaching private files by name. The
task's arguments are plain data (the database task backend stores them as JSON), so a
worker renders what the service meant even if the rows change meanwhile.

A message the mail server does not take now (server down, timeout, 4xx answer) is tried
again later by a new task with a growing delay (EMAIL_RETRY_DELAY seconds, doubled at each
attempt, EMAIL_MAX_ATTEMPTS attempts in all); one that can never leave (a line break in a
header or an address, a 5xx answer, a missing template) or out of attempts is logged with its reason and
kept as an `EmailFailure`, listed to staff in the admin. The request that asked for it
answers normally either way. The immediate backend (development, tests) cannot wait: it
tries once.
"""

import logging
import mimetypes
import posixpath
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.utils import timezone
from django_tasks import task

from .models import EmailFailure
from .site_settings import site_settings
from .storage import private_storage

logger = logging.getLogger(__name__)


def portal_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def reply_to() -> list[str]:
    """The contact address editors set in the site settings."""
    contact = site_settings()
    return [contact.contact_email] if contact is not None and contact.contact_email else []


def render_text(name: str, context: dict) -> str:
    """A plain-text template rendered as text: no HTML escaping (an apostrophe stays an
    apostrophe, not "&#x27;"), whether or not the template says `autoescape off`."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(*, to: list[str], template: str, context: dict, attachments=(), headers=None) -> EmailMessage:
    context = {**context, "portal_url": portal_url()}
    # A subject is one line whatever the template or the data put in it.
    subject = " ".join(render_text(f"{template}_subject.txt", context).split())
    body = render_text(f"{template}.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to(), headers=headers)
    storage = private_storage()
    for name in attachments:
        with storage.open(name, "rb") as handle:
            filename = posixpath.basename(name)
            message.attach(filename, handle.read(), mimetypes.guess_type(filename)[0] or "application/octet-stream")
    return message


def is_permanent(error: Exception) -> bool:
    """Whether trying again can only fail the same way."""
    # A line break in a header or an address that does not parse (ValueError), a template bug.
    if isinstance(
        error, BadHeaderError | ValueError | TemplateDoesNotExist | TemplateSyntaxError | smtplib.SMTPRecipientsRefused
    ):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task()
def send_email(
    *, to: list[str], template: str, context: dict, attachments: list[str], attempt: int = 1, headers=None
) -> str:
    message = None
    try:
        message = render_email(to=to, template=template, context=context, attachments=attachments, headers=headers)
        message.send()
    except Exception as error:  # noqa: BLE001  (every failure is retried or recorded, never lost)
        reason = f"{type(error).__name__}: {error}"
        can_wait = send_email.get_backend().supports_defer
        if is_permanent(error) or attempt >= settings.EMAIL_MAX_ATTEMPTS or not can_wait:
            EmailFailure.objects.create(
                template=template,
                recipients=", ".join(to),
                subject=(message.subject if message else "")[:255],
                attempts=attempt,
                reason=reason,
            )
            logger.error("Email %s to %s given up after %d attempt(s): %s", template, to, attempt, reason)
            return "failed"
        delay = settings.EMAIL_RETRY_DELAY * 2 ** (attempt - 1)
        extra = {"headers": headers} if headers else {}
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            to=to, template=template, context=context, attachments=attachments, attempt=attempt + 1, **extra
        )
        logger.warning("Email %s to %s failed (%s): attempt %d in %d s.", template, to, reason, attempt + 1, delay)
        return "retry"
    return "sent"


def email_send(*, to, template: str, context: dict, attachments=(), headers=None) -> None:
    """Queue an email for when the current transaction commits (a rolled-back change sends nothing).

    `headers`: extra headers, such as List-Unsubscribe on alerts."""
    to = list(dict.fromkeys(address for address in to if address))
    if not to:
        logger.warning("Email %s has no recipient: not sent.", template)
        return
    extra = {"headers": dict(headers)} if headers else {}
    transaction.on_commit(
        partial(send_email.enqueue, to=to, template=template, context=context, attachments=list(attachments), **extra)
    )
