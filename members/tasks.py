"""Emails leave through a task: immediate in development and tests, a worker in production."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_plain_email(*, to: str, subject: str, body: str) -> None:
    send_mail(" ".join(subject.splitlines()), body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def send_member_email(*, to: str, subject: str, template_name: str, context: dict) -> None:
    context = {**context, "portal_url": settings.PORTAL_BASE_URL.rstrip("/")}
    send_mail(subject, render_to_string(template_name, context), settings.DEFAULT_FROM_EMAIL, [to])
