"""Reminders 15 days before, the day before and late: through the real task worker and a
real SMTP server, each sent once however often the job runs."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from holders.campaigns import reminder_due, send_reminders
from holders.models import Report

DEADLINE = datetime.date(2025, 7, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 7, 15), None),
        (datetime.date(2025, 7, 16), "before"),
        (datetime.date(2025, 7, 29), "before"),
        (datetime.date(2025, 7, 30), "eve"),
        (datetime.date(2025, 7, 31), None),
        (datetime.date(2025, 8, 1), "late"),
    ],
)
def test_which_reminder(today, expected):
    assert reminder_due(DEADLINE, today) == expected


def test_each_reminder_once_and_never_for_a_submitted_report(report, holder_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day in ("2025-07-16", "2025-07-17", "2025-07-30", "2025-07-30", "2025-08-02", "2025-08-20"):
            send_reminders.call(today=day)
    assert [message.subject.split(" (")[0] for message in mail.outbox] == [
        "Rapport semestriel S1 2025 à remettre avant le 31/07/2025",
        "Rapport semestriel S1 2025 à remettre demain",
        "Rapport semestriel S1 2025 en retard",
    ]
    assert all(message.to == [holder_user.email] for message in mail.outbox)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PENDING, reminded_late_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.call(today="2025-08-21")
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_through_the_real_worker_and_smtp_sends_once(report, holder_user, settings):
    from django.utils import timezone

    from tests.core.test_email_delivery import run_worker
    from tests.servers import SmtpServer, free_port

    server = SmtpServer(free_port())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    server.start()
    try:
        report.campaign.deadline = timezone.localdate() + datetime.timedelta(days=1)
        report.campaign.save()
        for _ in range(2):  # cron ran twice the same day
            call_command("holder_reports", "remind")
            run_worker()
        assert len(server.messages) == 1
        assert server.messages[0].rcpt_tos == [holder_user.email]
        assert b"demain" in server.messages[0].content
    finally:
        server.stop()
