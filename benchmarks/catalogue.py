"""Server-side timings of the catalogue on a generated volume (manage.py benchmark_catalogue).

Each page is measured beside "the floor": a bare Django view (`floor_view`, served by
`benchmarks.urls` during the run) that returns the same first page of cards and the holder
and theme counts with one query per facet and a minimal template. The ratio to the floor,
taken in the same run, is what to compare between machines. The keyword search is also
measured beside wagtail/bakerydemo's search view (`benchmarks.bakerydemo`) on the same data.
"""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template import engines
from django.utils import timezone

from core.text import fold_query
from markets.access import Audience
from markets.blocks import DocumentKind
from markets.models import CatalogueStamp, Holder, MarketHolder, MarketPage, MarketPiece, Theme
from markets.models.market import MarketStatus, market_status_filter

from . import bakerydemo
from .timing import anonymous_client, frozen_heap, measure, member_client

KEYWORD = "logiciels"
SEARCH_LABEL = f"recherche « {KEYWORD} »"
MARKET_LABEL = "page d'un marché"
FLOOR_PATH = "__plancher-catalogue__/"
BAKERYDEMO_PATH = "__bakerydemo-recherche__/"
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
    holder counts, the theme counts and the theme families' counts (a top-level theme
    counts each market of its family once, as the page does).
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
    # The same counts as the page: a top-level theme counts the markets of its family once.
    tags = MarketPage.themes.through.objects.filter(marketpage__in=for_themes)
    families = tags.values(family=Coalesce("theme__parent_id", "theme_id")).annotate(
        n=Count("marketpage_id", distinct=True)
    )
    template = engines["django"].from_string(FLOOR_TEMPLATE)
    context = {"total": total, "cards": cards, "holders": list(holders), "themes": [*themes, *families]}
    return HttpResponse(template.render(context, request))


MARKET_FLOOR_PATH = "__plancher-marche__/"
MARKET_FLOOR_TEMPLATE = """<!DOCTYPE html><html lang="fr"><title>{{ m.title }}</title><body>
<nav><a href="{{ index_url }}">Tous les marchés</a> › {{ m.title }}</nav><h1>{{ m.title }}</h1><p>{{ m.subtitle }}</p>
<p>{{ m.notified_on|date:"d/m/Y" }} {{ m.ends_on|date:"d/m/Y" }}</p><p>{{ m.summary|linebreaksbr }}</p>{{ m.body|safe }}
<ul>{% for t in themes %}<li>{{ t }}</li>{% endfor %}</ul><ul>{% for h in holders %}<li>{{ h }}</li>{% endfor %}</ul>
<p>{{ m.portal_url }}</p><ul>{% for p in pieces %}<li><a href="/documents/{{ p.document_id }}/">{{ p.title }}</a>
{{ p.kind }}</li>{% endfor %}</ul></body></html>"""


def market_floor_view(request):
    """The least a Django view can do for a market's page: its fields by tree path, its
    themes, holders and public pieces, one query each, a minimal template."""
    fields = ("pk", "title", "subtitle", "notified_on", "ends_on", "summary", "body", "portal_url", "url_path")
    market = MarketPage.objects.filter(live=True, url_path=request.GET.get("chemin", "")).values(*fields).first()
    themes = Theme.objects.filter(markets=market["pk"]).values_list("name", flat=True)
    holders = MarketHolder.objects.filter(market_id=market["pk"]).values_list("holder__name", flat=True)
    pieces = MarketPiece.objects.filter(market_id=market["pk"], audience=Audience.PUBLIC).values(
        "document_id", "title", "kind"
    )
    index_url = "/" + "/".join(market["url_path"].strip("/").split("/")[1:-1]) + "/"
    context = {"m": market, "themes": list(themes), "holders": list(holders), "pieces": list(pieces)}
    template = engines["django"].from_string(MARKET_FLOOR_TEMPLATE)
    return HttpResponse(template.render({**context, "index_url": index_url}, request))


def floor_url(generated, page_url):
    """The floor's URL for a catalogue URL: the same filters, the index page's tree path."""
    query = page_url.partition("?")[2]
    return f"/{FLOOR_PATH}?racine={generated.index.path}" + (f"&{query}" if query else "")


def market_floor_url(market):
    return f"/{MARKET_FLOOR_PATH}?chemin={market.url_path}"


def scenarios(generated):
    """(label, url, floor url or None, logged_in) of the pages measured."""
    index_url = generated.index.url
    today = timezone.localdate()
    current = [m for m in generated.markets if m.notified_on <= today <= m.ends_on]
    busiest = generated.holders[0]
    family = generated.themes[0]
    market = current[len(current) // 2] if current else generated.markets[0]
    filtered = f"{index_url}?titulaire={busiest.slug}&theme={family.slug}"
    return [
        ("liste avec facettes", index_url, floor_url(generated, index_url), False),
        ("liste filtrée (titulaire + thème)", filtered, floor_url(generated, filtered), False),
        (SEARCH_LABEL, f"{index_url}?q={KEYWORD}", floor_url(generated, f"{index_url}?q={KEYWORD}"), False),
        ("liste avec facettes (connecté)", index_url, None, True),
        (MARKET_LABEL, market.url, market_floor_url(market), False),
    ]


def run(generated, *, runs):
    """Every scenario, each page's requests alternated with its floor's, in one run."""
    anonymous, member = anonymous_client(), member_client()
    timings = []
    with frozen_heap():
        for label, url, floor, logged_in in scenarios(generated):
            timing = measure(label, url, runs=runs, client=member if logged_in else anonymous, floor=floor)
            if floor and label != MARKET_LABEL:  # a list: computed again after a publication
                renew = CatalogueStamp.renew
                timing.computed = measure(label, url, runs=runs, client=anonymous, before=renew, floor=floor)
            if label == SEARCH_LABEL and bakerydemo.available():
                url = f"/{BAKERYDEMO_PATH}?q={KEYWORD}"
                timing.bakerydemo = measure("bakerydemo", url, runs=runs, client=anonymous)
            timings.append(timing)
    return timings
