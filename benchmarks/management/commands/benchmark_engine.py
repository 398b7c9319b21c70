"""Measures the search engine beside the database backend and the floor, then rolls it all back."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks import engine, generation
from prices import engine as price_engine


class Rollback(Exception):
    """Raised to leave the atomic block: nothing generated is kept."""


class Command(BaseCommand):
    help = (
        "Génère des catalogues (500 et 5 000 marchés) puis 100 000 lignes de prix, chacun dans une transaction "
        "annulée, et mesure le moteur de recherche (OpenSearch), la recherche en base et le plancher : médiane "
        "et p95, calculé (premier visiteur) et servi à nouveau (cache)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, nargs="+", default=[500, 5000])
        parser.add_argument("--lines", type=int, default=100_000)
        parser.add_argument("--price-agreements", type=int, default=40)
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, agreements, lines, price_agreements, runs, **options):
        if min(*agreements, lines, price_agreements, runs) < 1:
            raise CommandError("Toutes les valeurs doivent être au moins 1.")
        if not price_engine.configured():
            raise CommandError("Aucun moteur OpenSearch configuré : définissez OPENSEARCH_URL (scripts/opensearch).")
        with_engine, database, prefix = engine.engine_settings()
        self.stdout.write(f"Base {connection.vendor}, moteur {with_engine['engine']['URLS'][0]}, index {prefix}*")
        try:
            with engine.serving():
                for count in agreements:
                    self.catalogue(count, runs, with_engine, database)
                self.prices(lines, price_agreements, runs, with_engine, database)
        finally:
            engine.drop_indexes(prefix)
        self.stdout.write(self.style.SUCCESS("Données annulées, index du moteur supprimés."))

    def rolled_back(self, work):
        generation.vacuum()
        try:
            with transaction.atomic():
                work()
                raise Rollback
        except Rollback:
            pass

    def catalogue(self, count, runs, with_engine, database):
        def work():
            start = time.perf_counter()
            generated = engine.generate_catalogue(count, with_engine=with_engine)
            self.stdout.write(
                f"\nCatalogue, {count} marchés (générés et indexés en {time.perf_counter() - start:.0f} s)"
            )
            self.table(engine.catalogue_rows(generated, runs=runs, with_engine=with_engine, database=database))

        self.rolled_back(work)

    def prices(self, lines, agreements, runs, with_engine, database):
        def work():
            start = time.perf_counter()
            engine.generate_prices(lines, agreements=agreements, with_engine=with_engine)
            self.stdout.write(
                f"\nProduits et prix, {lines} lignes sur {agreements} marchés "
                f"(générées et indexées en {time.perf_counter() - start:.0f} s)"
            )
            self.table(engine.prices_rows(runs=runs, with_engine=with_engine, database=database))

        self.rolled_back(work)

    def table(self, rows):
        """p50 / p95 in ms; the ratio is the engine's computed p50 to the floor's."""
        self.stdout.write(
            f"{'page':<44} {'moteur calculé':>15} {'moteur servi':>15} {'base calculé':>15} {'base servi':>15}"
            f" {'plancher':>15} {'ratio':>6}"
        )
        for label, engine_served, engine_computed, db_served, db_computed, floor in rows:
            cells = [engine_computed, engine_served, db_computed, db_served, floor]
            line = f"{label:<44} " + " ".join(f"{t.median_ms:>6.1f} / {t.p95_ms:>6.1f}" for t in cells)
            line += f" {engine_computed.median_ms / floor.median_ms:>5.1f}x"
            errors = [t for t in cells if t.status != 200]
            if errors:
                line += self.style.ERROR(f"  (HTTP {errors[0].status})")
            self.stdout.write(line)
