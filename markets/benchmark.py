"""Server-side timings of the catalogue on a generated volume (manage.py benchmark_catalogue).

Everything generated here lives inside one transaction the command rolls back: the
database is left as it was. Documents are rows without files (the pages only show their
names and links), so nothing is written to storage either.
"""

import datetime
import math
import random
import re
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, Page, Site

from .access import Audience
from .models import Holder, MarketDocument, MarketIndexPage, MarketPage, Theme

SUBJECTS = [
    "Logiciels de gestion financière",
    "Licences bureautiques",
    "Matériels informatiques",
    "Réseaux et Wi-Fi",
    "Téléphonie fixe",
    "Téléphonie mobile",
    "Sécurité des postes",
    "Formation aux outils numériques",
    "Support utilisateurs",
    "Infogérance",
    "Virtualisation",
    "Sauvegarde et archivage",
    "Impression",
    "Écrans interactifs",
    "Logiciels métier de l'état civil",
    "Hébergement cloud",
    "Messagerie collaborative",
    "Systèmes d'information géographique",
    "Vidéoprotection",
    "Audit de conformité RGPD",
]
THEME_FAMILIES = ["Logiciel", "Matériels", "Prestation", "Sécurité", "Télécoms et réseaux", "Cloud"]
SUBTITLES = ["Accord-cadre à bons de commande", "Accord-cadre multi attributaire à bons de commande"]
WINDOWS = ["Commandes du 1er au 15 du mois", "Commandes du 16 au dernier jour du mois"]
KEYWORD = "logiciels"


@dataclass
class Generated:
    index: MarketIndexPage
    markets: list
    holders: list
    themes: list


AUDIENCES = {
    "summary": Audience.PUBLIC,
    "cctp": Audience.PUBLIC,
    "bpu": Audience.PUBLIC,
    "ccap": Audience.MEMBERS,
    "convention": Audience.SUBSCRIBERS,
}
EXTENSIONS = {"summary": "pdf", "cctp": "pdf", "bpu": "xlsx", "ccap": "pdf", "convention": "docx"}


def generate_catalogue(*, markets, holders, themes, seed=2024):
    """`markets` live MarketPages below a fresh index page made the default site's root."""
    rng = random.Random(seed)
    parents, children = _themes(themes)
    holder_objects = [
        Holder.objects.create(name=f"TITULAIRE BENCH {n + 1:02d}", slug=f"bench-titulaire-{n + 1}", siren="552081317")
        for n in range(holders)
    ]
    collection = Collection.get_first_root_node()
    documents = {
        kind: MarketDocument.objects.create(
            title=f"Benchmark {kind}", file=f"documents/benchmark-{kind}.{ext}", collection=collection
        )
        for kind, ext in EXTENSIONS.items()
    }
    index = _index_page()
    theme_pool = children or parents
    created = []
    for n in range(markets):
        page = _market(n, rng, holder_objects, documents)
        page.themes.set(rng.sample(theme_pool, k=min(len(theme_pool), rng.randint(1, 3))))
        index.add_child(instance=page)  # live on creation; save() writes the derived relations
        created.append(page)
    return Generated(index=index, markets=created, holders=holder_objects, themes=parents + children)


def _themes(count):
    parents = [
        Theme.objects.create(name=f"{name} (bench)", slug=f"bench-{n}", sort_order=n)
        for n, name in enumerate(THEME_FAMILIES[: max(1, min(len(THEME_FAMILIES), count // 5))])
    ]
    children = [
        Theme.objects.create(
            name=f"Sous-thème {n + 1} (bench)", slug=f"bench-sous-theme-{n + 1}", parent=parents[n % len(parents)]
        )
        for n in range(max(0, count - len(parents)))
    ]
    return parents, children


def _index_page():
    root = Page.get_first_root_node()
    index = root.add_child(instance=MarketIndexPage(title="Tous les marchés (benchmark)", slug="bench-marches"))
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    site.root_page = index
    site.save()
    return index


def _market(n, rng, holders, documents):
    """The n-th market: one to four lots, popular holders chosen more often, as in a real catalogue."""
    subject = SUBJECTS[n % len(SUBJECTS)]
    today = timezone.localdate()
    notified_on = today - datetime.timedelta(days=rng.randint(30, 1400))
    if n % 20 == 0:  # a few upcoming ones
        notified_on = today + datetime.timedelta(days=rng.randint(10, 90))
    weights = [1 / (rank + 1) for rank in range(len(holders))]
    lots = []
    for number in range(1, rng.randint(1, 4) + 1):
        chosen = {h.pk: h for h in rng.choices(holders, weights=weights, k=rng.randint(1, 2))}
        entries = [
            {
                "holder": holder,
                "ordering_window": WINDOWS[i] if len(chosen) > 1 else "",
                "contact_name": f"Contact {number}-{i}",
                "contact_email": f"contact{number}{i}@exemple.fr",
                "contact_phone": "01 99 00 12 34",
            }
            for i, holder in enumerate(chosen.values())
        ]
        lot_title = f"{subject} — lot {number}"
        lots.append(("lot", {"number": number, "title": lot_title, "ends_on": None, "holders": entries}))
    return MarketPage(
        title=f"{subject} {n + 1}",
        slug=f"bench-marche-{n + 1}",
        subtitle=SUBTITLES[n % 2],
        summary=f"{subject} : fourniture, maintenance et prestations associées pour les adhérents.",
        notified_on=notified_on,
        ends_on=notified_on + datetime.timedelta(days=4 * 365),
        portal_url="https://portail.exemple.fr/" if n % 3 == 0 else "",
        lots=lots,
        documents=[
            ("document", {"document": doc, "title": "", "kind": kind, "audience": AUDIENCES[kind], "holder": None})
            for kind, doc in documents.items()
        ],
    )


def _client():
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return Client(HTTP_HOST=host)


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    found: str  # "N marchés trouvés" on list pages, empty elsewhere


def measure(label, url, *, runs, client=None):
    client = client or _client()
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
    response = client.get(url, secure=secure)  # warm-up: templates, caches
    # With DEBUG on, the log is full of the generation's queries and each request resets it:
    # start empty so the count is this request's.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=secure)
    query_count = len(queries)  # read now: captured_queries is a view of a log later requests clear
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, secure=secure)
        durations.append((time.perf_counter() - start) * 1000)
    found = re.search(r"(\d+) marchés? trouvés?", response.content.decode())
    return Timing(
        label,
        statistics.median(durations),
        percentile(durations, 0.95),
        query_count,
        response.status_code,
        found.group(1) if found else "",
    )


def scenarios(generated):
    """(label, url) of the pages measured."""
    index_url = generated.index.url
    today = timezone.localdate()
    current = [m for m in generated.markets if m.notified_on <= today <= m.ends_on]
    busiest = generated.holders[0]
    family = generated.themes[0]
    market = current[len(current) // 2] if current else generated.markets[0]
    return [
        ("liste avec facettes", index_url),
        ("liste filtrée (titulaire + thème)", f"{index_url}?titulaire={busiest.slug}&theme={family.slug}"),
        (f"recherche « {KEYWORD} »", f"{index_url}?q={KEYWORD}"),
        ("page d'un marché", market.url),
    ]
