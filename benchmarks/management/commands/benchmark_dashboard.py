"""Measures "Tableau de bord" and "Mes marchés" for a member with many subscriptions, then rolls it all back."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from wagtail.models import Page

from benchmarks import generation
from benchmarks.timing import frozen_heap, measure, member_client, serving
from markets.models import MarketIndexPage
from members.models import Establishment, User
from subscriptions.models import Subscription


class Rollback(Exception):
    """Raised to leave the atomic block: nothing generated is kept."""


class Command(BaseCommand):
    help = (
        "Crée un adhérent avec N souscriptions (200 par défaut) dans une transaction annulée à la fin, puis "
        "mesure le temps serveur (médiane, p95) et le nombre de requêtes SQL du tableau de bord et de « Mes marchés »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscriptions", type=int, default=200, help="nombre de souscriptions (200)")
        parser.add_argument("--runs", type=int, default=30, help="mesures par page (30)")

    def handle(self, *args, subscriptions, runs, **options):
        if min(subscriptions, runs) < 1:
            raise CommandError("--subscriptions et --runs doivent être au moins 1.")
        self.stdout.write(f"Génération de {subscriptions} souscriptions ({connection.vendor})…")
        generation.vacuum()  # rows earlier runs rolled back
        timings = []
        try:
            with transaction.atomic(), serving():
                start = time.perf_counter()
                client = self._member_client(subscriptions)
                generation.analyze()
                self.stdout.write(f"Données générées en {time.perf_counter() - start:.1f} s ; {runs} mesures par page.")
                with frozen_heap():
                    for label, name in (
                        ("tableau de bord", "subscriptions:dashboard"),
                        ("mes marchés", "subscriptions:my_markets"),
                    ):
                        timings.append(measure(label, reverse(name), runs=runs, client=client))
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"{'page':<20} {'médiane':>10} {'p95':>10} {'requêtes SQL':>13}")
        for timing in timings:
            line = f"{timing.label:<20} {timing.median_ms:>7.1f} ms {timing.p95_ms:>7.1f} ms {timing.queries:>13}"
            if timing.status != 200:
                line += self.style.ERROR(f"  (HTTP {timing.status})")
            self.stdout.write(line)
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG est actif : les temps sont un peu pessimistes."))
        self.stdout.write(self.style.SUCCESS("Données de benchmark annulées : la base est inchangée."))

    def _member_client(self, count):
        """A member of a validated establishment subscribed to `count` markets, in every status."""
        index = Page.get_first_root_node().add_child(
            instance=MarketIndexPage(title="Marchés (benchmark tableau de bord)", slug="bench-tableau-de-bord")
        )
        markets = generation.generate_markets(index, count)
        user = User.objects.create_user(email="tableau@exemple.fr", password="benchmark-mot-de-passe", status="active")
        establishment = Establishment.objects.create(
            name="COMMUNE DE BENCHMARK",
            siren="552081317",
            siret="55208131700017",
            postcode="26110",
            city="NYONS",
            status=Establishment.Status.VALIDATED,
        )
        establishment.users.add(user)
        rows = []
        for n, market in enumerate(markets):
            dates = {}
            if n % 3 >= 1:
                dates["received_on"] = "2024-02-23"
            if n % 3 == 2:
                dates.update(finalized_on="2024-03-01", countersigned_convention="conventions/c.pdf")
            rows.append(Subscription(market=market, establishment=establishment, sent_on="2024-02-22", **dates))
        Subscription.objects.bulk_create(rows)
        client = member_client(user=user)
        return client
