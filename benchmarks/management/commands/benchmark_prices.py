"""Measures "Produits et prix" on a generated volume, then rolls it all back."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks import price_lines
from benchmarks.engine import PRICES_FLOOR_PATH, serving
from benchmarks.timing import measure
from prices.models import PriceLine


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Génère 100 000 lignes de prix sur 40 marchés dans une transaction annulée à la fin, puis mesure le temps "
        "serveur (médiane, p95) de la recherche, d'une recherche filtrée, d'une page de ligne, et l'import d'un "
        "fichier de 20 000 lignes (lignes par seconde, mémoire maximale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=100_000)
        parser.add_argument("--agreements", type=int, default=40)
        parser.add_argument("--import-rows", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, lines, agreements, import_rows, runs, **options):
        if min(lines, agreements, import_rows, runs) < 1:
            raise CommandError("Toutes les valeurs doivent être au moins 1.")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG est actif : les temps sont un peu pessimistes."))
        self.stdout.write(f"Génération de {lines} lignes sur {agreements} marchés ({connection.vendor})…")
        try:
            with transaction.atomic():
                generated = price_lines.generate(agreements=agreements, lines=lines)
                line = PriceLine.objects.order_by("pk")[len(generated.markets) // 2]
                scenarios = [
                    ("recherche « acrobat » avec facettes", "/prix/?q=acrobat"),
                    ("recherche « ecran 27 pouces »", "/prix/?q=ecran+27+pouces"),
                    (
                        "liste filtrée (éditeur + catégorie), tri prix",
                        "/prix/?editeur=Adobe&categorie=S%C3%A9curit%C3%A9&tri=prix",
                    ),
                    ("recherche + filtre éditeur", "/prix/?q=licence&editeur=Microsoft"),
                    ("liste complète avec facettes", "/prix/"),
                    ("page d'une ligne", f"/prix/{line.pk}/"),
                ]
                # Static names without the manifest: DEBUG off works before any collectstatic.
                with serving():
                    for label, url in scenarios:
                        # The floor view (benchmarks.engine): the same lines and counts, bare.
                        listing = url.startswith("/prix/?") or url == "/prix/"
                        floor_url = url.replace("/prix/", f"/{PRICES_FLOOR_PATH}", 1) if listing else None
                        timing = measure(label, url, runs=runs, floor=floor_url)
                        line = (
                            f"{label:<50} {timing.median_ms:7.1f} ms p95 {timing.p95_ms:7.1f}"
                            f"   {timing.queries} requêtes   HTTP {timing.status}"
                        )
                        if listing:
                            computed = price_lines.measure_computed(
                                url, runs=runs, chrome_url=scenarios[-1][1], floor=floor_url
                            )
                            line += (
                                f"   calculée : {computed.median_ms:7.1f} ms p95 {computed.p95_ms:7.1f}"
                                f"   plancher : {timing.floor.median_ms:7.1f} ms ({timing.floor.queries} requêtes) ;"
                                f" {timing.ratio:.2f}x servie, {computed.ratio:.2f}x calculée"
                            )
                        self.stdout.write(line)
                    for label, url in scenarios[:2]:
                        page, results = price_lines.measure_template(url, runs=runs)
                        self.stdout.write(
                            f"gabarit de {label} : page {page:.1f} ms, dont ses 20 résultats {results:.1f} ms"
                        )
                rate, peak, elapsed = price_lines.measure_import(generated.markets[0], import_rows)
                self.stdout.write(
                    f"import de {import_rows} lignes (.xlsx) : {elapsed:.1f} s, {rate:,.0f} lignes/s, "
                    f"mémoire maximale {peak:.0f} Mio".replace(",", "\u202f")
                )
                raise Rollback
        except Rollback:
            self.stdout.write("Données générées annulées.")
