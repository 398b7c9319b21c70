"""Loads the demo content: page tree, themes, holders, the seed's agreements with real
pieces, and demo accounts. Idempotent: a second run updates in place, creates nothing."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alerts.demo import ensure_alerts
from demo import billing, loaders, operations, prices, sirene, support, trust
from holders.demo import ensure_holders_demo
from opendata.demo import ensure_demo_essential_data
from signatures.demo import ensure_signatures
from simulations.demo import ensure_simulation


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (pages, thèmes, titulaires, marchés et pièces, comptes de démo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Accepter de tourner avec DEBUG désactivé : la commande réécrit les pages et snippets de démo "
            "par leur slug, ce qui écraserait le travail des éditeurs sur une base de production.",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Donner un nouveau mot de passe aux comptes de démo existants (affiché à la fin).",
        )
        parser.add_argument("--skip-index", action="store_true", help="Ne pas lancer update_index à la fin.")

    def handle(self, *args, force, reset_passwords, skip_index, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : cette base ressemble à une production. "
                "Relancez avec --force si vous voulez vraiment y charger la démo."
            )
        names = ("pages", "themes", "holders", "documents", "markets", "subjects", "requests", "prices")
        tallies = {name: loaders.Tally() for name in names}
        try:
            with transaction.atomic():
                home, created = loaders.ensure_home()
                tallies["pages"].add(created)
                index = loaders.ensure_market_index(home, tallies["pages"])
                pages = loaders.ensure_standard_pages(home, tallies["pages"])
                loaders.publish_home(home, pages, index)
                loaders.ensure_site_settings(home, pages)
                self._step("Pages", tallies["pages"])
                themes = loaders.ensure_themes(tallies["themes"])
                self._step("Thèmes", tallies["themes"])
                holders = loaders.ensure_holders(tallies["holders"])
                self._step("Titulaires", tallies["holders"])
                loaders.ensure_markets(index, themes, holders, tallies)
                self._step("Marchés", tallies["markets"])
                ensure_demo_essential_data()  # their DECP data, so /donnees/decp.json is complete
                self.stdout.write(f"Documents générés : {tallies['documents'].created} (les autres sont réutilisés)")
                logins = loaders.ensure_accounts(reset_passwords=reset_passwords)
                trust.ensure_trust()
                sirene.ensure_directory(stdout=self.stdout)
                support.ensure_help(home, tallies)
                operations.ensure_email_failures()
                logins += billing.ensure_billing(reset_passwords=reset_passwords)
                signature_lines = ensure_signatures()
                logins += ensure_holders_demo(reset_passwords=reset_passwords)
                self._step("Sujets d'assistance", tallies["subjects"])
                self._step("Demandes d'assistance", tallies["requests"])
                prices.ensure_prices(tallies["prices"])
                self._step("Pièces de prix importées", tallies["prices"])
                ensure_simulation()  # the demo member's simulation on the multi-publisher agreement
                ensure_alerts(stdout=self.stdout)  # today's digest, printed by the console email backend
        except loaders.DemoError as error:
            raise CommandError(str(error)) from error

        if not skip_index:
            self.stdout.write("Mise à jour de l'index de recherche…")
            call_command("update_index", verbosity=0, stdout=self.stdout, stderr=self.stderr)

        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
        for label, email, password, _created in logins:
            self.stdout.write(self.style.MIGRATE_HEADING(label))
            self.stdout.write(f"  identifiant : {email}")
            if password:
                self.stdout.write(f"  mot de passe : {password}")
            else:
                self.stdout.write(
                    "  mot de passe : inchangé (relancez avec --reset-passwords pour en obtenir un nouveau)"
                )

        self.stdout.write(
            "S'identifier avec ProConnect : « PROCONNECT=1 scripts/demo » lance aussi un ProConnect local "
            "(ou manage.py proconnect_provider, qui dit comment configurer le portail)."
        )
        for line in signature_lines:
            self.stdout.write(line)

    def _step(self, label, tally):
        self.stdout.write(f"{label} : {tally.created} créé(s), {tally.updated} mis à jour")
