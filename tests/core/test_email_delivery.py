"""Emails through the database task queue and a real SMTP server the test stops and starts.

The request answers whatever the mail server does; the worker (`manage.py db_worker`, the
command production runs) tries again later while the server is down, sends once it is back,
and gives up on what can never leave, keeping the reason for staff.
"""

import signal
import smtplib
from datetime import timedelta

import pytest
from django.core.mail import BadHeaderError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.emails import email_send, is_permanent
from core.models import EmailFailure
from tests.factories.members import UserFactory
from tests.servers import SmtpServer, free_port

# Transactional: the worker runs the tasks enqueued on commit. Nothing here reads the
# migrations' rows (pages, groups, permissions), so they are not reloaded for each test.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.EMAIL_RETRY_DELAY = 60
    yield server
    server.stop()


def email_tasks():
    # Saving a user also queues Wagtail's reference index task: only the emails count here.
    return DBTaskResult.objects.filter(task_path="core.emails.send_email")


def run_worker():
    """What `manage.py db_worker` does, until nothing is ready to run. The worker takes over
    SIGINT, SIGTERM and SIGQUIT for its graceful stop: pytest gets them back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def time_passes():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_with_the_server_down_the_request_answers_and_the_email_leaves_when_it_is_back(client, smtp):
    UserFactory(email="anne@nyons.fr")
    response = client.post(reverse("members:password_reset"), {"email": "anne@nyons.fr"})
    assert response.status_code == 302 and response.url == reverse("members:password_reset_done")
    [queued] = email_tasks()
    assert queued.status == "READY" and queued.task_path == "core.emails.send_email"

    run_worker()  # nothing listens on the port: refused, tried again in a minute
    assert smtp.messages == []
    first, retry = email_tasks().order_by("enqueued_at")
    assert first.return_value == "retry" and retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert timedelta(seconds=55) < retry.run_after - first.finished_at <= timedelta(seconds=61)
    run_worker()  # not due yet: nothing runs
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"

    smtp.start()
    time_passes()
    run_worker()
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["anne@nyons.fr"]
    assert "R=C3=A9initialisation" in envelope.content.decode() or "Réinitialisation" in envelope.content.decode(
        "utf-8", "replace"
    )
    assert DBTaskResult.objects.get(pk=retry.pk).return_value == "sent"
    assert not EmailFailure.objects.exists()

    smtp.stop()  # down again: the next email waits as the first did
    client.post(reverse("members:password_reset"), {"email": "anne@nyons.fr"})
    run_worker()
    assert len(smtp.messages) == 1 and email_tasks().filter(status="READY").count() == 1


def test_each_retry_waits_twice_as_long_and_the_last_failure_is_kept_for_staff(client, smtp, settings, staff, caplog):
    settings.EMAIL_MAX_ATTEMPTS = 3
    email_send(to=["anne@nyons.fr"], template="members/emails/account_approved", context={"first_name": "Anne"})
    delays = []
    for _ in range(settings.EMAIL_MAX_ATTEMPTS):
        run_worker()
        waiting = email_tasks().filter(status="READY").first()
        if waiting:
            delays.append(round((waiting.run_after - timezone.now()).total_seconds() / 60))
            time_passes()
    assert delays == [1, 2]
    [failure] = EmailFailure.objects.all()
    assert failure.attempts == 3 and failure.recipients == "anne@nyons.fr"
    assert failure.subject == "Votre compte CANUT est activé" and failure.reason.startswith("ConnectionRefusedError")
    assert "given up after 3 attempt(s)" in caplog.text

    client.force_login(staff)
    listing = client.get("/admin/emails-en-echec/")
    assert listing.status_code == 200
    assert "Votre compte CANUT est activé" in listing.text and "ConnectionRefusedError" in listing.text


def test_a_line_break_in_an_address_fails_for_good_at_once_and_is_logged(smtp, caplog):
    smtp.start()
    email_send(to=["anne@nyons.fr\nBcc: tous@exemple.fr"], template="members/emails/account_approved", context={})
    run_worker()
    assert smtp.messages == []
    [failure] = EmailFailure.objects.all()
    assert failure.attempts == 1 and failure.reason.startswith("ValueError: Invalid address")
    assert not email_tasks().filter(status="READY").exists()
    assert "given up after 1 attempt(s): ValueError" in caplog.text


def test_header_injection_and_hard_refusals_are_permanent():
    assert is_permanent(BadHeaderError("Header values can't contain newlines"))
    assert is_permanent(smtplib.SMTPDataError(554, b"rejected"))
    assert not is_permanent(smtplib.SMTPDataError(451, b"try later"))
    assert not is_permanent(ConnectionRefusedError(111, "Connection refused"))


def test_a_member_cannot_see_the_failures(member_client):
    EmailFailure.objects.create(template="t", recipients="a@b.fr", attempts=1, reason="x")
    assert member_client.get("/admin/emails-en-echec/").status_code in (302, 403)
