"""Server-side timings of "Produits et prix" on a generated volume (manage.py benchmark_prices).

Generates agreements (benchmarks.generation) and price lines inside one transaction the
command rolls back, then measures the pages (median, p95, queries) and the import of a
generated file (rows per second, peak memory through tracemalloc).
"""

import io
import random
import statistics
import time
import tracemalloc
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.test import RequestFactory
from openpyxl import Workbook

from markets.models import MarketDocument
from prices.parsing import ParsedLine, line_key, read_price_table
from prices.selectors import MAX_COMPARE, price_search
from prices.services import apply_lines

from .generation import analyze, generate_catalogue
from .timing import anonymous_client, measure

# The loop over a page of results, included by price_list.html (its `{% cache %}` with it).
RESULTS_ONLY = "prices/includes/results.html"
PUBLISHERS = [
    "Adobe",
    "Autodesk",
    "Microsoft",
    "Esri",
    "Veeam",
    "VMware",
    "Citrix",
    "Oracle",
    "SAP",
    "Sage",
    "Berger-Levrault",
    "Bitdefender",
    "Kaspersky",
    "Trend Micro",
    "Sophos",
    "Fortinet",
    "Stormshield",
    "Dell",
    "HP",
    "Lenovo",
    "Apple",
    "Samsung",
    "Iiyama",
    "Brother",
    "Canon",
    "Epson",
    "Ricoh",
    "Zoom",
    "Cisco",
    "Jabra",
    "Logitech",
    "Atlassian",
    "JetBrains",
    "Tableau",
    "Qlik",
    "Splunk",
    "Foxit",
    "Nitro",
    "Docusign",
    "Yousign",
    "Miro",
    "Klaxoon",
]
PRODUCTS = [
    "Acrobat Pro",
    "Acrobat Standard",
    "Creative Cloud",
    "AutoCAD",
    "Revit",
    "ArcGIS Pro",
    "Backup Replication",
    "vSphere",
    "Endpoint Security",
    "Antivirus poste",
    "Pare-feu",
    "Écran 24 pouces",
    "Écran 27 pouces",
    "Portable 14 pouces",
    "Portable 16 pouces",
    "Station de travail",
    "Tablette 10 pouces",
    "Imprimante laser",
    "Scanner documents",
    "Casque audio",
    "Webcam",
    "Visioconférence salle",
    "Licence messagerie",
    "Support éditeur",
    "Journée de formation",
    "Journée d'expertise",
    "Hébergement serveur",
    "Stockage objet",
    "Sauvegarde cloud",
]
EDITIONS = ["", "licence perpétuelle", "abonnement 1 an", "abonnement 3 ans", "éducation", "maintenance", "entreprise"]
CATEGORIES = [
    "Création et PDF",
    "Conception",
    "Sécurité",
    "Matériels",
    "Communication",
    "Sauvegarde",
    "Virtualisation",
    "Impression",
    "Formation",
    "Cloud",
    "Bureautique",
    "Décisionnel",
]
UNITS = ["licence", "utilisateur/an", "unité", "jour", "mois", "poste"]


def generated_lines(count, rng, prefix="L"):
    lines = []
    for n in range(count):
        publisher = rng.choice(PUBLISHERS)
        designation = f"{rng.choice(PRODUCTS)} {rng.choice(EDITIONS)} {prefix}{n}".replace("  ", " ")
        discount = rng.random() < 0.5
        list_price = Decimal(rng.randint(1000, 500000)) / 100
        pct = Decimal(rng.randint(5, 40))
        lines.append(
            ParsedLine(
                row=n + 2,
                key=line_key("", publisher, designation),
                reference="",
                designation=designation,
                publisher=publisher,
                category=rng.choice(CATEGORIES),
                unit=rng.choice(UNITS),
                lot="",
                kind="remise" if discount else "prix",
                price=None if discount else list_price,
                discount=pct if discount else None,
                list_price=list_price if discount else None,
                net_price=(list_price * (100 - pct) / 100).quantize(Decimal("0.01")) if discount else list_price,
                on_quote=False,
            )
        )
    return lines


def generate(*, agreements, lines, seed=2024):
    rng = random.Random(seed)
    generated = generate_catalogue(markets=agreements, holders=20, themes=10, seed=seed)
    bpu = MarketDocument.objects.get(title="Benchmark bpu")  # public in every generated market
    per_market = lines // agreements
    for index, market in enumerate(generated.markets):
        holder = generated.holders[index % len(generated.holders)]
        apply_lines(
            market=market,
            document=bpu,
            parsed_lines=generated_lines(per_market, rng, f"M{index}-"),
            applies_from=market.notified_on,
            holder=holder,
        )
    analyze()  # the lines' search index too: a pending GIN list made every keyword search read 100,000 entries
    return generated


def measure_computed(url, *, runs, chrome_url, floor):
    """The timing of `url` with the counts computed, beside its `floor`: the cache emptied
    before each request, then the header and footer cached again by `chrome_url` (a page
    that caches nothing of the search), so only the search's own work is timed."""
    client = anonymous_client()
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)  # as `measure`: no redirect timed

    def computed_next():
        cache.clear()
        client.get(chrome_url, secure=secure)

    timing = measure("calculé", url, runs=runs, client=client, before=computed_next, floor=floor)
    assert timing.status == 200, (url, timing.status)
    return timing


def measure_template(url, *, runs):
    """(median ms of the page's template, of its results' loop alone) for `url`, the lines
    already read and the header and footer cached: the search is made once, then the page
    rendered `runs` times with its results' fragment removed from the cache before each."""
    request = RequestFactory().get(url, HTTP_HOST=anonymous_client().defaults["HTTP_HOST"])
    request.user = AnonymousUser()
    results = price_search(request=request, params=request.GET)
    list(results.page.object_list)
    fragment = make_template_fragment_key("prices_results", [results.fragment_key])
    context = {"results": results, "max_compare": MAX_COMPARE}
    durations = {"page": [], "results": []}
    render_to_string("prices/price_list.html", context, request=request)  # compiled, chrome cached
    for _ in range(runs):
        cache.delete(fragment)
        start = time.perf_counter()
        render_to_string("prices/price_list.html", context, request=request)
        durations["page"].append(time.perf_counter() - start)
        cache.delete(fragment)
        start = time.perf_counter()
        render_to_string(RESULTS_ONLY, context, request=request)
        durations["results"].append(time.perf_counter() - start)
    return tuple(statistics.median(durations[name]) * 1000 for name in ("page", "results"))


def import_file(rows, rng):
    # Saved as Excel and LibreOffice save: with the sheet's <dimension> (openpyxl's
    # write-only mode leaves it out, and openpyxl then reads the whole sheet once more
    # to size it).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Prix"
    sheet.append(["Référence", "Éditeur", "Désignation", "Catégorie", "Unité", "Remise", "Prix public HT"])
    for line in generated_lines(rows, rng, "I"):
        sheet.append(
            [
                f"REF-{line.row}",
                line.publisher,
                line.designation,
                line.category,
                line.unit,
                f"{line.discount or 10} %",
                float(line.list_price or line.price),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(market, rows, seed=7):
    """(rows per second of read + check + apply, peak MiB under tracemalloc, seconds)."""
    content = import_file(rows, random.Random(seed))
    results = []
    for traced, title in ((False, "Benchmark import"), (True, "Benchmark import (mémoire)")):
        document = MarketDocument.objects.create(title=title, file="documents/benchmark-import.xlsx")
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        parsed = read_price_table(io.BytesIO(content))
        assert not parsed.errors, parsed.errors[:3]
        apply_lines(market=market, document=document, parsed_lines=parsed.lines, applies_from=market.notified_on)
        elapsed = time.perf_counter() - start
        if traced:
            peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()
            results.append(peak)
        else:
            results += [rows / elapsed, elapsed]
    rate, elapsed, peak = results
    return rate, peak, elapsed
