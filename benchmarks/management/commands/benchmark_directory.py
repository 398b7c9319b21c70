"""Measures the directory search on 100,000 entries, the size of France's public sector.

    manage.py benchmark_directory [--entries 100000] [--runs 300]

Entries are bulk-created inside a transaction that is rolled back at the end: the
database is left as it was (run it on a development or throwaway database anyway).
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from stdnum import luhn

from core.text import fold_name
from directory.models import DirectoryEntry, DirectoryWord
from directory.selectors import directory_search

KINDS = [
    "COMMUNE DE",
    "COLLEGE",
    "LYCEE PROFESSIONNEL",
    "LYCEE",
    "CENTRE HOSPITALIER DE",
    "COMMUNAUTE DE COMMUNES DE",
    "SYNDICAT INTERCOMMUNAL DE",
    "CENTRE COMMUNAL D'ACTION SOCIALE DE",
    "ECOLE ELEMENTAIRE",
    "OFFICE DE TOURISME DE",
    "DEPARTEMENT DE",
    "UNIVERSITE DE",
    "EHPAD",
    "SDIS",
    "MAIRIE DE",
    "REGION",
]
SYLLABLES = (
    "ba be bi bo bu ca ce co cu da de di do fa fe fo ga gi go la le li lo lu ma me mi mo na ne ni no "
    "pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo vil mont bourg val saint sur nyons lyon canut".split()
)


class Rollback(Exception):
    pass


def _siret(rng):
    siren = str(rng.randint(10_000_000, 99_999_999))
    siren += luhn.calc_check_digit(siren)
    base = siren + f"{rng.randint(1, 9999):04d}"
    return base + luhn.calc_check_digit(base)


def _word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()


class Command(BaseCommand):
    help = "Mesure la recherche dans l'annuaire sur 100 000 établissements (données jetées à la fin)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=300)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--keep", action="store_true", help="garder les données (base jetable seulement)")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self.run(options)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Données de test annulées (rollback).")

    def run(self, options):
        rng = random.Random(options["seed"])
        start = time.perf_counter()
        entries = _generate(rng, options["entries"])
        total = DirectoryEntry.objects.count()
        self.stdout.write(f"{total} entrées créées en {time.perf_counter() - start:.1f} s ({connection.vendor}).")
        queries = [_query(rng, rng.choice(entries)) for _ in range(options["runs"])]
        for query in queries[:20]:
            directory_search(query=query)  # warm caches
        timings, found = [], 0
        for query in queries:
            start = time.perf_counter()
            found += bool(directory_search(query=query))
            timings.append(((time.perf_counter() - start) * 1000, query))
        timings.sort()
        if options["verbosity"] >= 2:
            for elapsed, query in reversed(timings[-10:]):
                self.stdout.write(f"  {elapsed:7.2f} ms  {query!r}")
        durations = [elapsed for elapsed, _ in timings]
        median, p95 = statistics.median(durations), durations[int(len(durations) * 0.95) - 1]
        self.stdout.write(
            self.style.SUCCESS(
                f"Recherche sur {total} entrées, {len(durations)} requêtes : médiane {median:.2f} ms, "
                f"p95 {p95:.2f} ms, max {durations[-1]:.2f} ms ({found} avec résultats)."
            )
        )


def _generate(rng, count):
    """`count` public bodies in 8,000 communes, with their search words; tables analysed."""
    cities = [(_word(rng), f"{rng.randint(1, 95):02d}{rng.randint(0, 999):03d}") for _ in range(8000)]
    entries, sirets = [], set()
    while len(entries) < count:
        siret = _siret(rng)
        if siret in sirets:
            continue
        sirets.add(siret)
        city, postcode = rng.choice(cities)
        kind = rng.choice(KINDS)
        name = f"{kind} {city}" if kind.endswith(("DE", "D'")) or rng.random() < 0.5 else f"{kind} {_word(rng)}"
        entries.append(
            DirectoryEntry(
                siret=siret,
                siren=siret[:9],
                name=name,
                name_folded=fold_name(name),
                postcode=postcode,
                city=city,
                legal_category="7210",
            )
        )
    DirectoryEntry.objects.bulk_create(entries, batch_size=5000)
    if entries[0].pk is None:
        ids = dict(DirectoryEntry.objects.values_list("siret", "pk"))
        for entry in entries:
            entry.pk = ids[entry.siret]
    words = (DirectoryWord(entry_id=e.pk, word=w) for e in entries for w in e.words())
    DirectoryWord.objects.bulk_create(words, batch_size=10000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {DirectoryEntry._meta.db_table}; ANALYZE {DirectoryWord._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    return entries


def _query(rng, entry):
    """What a member types: a SIRET, a postcode, a city or a name being typed…"""
    city_word = entry.city.lower()
    return rng.choice(
        [
            lambda: entry.siret[: rng.randint(6, 14)],
            lambda: entry.postcode,
            lambda: city_word[: rng.randint(3, len(city_word))],
            lambda: entry.name.lower(),
            lambda: " ".join(w[:4] for w in entry.name.split()[-2:]),
            lambda: f"{entry.name.split()[0][:5]} {entry.postcode}",
        ]
    )()
