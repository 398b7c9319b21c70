"""Queue the day's alerts for the task worker: daily digests (and weekly ones on
ALERTS_WEEKLY_DIGEST_WEEKDAY), end-of-market alerts, convention reminders.

Idempotent (each batch is sent once per period): run it daily from cron, e.g.
    0 6 * * * cd /srv/canut && .venv/bin/python manage.py send_alerts
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.tasks import daily_enqueue


class Command(BaseCommand):
    help = "Met en file les alertes du jour (résumés des recherches, fins de marché, rappels de convention)."

    def handle(self, *args, **options):
        names = daily_enqueue(timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{len(names)} tâche(s) d'alertes en file : {', '.join(names)}."))
