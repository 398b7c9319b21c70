from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from holders.campaigns import campaign_open, send_reminders
from holders.models import Half


class Command(BaseCommand):
    help = (
        "Rapports semestriels des titulaires. « open » ouvre la campagne du semestre écoulé "
        "(ou --year/--half) ; « remind » met en file les relances du jour (J-15, veille, retard), "
        "chacune envoyée une seule fois : à lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "remind"])
        parser.add_argument("--year", type=int)
        parser.add_argument("--half", type=int, choices=[Half.S1, Half.S2])

    def handle(self, *args, action, year, half, **options):
        today = timezone.localdate()
        if action == "remind":
            result = send_reminders.enqueue(today=today.isoformat())
            self.stdout.write(f"Relances mises en file (tâche {result.id}).")
            return
        if (year is None) != (half is None):
            raise CommandError("Indiquez --year et --half ensemble, ou aucun des deux.")
        if year is None:
            # The half-year just ended: S2 of last year in the first half, else S1.
            year, half = (today.year - 1, Half.S2) if today.month <= 6 else (today.year, Half.S1)
        campaign = campaign_open(year=year, half=half)
        count = campaign.reports.count()
        self.stdout.write(
            self.style.SUCCESS(f"Campagne {campaign} : {count} rapport(s), date limite {campaign.deadline:%d/%m/%Y}.")
        )
