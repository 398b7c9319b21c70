"""Server-side timings of the catalogue on a generated volume (manage.py benchmark_catalogue).

Everything generated here lives inside one transaction the command rolls back: the
database is left as it was. Documents are rows without files (the pages only show their
names and links), so nothing is written to storage either.

Each page is measured beside "the floor": a bare Django view (`floor_view`, served by this
module's `urlpatterns` during the run) that returns the same first page of cards and the
holder and theme counts with one query per facet and a minimal template. The ratio to the
floor, taken in the same run, is what to compare between machines. The keyword search is
also measured beside wagtail/bakerydemo's search view (`markets.bakerydemo`) on the same data.
"""

import contextlib
import datetime
import gc
import math
import random
import re
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path
from django.utils import timezone
from wagtail.models import Collection, Page, Site
from wagtail.search.backends import get_search_backend

from core.text import fold_query

from . import bakerydemo
from .access import Audience
from .blocks import DocumentKind
from .models import (
    CatalogueStamp,
    Holder,
    MarketDocument,
    MarketHolder,
    MarketIndexPage,
    MarketPage,
    MarketPiece,
    Theme,
)
from .models.market import MarketStatus, market_status_filter

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
SEARCH_LABEL = f"recherche « {KEYWORD} »"


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
    # The search index is written once at the end: a write per save rescans PostgreSQL's
    # index table each time, which makes thousands of saves quadratic.
    with _indexing_deferred():
        generated = _generate(markets=markets, holders=holders, themes=themes, seed=seed)
    # The pages in memory hold what search_text reads (holders in the blocks, themes and
    # their parents): indexing them makes no query per page.
    get_search_backend().add_bulk(MarketPage, generated.markets)
    return generated


def _generate(*, markets, holders, themes, seed):
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
        created.append(page)
    add_markets(index, created)
    return Generated(index=index, markets=created, holders=holder_objects, themes=parents + children)


def add_markets(index, pages):
    """Stores `pages` (new MarketPages) as live children of a childless `index`, in bulk.

    What `index.add_child(instance=page)` then `save()` would store for each: the tree path,
    depth and URL path, the page and market rows, the themes and the derived relations
    (`MarketPage.derived_relations`). Left out, as for pages loaded from a fixture: the
    page's validation, its reference-index rows and its search entry (see
    `generate_catalogue`). About 60 queries a page become a few for all, plus one insert
    each into the market table (Django cannot bulk-insert a child of multi-table inheritance).
    """
    if index.get_children_count():
        raise ValueError("add_markets numbers the pages from 1: the index must have no children.")
    depth = index.depth + 1
    for number, page in enumerate(pages, start=1):
        page.path = Page._get_path(index.path, depth, number)
        page.depth, page.numchild = depth, 0
        page.locale_id = index.locale_id
        page.draft_title = page.title
        page.url_path = f"{index.url_path}{page.slug}/"
    page_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    rows = Page.objects.bulk_create([Page(**{name: getattr(page, name) for name in page_fields}) for page in pages])
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
        # raw: the market table's row only (the page row is there), and post_save
        # receivers (search, reference index) leave it alone, as for loaddata.
        page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=index.pk).update(numchild=len(pages))
    index.numchild = len(pages)
    through = MarketPage.themes.through
    through.objects.bulk_create(
        through(marketpage_id=page.pk, theme_id=theme.pk) for page in pages for theme in page.themes.all()
    )
    links, pieces = [], []
    for page in pages:
        page_links, page_pieces = page.derived_relations()
        links += page_links
        pieces += page_pieces
    MarketHolder.objects.bulk_create(links, batch_size=2000)
    MarketPiece.objects.bulk_create(pieces, batch_size=2000)
    CatalogueStamp.renew()  # what `save` would say: the cached results are out of date


def generate_markets(index, count, *, holders=10, seed=2024):
    """`count` live markets below `index`, with a few holders and their pieces (search index not written)."""
    rng = random.Random(seed)
    with _indexing_deferred():
        holder_objects = [
            Holder.objects.create(name=f"TITULAIRE {n + 1:02d}", slug=f"bench-t-{n + 1}", siren="552081317")
            for n in range(holders)
        ]
        collection = Collection.get_first_root_node()
        documents = {
            kind: MarketDocument.objects.create(title=kind, file=f"documents/b.{ext}", collection=collection)
            for kind, ext in EXTENSIONS.items()
        }
        pages = [_market(n, rng, holder_objects, documents) for n in range(count)]
        add_markets(index, pages)
        return pages


def _indexing_deferred():
    backends = {name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()}
    return override_settings(WAGTAILSEARCH_BACKENDS=backends)


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


def vacuum():
    """Clears what earlier runs left: each rolls back thousands of rows, dead until a vacuum.

    Autovacuum may not have passed yet; with those dead rows in the heap and indexes, a
    search over 500 markets read 2,200 index-entry blocks and took 30 ms instead of 1.4 ms.
    PostgreSQL only, outside any transaction (VACUUM cannot run in one): True when done.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    return True


def analyze():
    """Fresh planner statistics for the generated rows, as autovacuum would give in production.

    On PostgreSQL, also what autovacuum does to GIN indexes (the search entries'): rows
    just inserted wait in a pending list that every search reads through, until moved
    into the index proper.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE a.amname = 'gin' AND n.nspname = current_schema()"
            )


def member_client(user=None):
    """A client logged in as an active member (nothing of theirs changes the catalogue)."""
    user = user or get_user_model().objects.create_user(
        email="benchmark@exemple.fr", password="benchmark-mot-de-passe", status="active"
    )
    client = _client()
    client.force_login(user)
    return client


def _client():
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return Client(HTTP_HOST=host)


# The floor ----------------------------------------------------------------------------------

FLOOR_PATH = "__plancher-catalogue__/"
FLOOR_TEMPLATE = """<!DOCTYPE html><html lang="fr"><title>Plancher</title><body>
<p>{{ total }} marchés trouvés</p>
<ul>{% for h in holders %}<li>{{ h.name }} {{ h.n }}</li>{% endfor %}</ul>
<ul>{% for t in themes %}<li>{{ t.name }} {{ t.n }}</li>{% endfor %}</ul>
{% for m in cards %}<article><h3><a href="{{ m.url_path }}">{{ m.title }}</a></h3><p>{{ m.subtitle }}</p>
<p>{{ m.holders|join:", " }} {{ m.portal_url }}</p><p>{{ m.notified_on|date:"d/m/Y" }} {{ m.ends_on|date:"d/m/Y" }}</p>
<ul>{% for p in m.pieces %}<li><a href="/documents/{{ p.document_id }}/">{{ p.kind }}</a></li>{% endfor %}</ul>
</article>{% endfor %}</body></html>"""


def floor_view(request):
    """The least a Django view can do for the catalogue's first page: counts, cards, facets.

    One query each for the total, the page of cards, their pieces, their holders, the
    holder counts and the theme counts (the theme facet is flat: no parent roll-up).
    """
    index_path = request.GET.get("racine", "")
    markets = MarketPage.objects.filter(live=True, path__startswith=index_path, depth=len(index_path) // 4 + 1)
    markets = markets.filter(market_status_filter(MarketStatus.CURRENT))
    holder_slug, theme_slug, query = request.GET.get("titulaire"), request.GET.get("theme"), request.GET.get("q")
    by_holder = MarketHolder.objects.filter(holder__slug=holder_slug).values("market_id")
    by_theme = MarketPage.themes.through.objects.filter(
        Q(theme__slug=theme_slug) | Q(theme__parent__slug=theme_slug)
    ).values("marketpage_id")
    ordered = markets.order_by("path")
    if query:
        # The database backend's search as a queryset: a subquery of the counts, in relevance order.
        ordered = markets.search(fold_query(query), operator="and", order_by_relevance=True).get_queryset()
        markets = MarketPage.objects.filter(pk__in=ordered.order_by().values("pk"))
    matching = markets
    if holder_slug:
        matching = matching.filter(pk__in=by_holder)
    if theme_slug:
        matching = matching.filter(pk__in=by_theme)
    total = matching.count()
    fields = ("pk", "title", "url_path", "subtitle", "portal_url", "notified_on", "ends_on")
    ordered = ordered.filter(pk__in=matching.values("pk")) if matching is not markets else ordered
    cards = list(ordered.values(*fields)[:10])
    page_ids = [card["pk"] for card in cards]
    pieces, holders_of = {}, {}
    public = MarketPiece.objects.filter(
        market_id__in=page_ids, audience=Audience.PUBLIC, kind__in=DocumentKind.CARD_KINDS
    )
    for piece in public.values("market_id", "kind", "document_id"):
        pieces.setdefault(piece["market_id"], []).append(piece)
    for link in MarketHolder.objects.filter(market_id__in=page_ids).values("market_id", "holder__name"):
        holders_of.setdefault(link["market_id"], []).append(link["holder__name"])
    for card in cards:
        card["pieces"], card["holders"] = pieces.get(card["pk"], []), holders_of.get(card["pk"], [])
    for_holders = markets.filter(pk__in=by_theme) if theme_slug else markets
    for_themes = markets.filter(pk__in=by_holder) if holder_slug else markets
    holders = (
        Holder.objects.filter(market_links__market__in=for_holders)
        .values("slug", "name")
        .annotate(n=Count("market_links"))
        .order_by("-n", "name")
    )
    themes = Theme.objects.filter(markets__in=for_themes).values("slug", "name")
    themes = themes.annotate(n=Count("markets")).order_by("name")
    template = engines["django"].from_string(FLOOR_TEMPLATE)
    context = {"total": total, "cards": cards, "holders": list(holders), "themes": list(themes)}
    return HttpResponse(template.render(context, request))


# Served instead of ROOT_URLCONF during the run (see `serving_the_floor`): the floor, then
# the whole site, read from the settings as they were when this module was imported.
SITE_URLCONF = settings.ROOT_URLCONF
BAKERYDEMO_PATH = "__bakerydemo-recherche__/"
urlpatterns = [
    path(FLOOR_PATH, floor_view),
    path(BAKERYDEMO_PATH, bakerydemo.search),
    path("", include(SITE_URLCONF)),
]


def serving_the_floor():
    """Settings for the run: the floor's URL, and static files that need no collectstatic.

    The manifest storage of production settings fails on every page until collectstatic
    has run; the pages' server time does not depend on which storage names the CSS file.
    """
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    return override_settings(ROOT_URLCONF=__name__, STORAGES=storages)


def floor_url(generated, page_url):
    """The floor's URL for a catalogue URL: the same filters, the index page's tree path."""
    query = page_url.partition("?")[2]
    return f"/{FLOOR_PATH}?racine={generated.index.path}" + (f"&{query}" if query else "")


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
    floor: "Timing | None" = None
    computed: "Timing | None" = None  # the list pages: the same with the results not cached yet
    bakerydemo: "Timing | None" = None  # the keyword search only: wagtail/bakerydemo's view

    @property
    def ratio(self):
        return self.median_ms / self.floor.median_ms if self.floor else None

    def faster_than(self, other):
        """How many times our median `other`'s takes (above 1: ours is faster)."""
        return other.median_ms / self.median_ms


def measure(label, url, *, runs, client=None, before=None):
    """`before`, if given, runs before each request, untimed (`CatalogueStamp.renew`: the
    results are computed each time, as for the first visitor after a publish)."""
    client = client or _client()
    before = before or (lambda: None)
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
    response = client.get(url, secure=secure)  # warm-up: templates, caches
    # With DEBUG on, the log is full of the generation's queries and each request resets it:
    # start empty so the count is this request's.
    before()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=secure)
    query_count = len(queries)  # read now: captured_queries is a view of a log later requests clear
    durations = []
    for _ in range(runs):
        before()
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
    """(label, url, with_floor, logged_in) of the pages measured."""
    index_url = generated.index.url
    today = timezone.localdate()
    current = [m for m in generated.markets if m.notified_on <= today <= m.ends_on]
    busiest = generated.holders[0]
    family = generated.themes[0]
    market = current[len(current) // 2] if current else generated.markets[0]
    return [
        ("liste avec facettes", index_url, True, False),
        ("liste filtrée (titulaire + thème)", f"{index_url}?titulaire={busiest.slug}&theme={family.slug}", True, False),
        (SEARCH_LABEL, f"{index_url}?q={KEYWORD}", True, False),
        ("liste avec facettes (connecté)", index_url, False, True),
        ("page d'un marché", market.url, False, False),
    ]


@contextlib.contextmanager
def frozen_heap():
    """As in a gunicorn worker (config/gunicorn.py), what the process holds before the first
    request is frozen out of the collector's full scans: here that is mostly the generated
    volume (5,000 pages and their blocks), which a worker never holds and whose scans made
    the p95 of every page, floor included, a full collection's pause."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run(generated, *, runs):
    """Every scenario, each list page followed by its floor, in one run."""
    anonymous, member = _client(), member_client()
    timings = []
    with frozen_heap():
        for label, url, with_floor, logged_in in scenarios(generated):
            timing = measure(label, url, runs=runs, client=member if logged_in else anonymous)
            if with_floor:
                timing.floor = measure(f"plancher {label}", floor_url(generated, url), runs=runs, client=anonymous)
                timing.computed = measure(label, url, runs=runs, client=anonymous, before=CatalogueStamp.renew)
                timing.computed.floor = timing.floor
            if label == SEARCH_LABEL and bakerydemo.available():
                with bakerydemo.installing_search_promotions():
                    url = f"/{BAKERYDEMO_PATH}?q={KEYWORD}"
                    timing.bakerydemo = measure("bakerydemo", url, runs=runs, client=anonymous)
            timings.append(timing)
    return timings
