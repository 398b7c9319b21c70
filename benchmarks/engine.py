"""The search engine beside the database backend and the floor (manage.py benchmark_engine).

In one run, each inside a transaction the command rolls back (the engine's indexes, under
a prefix of the run's own, are deleted at the end):
- the catalogue at 500 and 5,000 agreements: its keyword search with facets, its list
  with facets and a filtered list, through the engine and through the database backend,
  each computed (the catalogue's stamp renewed before each request: the first visitor
  after a publication) and served again (from the results' cache), beside the floor
  (benchmarks.catalogue.floor_view);
- "Produits et prix" at 100,000 lines: keyword searches with the four facets and a
  filtered list, through the engine and the database, computed (the cache emptied before
  each request) and served again, beside a floor of its own (`prices_floor_view`: the
  first page of lines and the four counts, one query each, a minimal template).
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.template import engines
from django.test.utils import override_settings
from django.urls import include, path
from wagtail.search.backends import get_search_backend

from markets.access import Audience
from markets.models import CatalogueStamp, MarketPage, MarketPiece
from markets.models.market import MarketStatus, market_status_filter
from prices import engine as price_engine
from prices.models import PriceLine, PriceSource
from prices.selectors import keyword_filter, query_words

from . import catalogue, generation, price_lines
from .timing import anonymous_client, frozen_heap, measure

ENGINE = price_engine.ENGINE_ALIAS
PRICES_FLOOR_PATH = "__plancher-prix__/"
PRICES_FLOOR_TEMPLATE = """<!DOCTYPE html><html lang="fr"><title>Plancher</title><body>
<p>{{ total }} lignes</p>
{% for name, values in facets %}<ul>{% for v in values %}<li>{{ v.0 }} {{ v.1 }}</li>{% endfor %}</ul>{% endfor %}
<table>{% for l in lines %}<tr><td><a href="/prix/{{ l.pk }}/">{{ l.designation }}</a></td><td>{{ l.publisher }}</td>
<td>{{ l.category }}</td><td>{{ l.market.title }}</td><td>{{ l.holder.name }}</td><td>{{ l.net_price }}</td></tr>
{% endfor %}</table></body></html>"""


def prices_floor_view(request):
    """The least a Django view can do for "Produits et prix": the public pieces' sources on
    live markets in force (one query, as a reader's visible sources are read first), their
    active lines matching the words and filters, the total, each facet's counts (not
    disjunctive), the first page by price. One query each."""
    public = MarketPiece.objects.filter(
        audience=Audience.PUBLIC, market_id=OuterRef("market_id"), document_id=OuterRef("document_id")
    )
    markets = MarketPage.objects.filter(market_status_filter(MarketStatus.CURRENT), live=True)
    sources = PriceSource.objects.filter(Exists(public), market__in=markets.values("pk"))
    lines = PriceLine.objects.filter(active=True, source_id__in=list(sources.values_list("pk", flat=True)))
    lines = keyword_filter(lines, query_words(request.GET.get("q", "")))
    for name, column in (("editeur", "publisher"), ("categorie", "category")):
        if request.GET.get(name):
            lines = lines.filter(**{column: request.GET[name]})
    facets = [
        (column, list(lines.order_by().values_list(column).annotate(n=Count("pk")).order_by("-n")[:30]))
        for column in ("market__title", "holder__name", "publisher", "category")
    ]
    page = lines.select_related("market", "holder").order_by("net_price", "pk")[:20]
    template = engines["django"].from_string(PRICES_FLOOR_TEMPLATE)
    context = {"total": lines.count(), "facets": facets, "lines": list(page)}
    return HttpResponse(template.render(context, request))


urlpatterns = [path(PRICES_FLOOR_PATH, prices_floor_view), path("", include("benchmarks.urls"))]


def serving():
    """benchmarks.timing.serving, with the prices' floor in front."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(ROOT_URLCONF=__name__, STORAGES={**settings.STORAGES, "staticfiles": plain})


def engine_settings():
    """The backends with the engine under a prefix of this run's, and without the engine."""
    backends = settings.WAGTAILSEARCH_BACKENDS
    prefix = f"bench_{uuid.uuid4().hex[:8]}_"
    with_engine = {**backends, ENGINE: {**backends[ENGINE], "INDEX_PREFIX": prefix, "AUTO_UPDATE": False}}
    database = {name: params for name, params in backends.items() if name != ENGINE}
    return with_engine, database, prefix


def drop_indexes(prefix):
    price_engine.client().indices.delete(index=f"{prefix}*", ignore_unavailable=True)


def index_catalogue(generated):
    """The generated markets in the engine (in bulk: the pages in memory hold what it reads)."""
    backend = get_search_backend(ENGINE)
    index = backend.get_index_for_model(MarketPage)
    index.reset()
    index.add_model(MarketPage)
    backend.add_bulk(MarketPage, generated.markets)
    index.refresh()


def _pair(label, url, *, runs, client, before):
    """(served again, computed) timings of `url`."""
    served = measure(label, url, runs=runs, client=client)
    computed = measure(label, url, runs=runs, client=client, before=before)
    return served, computed


def catalogue_rows(generated, *, runs, with_engine, database):
    """[(page, engine served, engine computed, database served, database computed, floor)]."""
    client = anonymous_client()
    index_url = generated.index.url
    busiest, family = generated.holders[0], generated.themes[0]
    pages = [
        (catalogue.SEARCH_LABEL + " avec facettes", f"{index_url}?q={catalogue.KEYWORD}"),
        ("liste avec facettes", index_url),
        ("liste filtrée (titulaire + thème)", f"{index_url}?titulaire={busiest.slug}&theme={family.slug}"),
    ]
    rows = []
    with frozen_heap():
        for label, url in pages:
            with override_settings(WAGTAILSEARCH_BACKENDS=with_engine):
                on_engine = _pair(label, url, runs=runs, client=client, before=CatalogueStamp.renew)
            with override_settings(WAGTAILSEARCH_BACKENDS=database):
                on_database = _pair(label, url, runs=runs, client=client, before=CatalogueStamp.renew)
            floor = measure("plancher", catalogue.floor_url(generated, url), runs=runs, client=client)
            rows.append((label, *on_engine, *on_database, floor))
    return rows


def prices_rows(*, runs, with_engine, database):
    """The same rows for "Produits et prix" (computed: the cache emptied before each request,
    then the site's header and footer cached again by a page that caches nothing of the search)."""
    client = anonymous_client()
    chrome = f"/prix/{PriceLine.objects.order_by('pk').values_list('pk', flat=True).first()}/"

    def computed_next():
        cache.clear()
        client.get(chrome, secure=getattr(settings, "SECURE_SSL_REDIRECT", False))

    pages = [
        ("recherche « acrobat » avec facettes", "q=acrobat"),
        ("recherche « ecran 27 pouces »", "q=ecran+27+pouces"),
        ("recherche + filtre éditeur", "q=licence&editeur=Microsoft"),
        ("liste filtrée (éditeur + catégorie)", "editeur=Adobe&categorie=S%C3%A9curit%C3%A9"),
        ("liste complète avec facettes", ""),
    ]
    rows = []
    with frozen_heap():
        for label, query in pages:
            url = f"/prix/?{query}" if query else "/prix/"
            with override_settings(WAGTAILSEARCH_BACKENDS=with_engine):
                on_engine = _pair(label, url, runs=runs, client=client, before=computed_next)
            with override_settings(WAGTAILSEARCH_BACKENDS=database):
                on_database = _pair(label, url, runs=runs, client=client, before=computed_next)
            floor = measure("plancher", f"/{PRICES_FLOOR_PATH}?{query}", runs=runs, client=client)
            rows.append((label, *on_engine, *on_database, floor))
    return rows


def generate_catalogue(agreements, *, with_engine):
    generated = generation.generate_catalogue(markets=agreements, holders=40, themes=30)
    generation.analyze()
    with override_settings(WAGTAILSEARCH_BACKENDS=with_engine):
        index_catalogue(generated)
    return generated


def generate_prices(lines, *, agreements, with_engine):
    generated = price_lines.generate(agreements=agreements, lines=lines)
    with override_settings(WAGTAILSEARCH_BACKENDS=with_engine):
        price_engine.rebuild()
    return generated
