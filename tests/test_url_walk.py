"""Every URL of config/urls.py, filled with hostile values, answers without a 500.

The patterns are read from the resolver (the site's, Wagtail's, the admin's), each
parameter is filled with a NUL byte, integers too large for any column, 10,000 characters
and markup, and the known GET parameters get the same values; anonymous, as a member and
as staff. A 500 anywhere fails the test with the list of URLs that gave one.

In the admin, only what we wrote is walked: our viewsets and snippet viewsets, the views
our hooks add, and the dashboard that shows our panels. Wagtail's own admin (pages,
images, users, workflows, reports… several hundred URLs) is Wagtail's to test; walking it
took most of this file's time.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from wagtail.admin.viewsets import viewsets

from tests.factories.markets import MarketPageFactory

HOSTILE = {
    "nul": "\x00",
    "huge": "99999999999999999999",
    "int64": "9223372036854775807",
    "long": "x" * 10_000,
    "markup": '<script>alert("x")</script>',
}
# Every GET parameter a view of ours reads (grep request.GET / params.get).
GET_PARAMS = [
    *["q", "page", "statut", "titulaire", "theme", "siret", "etablissement", "groupement", "mode"],
    *["sujet", "poursuivre", "depuis", "origin", "envoyee", "next", "p", "ordering", "marche"],
]

ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?[^>]+>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?(?:[^()]|\([^()]*\))*\)")


def walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, prefix + _route(entry.pattern, None), inner)
        elif isinstance(entry, URLPattern):
            yield prefix, entry, namespaces


def our_packages():
    """The project's own top-level packages (config, core, markets…), not the installed ones."""
    return {
        config.name.split(".")[0] for config in apps.get_app_configs() if "site-packages" not in Path(config.path).parts
    }


def our_admin_namespaces(ours):
    """The URL namespaces of the admin viewsets we wrote (Wagtail's choosers and user admin
    serve our models too, but are Wagtail's code)."""
    return {viewset.url_namespace for viewset in viewsets.viewsets if type(viewset).__module__.split(".")[0] in ours}


def is_ours(entry, namespaces, ours, admin_namespaces):
    """Whether a view of the admin is ours to walk (the site's views all are)."""
    view = getattr(entry.callback, "view_class", entry.callback)
    return (
        entry.name == "wagtailadmin_home"  # the dashboard, with our panels
        or view.__module__.split(".")[0] in ours
        or any(namespace in admin_namespaces for namespace in namespaces)
    )


def _route(pattern, value):
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return ROUTE_PARAM.sub(value, route) if value is not None else ROUTE_PARAM.sub("{}", route)
    regex = str(pattern).lstrip("^").rstrip("$").removesuffix(r"\Z")
    regex = REGEX_GROUP.sub("{}" if value is None else value, regex)
    return regex.replace("\\", "").replace("?", "")


# Wagtail's own "test the 500 page" view: failing is its job.
DELIBERATE_ERRORS = {"/admin/failwhale/"}


def urls(value, extra=()):
    """Each pattern once, its parameters (and its resolvers' parameters) set to `value`.

    Wagtail serves pages through one catch-all pattern: `extra` adds real page paths.
    """
    patterns = get_resolver().url_patterns  # loading them registers the viewsets
    ours = our_packages()
    admin_namespaces = our_admin_namespaces(ours)
    seen = set()
    for url in extra:
        seen.add(url)
        yield url
    for prefix, entry, namespaces in walk(patterns):
        url = "/" + (prefix + _route(entry.pattern, None)).replace("{}", value)
        if url.startswith("/admin/") and not is_ours(entry, namespaces, ours, admin_namespaces):
            continue
        if url not in seen and url not in DELIBERATE_ERRORS:
            seen.add(url)
            yield url


def test_the_walk_covers_the_site_and_our_admin_only():
    found = list(urls("1"))
    for expected in (
        "/compte/marches/1/",
        "/compte/groupements/1/",
        "/admin/",  # the dashboard and its panels
        "/admin/groupements/decide/1/",  # a queue (core.queues)
        "/admin/snippets/markets/holder/edit/1/",  # a snippet of ours
        "/admin/emails-en-echec/",  # a viewset of ours
    ):
        assert any(url.startswith(expected) for url in found), expected
    for wagtails_own in ("/admin/pages/1/edit/", "/admin/images/", "/admin/workflows/", "/admin/snippets/choose/"):
        assert not any(url.startswith(wagtails_own) for url in found), wagtails_own
    assert len(found) > 100


@pytest.fixture
def users(member, establishment, staff):
    return {"anonyme": None, "adherent": member, "personnel": staff}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_no_url_answers_500(kind, users, market_index):
    value = HOSTILE[kind]
    market = MarketPageFactory(parent=market_index, title="Téléphonie")
    pages = ["/", market_index.url, market.url, f"{market_index.url}{value}/"]
    query = {name: value for name in GET_PARAMS}
    failures = []
    for who, user in users.items():
        client = Client(raise_request_exception=False)
        if user:
            client.force_login(user)
        for url in urls(value, pages):
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"{who} {url[:120]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_our_views_parse_nul_even_without_the_guard(settings, users, market_index):
    """core.middleware refuses NUL at the door; behind it, our own views hold on their own."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "core.middleware.RejectNulBytesMiddleware"]
    market = MarketPageFactory(parent=market_index, title="Téléphonie")
    value = HOSTILE["nul"]
    pages = ["/", market_index.url, market.url]
    failures = []
    for who, user in users.items():
        client = Client(raise_request_exception=False)
        if user:
            client.force_login(user)
        for url in urls(value, pages):
            if url.startswith("/admin/"):  # Wagtail's own views: the guard's job
                continue
            response = client.get(url, {name: value for name in GET_PARAMS})
            if response.status_code >= 500:
                failures.append(f"{who} {url[:120]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_nul_is_refused_at_the_door_with_the_400_page(client, home_page):
    for url in ("/marches/?titulaire=%00", "/admin/workflows/tasks/add/%00/%00/", "/compte/%00/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Cette adresse n'est pas valide" in response.content.decode()
