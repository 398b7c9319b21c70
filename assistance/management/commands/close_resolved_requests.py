"""Close the requests resolved ASSISTANCE_AUTO_CLOSE_DAYS days ago without an answer since.

Idempotent: run it daily from cron, e.g.
    15 3 * * * cd /srv/canut && .venv/bin/python manage.py close_resolved_requests
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from assistance.services import requests_close_resolved


class Command(BaseCommand):
    help = "Ferme les demandes d'assistance résolues sans réponse depuis ASSISTANCE_AUTO_CLOSE_DAYS jours."

    def handle(self, *args, **options):
        closed = requests_close_resolved()
        days = settings.ASSISTANCE_AUTO_CLOSE_DAYS
        self.stdout.write(self.style.SUCCESS(f"{closed} demande(s) fermée(s) ({days} jours après leur résolution)."))
