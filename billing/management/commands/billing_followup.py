from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.tasks import chorus_refresh, send_overdue_reminders


class Command(BaseCommand):
    help = (
        "Suivi quotidien des factures (cron) : relit les statuts Chorus Pro et envoie une fois la relance "
        "des factures impayées 15 jours après l'échéance. Le travail est fait par le worker."
    )

    def handle(self, *args, **options):
        chorus_refresh.enqueue()
        send_overdue_reminders.enqueue(today=timezone.localdate().isoformat())
        self.stdout.write(self.style.SUCCESS("Suivi des factures mis en file."))
