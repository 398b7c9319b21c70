"""A generated catalogue for the benchmarks: markets, holders, themes and pieces, written in bulk.

Everything generated here lives inside one transaction the benchmark commands roll back:
the database is left as it was. Documents are rows without files (the pages only show their
names and links), so nothing is written to storage either.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Collection, Page, Site
from wagtail.search.backends import get_search_backend

from markets.access import Audience
from markets.models import (
    CatalogueStamp,
    Holder,
    MarketDocument,
    MarketHolder,
    MarketIndexPage,
    MarketPage,
    MarketPiece,
    Theme,
)

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
