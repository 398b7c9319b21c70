"""Measures the catalogue's server time on a generated volume, then rolls it all back."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks import catalogue, generation
from benchmarks.timing import serving


class Rollback(Exception):
    """Raised to leave the atomic block: nothing generated is kept."""


class Command(BaseCommand):
    help = (
        "Génère un catalogue (500 marchés, 40 titulaires, 30 thèmes par défaut) dans une transaction annulée à la "
        "fin, puis mesure le temps serveur (médiane, p95) et le nombre de requêtes SQL des pages du catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--markets", type=int, default=500, help="nombre de marchés générés (500)")
        parser.add_argument("--holders", type=int, default=40, help="nombre de titulaires générés (40)")
        parser.add_argument("--themes", type=int, default=30, help="nombre de thèmes et sous-thèmes (30)")
        parser.add_argument("--runs", type=int, default=30, help="mesures par page (30)")
        parser.add_argument(
            "--sans-analyze",
            action="store_true",
            help="ne pas lancer ANALYZE après la génération (mesure des tables sans statistiques)",
        )

    def handle(self, *args, markets, holders, themes, runs, sans_analyze=False, **options):
        if min(markets, holders, themes, runs) < 1:
            raise CommandError("--markets, --holders, --themes et --runs doivent être au moins 1.")
        from wagtail.search.backends import get_search_backend

        backend = type(get_search_backend()).__module__
        if "database" not in backend:
            # Another engine keeps what was indexed whatever the database does.
            raise CommandError(
                f"Le benchmark annule ses données en base : il ne tourne qu'avec la recherche en base ({backend})."
            )

        self.stdout.write(
            f"Génération de {markets} marchés, {holders} titulaires, {themes} thèmes "
            f"({connection.vendor}, recherche {backend.rsplit('.', 1)[-1]})…"
        )
        if settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG est actif : chaque requête SQL est journalisée, les temps sont un peu pessimistes."
                )
            )
        if generation.vacuum():
            self.stdout.write("VACUUM fait : les lignes mortes des runs précédents ne faussent pas la mesure.")
        timings = []
        try:
            with transaction.atomic():
                start = time.perf_counter()
                generated = generation.generate_catalogue(markets=markets, holders=holders, themes=themes)
                if not sans_analyze:
                    generation.analyze()
                self.stdout.write(f"Données générées en {time.perf_counter() - start:.1f} s ; {runs} mesures par page.")
                with serving():
                    timings = catalogue.run(generated, runs=runs)
                raise Rollback
        except Rollback:
            pass

        self.stdout.write(
            f"{'page':<36} {'médiane':>10} {'p95':>10} {'requêtes SQL':>13} {'résultats':>10}"
            f" {'plancher p50':>13} {'p95':>10} {'req.':>5} {'ratio':>6}"
        )
        for timing in timings:
            line = (
                f"{timing.label:<36} {timing.median_ms:>7.1f} ms {timing.p95_ms:>7.1f} ms "
                f"{timing.queries:>13} {timing.found:>10}"
            )
            floor = timing.floor
            if floor:
                line += f" {floor.median_ms:>10.1f} ms {floor.p95_ms:>7.1f} ms {floor.queries:>5} {timing.ratio:>5.1f}x"
            for measured in (timing, floor):
                if measured and measured.status != 200:
                    line += self.style.ERROR(f"  (HTTP {measured.status} : {measured.label})")
                elif floor and measured is floor and floor.found != timing.found:
                    line += self.style.WARNING(f"  (le plancher trouve {floor.found})")
            self.stdout.write(line)
            if timing.computed:
                self.write_computed(timing)
            if timing.label == catalogue.SEARCH_LABEL:
                self.write_bakerydemo(timing)
        self.stdout.write(self.style.SUCCESS("Données de benchmark annulées : la base est inchangée."))

    def write_computed(self, timing):
        computed = timing.computed
        self.write_beside(
            "sans cache (premier visiteur après une publication)", computed, f"{computed.ratio:.1f}x le plancher"
        )

    def write_bakerydemo(self, timing):
        bakery = timing.bakerydemo
        if bakery is None:
            self.stdout.write(
                "  vue de recherche de wagtail/bakerydemo : non mesurée (les tables des résultats promus manquent : "
                "migrate avec config.settings.bench, ou PostgreSQL, qui les crée dans la transaction annulée)"
            )
            return
        comparison = (
            f"{timing.faster_than(bakery):.1f}x notre temps ({timing.computed.faster_than(bakery):.1f}x sans cache)"
        )
        self.write_beside("vue de recherche de wagtail/bakerydemo", bakery, comparison)

    def write_beside(self, title, timing, comparison):
        """A line under a page's: another measure of it, or another view beside it."""
        line = (
            f"  {title} : médiane {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms,"
            f" {timing.queries} requêtes SQL ; {comparison}"
        )
        if timing.status != 200:
            line += self.style.ERROR(f"  (HTTP {timing.status})")
        self.stdout.write(line)
