"""Rebuilds the search engine's index of the price lines (prices.engine), atomically."""

import time

from django.core.management.base import BaseCommand, CommandError

from prices import engine


class Command(BaseCommand):
    help = (
        "Reconstruit l'index des lignes de prix dans le moteur de recherche (OpenSearch) : un nouvel index, "
        "puis l'alias basculé d'un coup ; les recherches lisent l'ancien index pendant ce temps."
    )

    def handle(self, *args, **options):
        if not engine.configured():
            self.stdout.write("Aucun moteur OpenSearch configuré (OPENSEARCH_URL) : rien à indexer.")
            return
        start = time.perf_counter()
        try:
            count = engine.rebuild()
        except engine.engine_errors() as error:
            raise CommandError(f"Le moteur de recherche n'a pas répondu : {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} lignes de prix indexées dans {engine.alias_name()} en {time.perf_counter() - start:.1f} s."
            )
        )
