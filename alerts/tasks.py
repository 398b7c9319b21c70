"""The alerts' work for the task worker (django-tasks). Each task is idempotent: it takes
its batch's key before sending (alerts.delivery), so a retried or doubled task sends once.

`manage.py send_alerts`, run daily from cron, queues the day's tasks.
"""

import datetime

from django.conf import settings
from django_tasks import task

from . import digests, usage
from .models import Frequency


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


@task()
def digest_send(*, frequency: str, day: str = "") -> int:
    return digests.digest_run(frequency=frequency, day=_day(day))


@task()
def pieces_notify(*, event_ids: list[int]) -> int:
    return usage.pieces_notify(event_ids=event_ids)


@task()
def end_alerts_send(*, day: str = "") -> int:
    return usage.end_alerts_send(today=_day(day))


@task()
def convention_reminders_send(*, day: str = "") -> int:
    return usage.convention_reminders_send(today=_day(day))


def daily_enqueue(day: datetime.date) -> list[str]:
    """Queue the tasks of `day`; their names."""
    queued = [
        digest_send.enqueue(frequency=Frequency.DAILY, day=day.isoformat()),
        end_alerts_send.enqueue(day=day.isoformat()),
        convention_reminders_send.enqueue(day=day.isoformat()),
    ]
    if day.isoweekday() == settings.ALERTS_WEEKLY_DIGEST_WEEKDAY:
        queued.append(digest_send.enqueue(frequency=Frequency.WEEKLY, day=day.isoformat()))
    return [result.task.name for result in queued]
