"""Wagtail's routing in one query instead of six or seven.

For each page, Wagtail finds the request's site (a query), walks the tree from the site's
root (a query or two per level), then reads the page's and its ancestors' aliases and
privacy restrictions (two more). Here (`RoutingMiddleware`):

- the site of a host and the page of a path (its id, class and tree path) are kept in the
  cache with the tokens they were found under, which saving or deleting a site (both), and
  saving, deleting or moving any page (the routes) renew (`connect`); the tokens, the site
  and the route are read in one round trip. With Redis every worker sees a new token at
  once; with a per-process memory cache the others would not, so this is on only when
  `ROUTING_CACHE` is (by default: with `REDIS_URL`).
- the page itself is still read by id on every request (one query): what it shows is
  always current, and a page unpublished or moved since the route was kept is routed by
  Wagtail again.
- the privacy restrictions are read once per request (`view_restrictions`), for Wagtail's
  check of the page served and for every list that hides private pages
  (`markets.access.hidden_paths`); they are never kept between requests.
"""

import hashlib
import uuid
from functools import cache as once

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.pages import RouteResult
from wagtail.signals import post_page_move

from .availability import UNAVAILABLE_ERRORS, unavailable_response

TOKEN_KEY = "routing:token"
KEEP_SECONDS = 60 * 60
NO_SITE = "-"


def enabled():
    return getattr(settings, "ROUTING_CACHE", False)


def view_restrictions(request):
    """Every page privacy restriction, with its page's tree path: one query (two when a
    restriction names groups) per request, whoever asks."""
    restrictions = getattr(request, "_view_restrictions", None)
    if restrictions is None:
        # Of each restriction's page only its tree path (Wagtail reads any other field lazily).
        fields = ("restriction_type", "password", "page__path")
        queryset = PageViewRestriction.objects.select_related("page").only(*fields).prefetch_related("groups")
        restrictions = request._view_restrictions = list(queryset)
    return restrictions


def restrictions_on(request, path):
    """The restrictions on the page at tree `path` and its ancestors (none being an alias)."""
    return [r for r in view_restrictions(request) if path.startswith(r.page.path)]


# The tokens ---------------------------------------------------------------------------

# Sites change rarely and pages often: a page saved keeps the sites where they are.
SITES, PAGES = "routing:token:sites", "routing:token:pages"


def tokens(kept=None):
    """{token key: token} of the sites and the pages (those of `kept`, values already read,
    when given), a new one for any the cache lacks."""
    kept = cache.get_many([SITES, PAGES]) if kept is None else kept
    values = {key: kept[key] for key in (SITES, PAGES) if key in kept}
    for key in (SITES, PAGES):
        if key not in values:
            value = uuid.uuid4().hex
            values[key] = value if cache.add(key, value, None) else cache.get(key) or value
    return values


def renew(*keys):
    cache.set_many({key: uuid.uuid4().hex for key in keys or (SITES, PAGES)}, None)


def routing_changed(sender=None, **kwargs):
    """Now, for this transaction's own requests, and again once it commits: a request of
    another worker may have kept the state of before in between. A site's change renews
    the routes too (its root page)."""
    if sender is None or issubclass(sender, Site):
        keys = (SITES, PAGES)
    elif issubclass(sender, Page):
        keys = (PAGES,)
    else:
        return
    renew(*keys)
    transaction.on_commit(lambda: renew(*keys))


def connect():
    for signal in (post_save, post_delete):
        signal.connect(routing_changed, dispatch_uid=f"core-routing-{signal is post_save}")
    post_page_move.connect(routing_changed, dispatch_uid="core-routing-moved")


# Routing -----------------------------------------------------------------------------


@once
def default_routes():
    """True when no page class routes in its own way (RoutablePageMixin…): a path is then a page."""
    return all(model.route is Page.route for model in get_page_models())


def _keys(request, path):
    place = f"{request._get_raw_host()}:{request.get_port()}"
    # The path as a digest: a key stays short whatever the URL's length.
    route = hashlib.sha256(f"{place}:{path}".encode()).hexdigest()
    return f"routing:v2:site:{place}", f"routing:v2:page:{route}"


def _current(kept, token):
    """What was kept under `token`, or None: kept before the token was renewed, or never."""
    return kept[1] if kept and kept[0] == token else None


def _check_restrictions_once(request, page, has_alias):
    """Wagtail's check of the page served reads the restrictions of this request (aliases,
    rare here, resolve to their source page: Wagtail's own queries then)."""
    if not has_alias:
        page.get_view_restrictions = lambda: restrictions_on(request, page.path)


def _cached_page(route):
    pk, content_type_id, url_path = route
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = next(iter(model.objects.raw(_live_page_sql(model), [pk])), None) if model else None
    return page if page is not None and page.url_path == url_path else None


@once
def _live_page_sql(model):
    """The SQL of `model.objects.filter(pk=…, live=True)`, compiled once per page class: the
    ORM compiles the same forty-odd columns on every request (1 ms of a market page's 6)."""
    sql, params = model.objects.filter(pk=0, live=True).order_by()[:1].query.sql_with_params()
    assert params == (0,), "the page's id must be the query's one parameter"
    return sql


class RoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not enabled():
            return None
        try:
            return self._process_view(request, view_func, view_args, view_kwargs)
        except UNAVAILABLE_ERRORS:
            # The database went away while routing: the same French 503 as in a view.
            return unavailable_response()

    def _process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail import views as wagtail_views  # not at import: models load this module

        serving = view_func is wagtail_views.serve and default_routes()
        path = (view_args[0] if view_args else view_kwargs.get("path", "")) if serving else None
        site_key, route_key = _keys(request, path)
        kept = cache.get_many([SITES, PAGES, site_key, route_key] if serving else [SITES, PAGES, site_key])
        tags = tokens(kept)
        site = _current(kept.get(site_key), tags[SITES])
        if site is None:
            site = Site._find_for_request(request) or NO_SITE
            cache.set(site_key, (tags[SITES], site), KEEP_SECONDS)
        request._wagtail_site = None if site == NO_SITE else site
        if serving and request._wagtail_site is not None:
            self._route(request, path, route_key, tags[PAGES], _current(kept.get(route_key), tags[PAGES]))
        return None

    @staticmethod
    def _route(request, path, key, token, kept):
        page = _cached_page(kept[:3]) if kept else None
        if page is not None:
            request._wagtail_route_for_request = RouteResult(page)
            _check_restrictions_once(request, page, has_alias=kept[3])
            return
        found = Page.route_for_request(request, path)
        if found is None or found.args or found.kwargs:
            return
        page = found.page
        has_alias = page.alias_of_id is not None or page.get_ancestors().filter(alias_of__isnull=False).exists()
        cache.set(key, (token, (page.pk, page.content_type_id, page.url_path, has_alias)), KEEP_SECONDS)
        _check_restrictions_once(request, page, has_alias)
