"""The one way the portal sends email.

A service calls `email_send`: once its transaction commits, a task renders the template
pair `<template>_subject.txt` and `<template>.txt` with links starting at PORTAL_BASE_URL,
Reply-To the contact address of the site settings, attaching private files by name. The
task's arguments are plain data (the database task backend stores them as JSON), so a
worker renders what the service meant even if the rows change meanwhile.
"""

import logging
import mimetypes
import posixpath
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task
from wagtail.models import Site

from .storage import private_storage

logger = logging.getLogger(__name__)


def portal_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def reply_to() -> list[str]:
    """The contact address editors set in the site settings (read by name: core knows no app)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    site_settings = apps.get_model(settings.SITE_SETTINGS_MODEL).for_site(site)
    return [site_settings.contact_email] if site_settings.contact_email else []


def render_email(*, to: list[str], template: str, context: dict, attachments=()) -> EmailMessage:
    context = {**context, "portal_url": portal_url()}
    # A subject is one line whatever the template or the data put in it.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to())
    storage = private_storage()
    for name in attachments:
        with storage.open(name, "rb") as handle:
            filename = posixpath.basename(name)
            message.attach(filename, handle.read(), mimetypes.guess_type(filename)[0] or "application/octet-stream")
    return message


@task()
def send_email(*, to: list[str], template: str, context: dict, attachments: list[str]) -> None:
    render_email(to=to, template=template, context=context, attachments=attachments).send()


def email_send(*, to, template: str, context: dict, attachments=()) -> None:
    """Queue an email for when the current transaction commits (a rolled-back change sends nothing)."""
    to = list(dict.fromkeys(address for address in to if address))
    if not to:
        logger.warning("Email %s has no recipient: not sent.", template)
        return
    transaction.on_commit(
        partial(send_email.enqueue, to=to, template=template, context=context, attachments=list(attachments))
    )
